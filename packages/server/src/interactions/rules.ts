/**
 * The desk's small rules about interaction rows: which states are open,
 * which rows hold an agent's capacity, what a fresh row looks like, and the
 * errors an action out of place answers with. Pure; no I/O.
 */
import { CodedError, OPEN_STATES } from '@parley/protocol';
import { newId, nowIso } from '../store/index.ts';
import { holdsAgent, type InteractionRecord } from './records.ts';
import { InteractionError, type InteractionAction, type InteractionState } from './state-machine.ts';
import type { CustomerState } from '../bus/index.ts';

export { OPEN_STATES };
/** The states an agent's panel shows: everything open but waiting in a queue. */
export const AGENT_STATES: readonly InteractionState[] = OPEN_STATES.filter((s) => s !== 'incoming');
export const TALKING: ReadonlySet<InteractionState> = new Set(['accepted', 'held']);
/** The longest wrap-up an agent may extend to, counted from the end of the conversation. */
export const MAX_WRAPUP_SECONDS = 900;
/** How long a direct offer (transfer or consultation to an agent) rings without a queue's own timeout. */
export const DIRECT_OFFER_MS = 30_000;

/** A consultation leg: the consulting agent's outbound leg, or the consulted agent's inbound one. */
export const isConsultLeg = (r: InteractionRecord) =>
  r.consultationOf !== null && (r.direction === 'outbound' || r.peerId !== null);
/** Whether the row takes a unit of its agent's capacity (a consulting agent's own leg rides on the call). */
export const countsLoad = (r: InteractionRecord) =>
  holdsAgent(r) && !(r.consultationOf !== null && r.direction === 'outbound');

/** How the customer of a conversation sees its current leg's state. */
export function customerStateOf(state: InteractionState): CustomerState {
  if (state === 'incoming' || state === 'alerting') return 'waiting';
  if (state === 'accepted' || state === 'held') return 'connected';
  return 'closed';
}

/** The answer to an action the row's state does not allow. */
export function invalid(r: InteractionRecord, action: InteractionAction): CodedError {
  return InteractionError.notAllowed(r.id, r.state, action);
}

export function needsConversation(r: InteractionRecord, what: string): CodedError {
  return new CodedError(
    'invalid_state',
    `Interaction ${r.id} is ${r.state}; ${what} needs a conversation in progress.`,
  );
}

/** Refuses a call to a number the trunk cannot ring now (`unreachable`), before anything is stored. */
export function checkReachable(reachable: ((number: string) => boolean) | undefined, number: string): void {
  if (reachable && !reachable(number))
    throw new CodedError('unreachable', `${number} cannot be reached: no phone answers that number now.`);
}

/** A fresh row: every field at its default, to be spread over. */
export function blank(tenantId: string, now: number): InteractionRecord {
  return {
    id: newId(),
    tenantId,
    channel: 'phone',
    direction: 'inbound',
    state: 'incoming',
    queueId: null,
    agentId: null,
    remoteAddress: '',
    localAddress: '',
    subject: null,
    consultationOf: null,
    held: false,
    muted: false,
    recording: false,
    wrapup: null,
    createdAt: nowIso(new Date(now)),
    acceptedAt: null,
    endedAt: null,
    lastSeq: 0,
    waitingSince: null,
    priority: 0,
    offerExpiresAt: null,
    excluded: [],
    preferredAgentId: null,
    wrapupUntil: null,
    peerId: null,
    transferredFrom: null,
    target: null,
    conference: false,
    conversationId: null,
    customerId: null,
    attributes: {},
    heldSince: null,
  };
}
