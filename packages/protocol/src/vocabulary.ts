/**
 * The interaction vocabulary every part speaks: the states an interaction
 * passes through, which of them are over, and the actions an agent can take.
 * Written once here; the server's state machine, the media plane, the panel
 * and the SDK read it.
 */

/**
 * Phone: incoming|outgoing → alerting → accepted ⇄ held → ended → wrap_up → handled,
 * plus rejected, missed and failed. Chat, SMS, WhatsApp and email follow the
 * same lifecycle without hold.
 */
export const INTERACTION_STATES = [
  'incoming',
  'outgoing',
  'alerting',
  'accepted',
  'held',
  'ended',
  'wrap_up',
  'handled',
  'rejected',
  'missed',
  'failed',
] as const;
export type InteractionState = (typeof INTERACTION_STATES)[number];

/** States no action leaves: the interaction is over. */
export const TERMINAL_STATES = [
  'handled',
  'rejected',
  'missed',
  'failed',
] as const satisfies readonly InteractionState[];
export type TerminalState = (typeof TERMINAL_STATES)[number];
export type OpenState = Exclude<InteractionState, TerminalState>;

/** States of an interaction still in progress (waiting, ringing, talking, wrapping up). */
export const OPEN_STATES = /* @__PURE__ */ INTERACTION_STATES.filter((s): s is OpenState => !isTerminalState(s));

export function isInteractionState(value: unknown): value is InteractionState {
  return typeof value === 'string' && (INTERACTION_STATES as readonly string[]).includes(value);
}

/** True once the interaction is over (handled, rejected, missed or failed). */
export function isTerminalState(state: string): state is TerminalState {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

/** What an agent can do to one of their interactions (`POST …/interactions/{id}/actions`, host commands). */
export const AGENT_ACTIONS = [
  'accept',
  'reject',
  'hangup',
  'hold',
  'unhold',
  'mute',
  'unmute',
  'start_recording',
  'stop_recording',
  'handle',
  'wrapup',
  'transfer',
  'consult',
  'cancel_consult',
  'join',
  'conference',
  'drop',
  'dtmf',
] as const;
export type AgentActionName = (typeof AGENT_ACTIONS)[number];

export function isAgentAction(value: unknown): value is AgentActionName {
  return typeof value === 'string' && (AGENT_ACTIONS as readonly string[]).includes(value);
}

/**
 * How a supervisor is on an agent's call: `monitor` hears both sides and is
 * heard by nobody, `whisper` (coach) is heard by the agent only, `barge`
 * by every party (a three-way call).
 */
export const MONITOR_MODES = ['monitor', 'whisper', 'barge'] as const;
export type MonitorMode = (typeof MONITOR_MODES)[number];
