/**
 * One explicit state machine per channel kind (issue 4). Pure: given a state
 * and an action it returns the next state or throws InteractionError
 * `invalid_state`; it never changes anything silently.
 *
 * Phone: incoming|outgoing → alerting → accepted ⇄ held → ended → wrap_up → handled,
 * plus rejected, missed and failed. Chat, SMS, WhatsApp and email follow the
 * same lifecycle without hold. Mute and recording are flags of a call, not states.
 */
import { CodedError, type ChannelType, type InteractionState } from '@parley/protocol';

export { INTERACTION_STATES, TERMINAL_STATES, type InteractionState } from '@parley/protocol';

export const INTERACTION_ACTIONS = [
  /** Routing offered it to an agent (inbound), or the far end rings (outbound). */
  'alert',
  'accept',
  'reject',
  /** The offer or the ringing ran out of time. */
  'timeout',
  /** The customer gave up before it was answered. */
  'abandon',
  'hold',
  'unhold',
  /** Either side ended the conversation. */
  'hangup',
  /** The interaction enters wrap-up (its queue has wrap-up time). */
  'wrapup',
  /** The agent finished it (after wrap-up, or straight from ended). */
  'handle',
  /** The channel could not deliver it (unreachable number, bounce). */
  'fail',
] as const;
export type InteractionAction = (typeof INTERACTION_ACTIONS)[number];

export type Direction = 'inbound' | 'outbound';

/** Thrown for an action the current state does not allow; `code` is `invalid_state` (409). */
export class InteractionError extends CodedError {
  override name = 'InteractionError';
  constructor(
    readonly interactionId: string,
    readonly from: InteractionState,
    readonly action: InteractionAction,
  ) {
    super('invalid_state', `Interaction ${interactionId} is ${from}; ${action} is not possible in that state.`);
  }

  static notAllowed(id: string, from: InteractionState, action: InteractionAction): InteractionError {
    return new InteractionError(id, from, action);
  }
}

type Table = Partial<Record<InteractionState, Partial<Record<InteractionAction, InteractionState>>>>;

/** Transitions common to every channel, by direction. */
function table(direction: Direction, hold: boolean): Table {
  const inbound = direction === 'inbound';
  return {
    incoming: { alert: 'alerting', abandon: 'missed', fail: 'failed' },
    outgoing: { alert: 'alerting', accept: 'accepted', fail: 'failed', hangup: 'ended' },
    alerting: inbound
      ? // An inbound offer that is rejected or runs out goes back to its queue.
        { accept: 'accepted', reject: 'incoming', timeout: 'incoming', abandon: 'missed', fail: 'failed' }
      : // The far end declines or does not answer an outbound attempt.
        { accept: 'accepted', reject: 'rejected', timeout: 'missed', hangup: 'ended', fail: 'failed' },
    accepted: hold ? { hold: 'held', hangup: 'ended' } : { hangup: 'ended' },
    ...(hold ? { held: { unhold: 'accepted', hangup: 'ended' } } : {}),
    ended: { wrapup: 'wrap_up', handle: 'handled' },
    wrap_up: { handle: 'handled' },
  };
}

const TABLES: Record<Direction, Record<ChannelType, Table>> = {
  inbound: {
    phone: table('inbound', true),
    chat: table('inbound', false),
    email: table('inbound', false),
    sms: table('inbound', false),
    whatsapp: table('inbound', false),
  },
  outbound: {
    phone: table('outbound', true),
    chat: table('outbound', false),
    email: table('outbound', false),
    sms: table('outbound', false),
    whatsapp: table('outbound', false),
  },
};

/** The state an interaction starts in. */
export function initialState(direction: Direction): InteractionState {
  return direction === 'inbound' ? 'incoming' : 'outgoing';
}

/** The next state, or throws {@link InteractionError}. */
export function transition(
  interaction: {
    readonly id: string;
    readonly channel: ChannelType;
    readonly direction: Direction;
    readonly state: InteractionState;
  },
  action: InteractionAction,
): InteractionState {
  const next = TABLES[interaction.direction][interaction.channel][interaction.state]?.[action];
  if (!next) throw InteractionError.notAllowed(interaction.id, interaction.state, action);
  return next;
}

/** The actions the current state allows (for UIs: which buttons to show). */
export function allowedActions(
  channel: ChannelType,
  direction: Direction,
  state: InteractionState,
): InteractionAction[] {
  return Object.keys(TABLES[direction][channel][state] ?? {}) as InteractionAction[];
}
