/**
 * The events an agent client emits, shared by the panel-mode SDK (`Panel`,
 * which adds its own: `load`, `ready`, `error`, `message`) and the headless
 * agent client (`Agent`): one map, so the same listener code runs on both.
 */
import type { AgentStateChange, CallQuality, StatePayload, StatusPayload } from './host.ts';
import type { CustomerCard, Note } from './customers.ts';
import type { Interaction, PresenceProfile, WorkStatus } from './objects.ts';

export interface AgentEventMap {
  /** The in-view interaction changed (`null` when none). */
  'interaction:active': (interaction: Interaction | null) => void;
  /** An interaction changed status: `incoming`, `outgoing`, `accepted`, `rejected`, `ended`, `handled`. */
  'interaction:status': (event: { status: string; interaction: Interaction }) => void;
  /** Hold, mute or recording changed (the panel-mode SDK only with `enableChannelStatusUpdates`). */
  'interaction:channel': (event: {
    held: boolean;
    muted: boolean;
    recording: boolean;
    interaction: Interaction;
  }) => void;
  /** A wrap-up code or notes were set. */
  'interaction:disposition': (event: { code?: string; notes?: string; interaction: Interaction }) => void;
  /** Every 5 s during a call: round trip, jitter and packet loss of the agent's audio (WebRTC stats). */
  'interaction:quality': (event: CallQuality & { interaction: Interaction }) => void;
  /** Screen-pop: the customer card of an offered interaction (who, attached data, earlier interactions). */
  'interaction:customer': (event: CustomerCard & { interaction: Interaction }) => void;
  /** The agent added an internal note (never shown to the customer). */
  'interaction:note': (event: Note & { interaction: Interaction }) => void;
  /** An offer to the agent timed out, or its customer gave up while it rang. */
  'interaction:missed': (event: { reason: 'timeout' | 'abandoned'; interaction: Interaction }) => void;
  /** The agent's work status changed. */
  'agent:workStatus': (status: WorkStatus) => void;
  /** The agent's state with its reason and who changed it (a supervisor's forced not-ready names them). */
  'agent:state': (state: AgentStateChange) => void;
  /** The agent's presence profile changed. */
  'agent:profile': (profile: PresenceProfile) => void;
  /** The agent switched theme. */
  theme: (theme: { dark: boolean; primary: string }) => void;
  /** The agent switched language (BCP-47 tag). */
  language: (language: string) => void;
  /** The client's connection to the server. */
  connection: (state: 'online' | 'reconnecting' | 'offline') => void;
}

/** Whatever emits the agent events (the panel-mode SDK's `Panel`, the headless `Agent`). */
export interface AgentEventSink {
  emit<K extends keyof AgentEventMap>(name: K, ...args: Parameters<AgentEventMap[K]>): void;
}

/** A panel's interaction news (`state`) as the agent event it is: one mapping for every client. */
export function emitState(sink: AgentEventSink, p: StatePayload): void {
  if (p.attribute === 'activeInteraction') sink.emit('interaction:active', p.value);
  else if (p.attribute === 'status') sink.emit('interaction:status', { status: p.value, interaction: p.interaction });
  // The others carry an object and their interaction: one shape, the event named by the attribute.
  else
    (sink.emit as (name: string, event: unknown) => void)(STATE_EVENTS[p.attribute], {
      ...p.value,
      interaction: p.interaction,
    });
}

const STATE_EVENTS = {
  channel_status: 'interaction:channel',
  disposition: 'interaction:disposition',
  call_quality: 'interaction:quality',
  customer: 'interaction:customer',
  note: 'interaction:note',
  missed: 'interaction:missed',
} as const satisfies Record<Exclude<StatePayload['attribute'], 'activeInteraction' | 'status'>, keyof AgentEventMap>;

/** A panel's agent news (`status`) as the agent event it is. */
export function emitStatus(sink: AgentEventSink, p: StatusPayload): void {
  if (p.attribute === 'work_status') sink.emit('agent:workStatus', p.value);
  else if (p.attribute === 'agent_state') sink.emit('agent:state', p.value);
  else if (p.attribute === 'profile') sink.emit('agent:profile', p.value);
  else if (p.attribute === 'theme') sink.emit('theme', p.value);
  else if (p.attribute === 'language') sink.emit('language', p.value);
  else sink.emit('connection', p.value);
}
