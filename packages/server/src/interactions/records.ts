/**
 * Interactions as stored, and as the panel and the host see them
 * (PROTOCOL.md §1.5). One row is one agent's part of a conversation: a
 * transfer or a consultation makes a new row linked to the old one.
 */
import { idFrom, optionalIdFrom, parseInteractionId, parseQueueId, parseUserId } from '@parley/protocol';
import type { ChannelType, ConferenceParty, Interaction } from '@parley/protocol';
import { CHANNEL_TYPES } from '@parley/protocol';
import type { Db, InteractionTable } from '../store/index.ts';
import type { Direction, InteractionState } from './state-machine.ts';
import { INTERACTION_STATES } from './state-machine.ts';

/** Where a consultation or transfer goes. */
export type Target =
  | { readonly kind: 'queue'; readonly id: string; readonly address: string }
  | { readonly kind: 'agent'; readonly id: string; readonly address: string }
  | { readonly kind: 'number'; readonly address: string };

export interface InteractionRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly channel: ChannelType;
  readonly direction: Direction;
  readonly state: InteractionState;
  readonly queueId: string | null;
  /** The agent handling it, or offered it while `alerting` inbound. */
  readonly agentId: string | null;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly subject: string | null;
  readonly consultationOf: string | null;
  readonly held: boolean;
  readonly muted: boolean;
  readonly recording: boolean;
  readonly wrapup: { readonly code?: string; readonly notes?: string } | null;
  readonly createdAt: string;
  readonly acceptedAt: string | null;
  readonly endedAt: string | null;
  readonly lastSeq: number;
  readonly waitingSince: string | null;
  readonly priority: number;
  readonly offerExpiresAt: string | null;
  readonly excluded: readonly string[];
  readonly preferredAgentId: string | null;
  readonly wrapupUntil: string | null;
  readonly peerId: string | null;
  readonly transferredFrom: string | null;
  readonly target: Target | null;
  readonly conference: boolean;
  readonly conversationId: string | null;
  /** The customer behind the contact; null on agent-to-agent legs until they inherit one. */
  readonly customerId: string | null;
  /** The data that came with the contact (pre-chat fields, a host's user data). */
  readonly attributes: Readonly<Record<string, string>>;
  /** While held: since when (the ledger keeps it in step with `held`). */
  readonly heldSince: string | null;
}

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toRecord(row: InteractionTable): InteractionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    channel: (CHANNEL_TYPES as readonly string[]).includes(row.channel) ? (row.channel as ChannelType) : 'phone',
    direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
    state: (INTERACTION_STATES as readonly string[]).includes(row.state) ? (row.state as InteractionState) : 'failed',
    queueId: row.queue_id,
    agentId: row.agent_id,
    remoteAddress: row.remote_address,
    localAddress: row.local_address,
    subject: row.subject,
    consultationOf: row.consultation_of,
    held: row.held === 1,
    muted: row.muted === 1,
    recording: row.recording === 1,
    wrapup: parse(row.wrapup, null),
    createdAt: row.created_at,
    acceptedAt: row.accepted_at,
    endedAt: row.ended_at,
    lastSeq: Number(row.last_seq),
    waitingSince: row.waiting_since,
    priority: row.priority,
    offerExpiresAt: row.offer_expires_at,
    excluded: parse<string[]>(row.excluded, []),
    preferredAgentId: row.preferred_agent_id,
    wrapupUntil: row.wrapup_until,
    peerId: row.peer_id,
    transferredFrom: row.transferred_from,
    target: parse(row.target, null),
    conference: row.conference === 1,
    conversationId: row.conversation_id,
    customerId: row.customer_id,
    attributes: parse<Record<string, string>>(row.attributes, {}),
    heldSince: row.held_since ?? null,
  };
}

/** The columns of a record, for inserts and updates. */
export function toRow(r: InteractionRecord): InteractionTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    channel: r.channel,
    direction: r.direction,
    state: r.state,
    queue_id: r.queueId,
    agent_id: optionalIdFrom(parseUserId, r.agentId, 'agentId'),
    remote_address: r.remoteAddress,
    local_address: r.localAddress,
    subject: r.subject,
    consultation_of: r.consultationOf,
    held: r.held ? 1 : 0,
    muted: r.muted ? 1 : 0,
    recording: r.recording ? 1 : 0,
    wrapup: r.wrapup ? JSON.stringify(r.wrapup) : null,
    created_at: r.createdAt,
    accepted_at: r.acceptedAt,
    ended_at: r.endedAt,
    last_seq: r.lastSeq,
    waiting_since: r.waitingSince,
    priority: r.priority,
    offer_expires_at: r.offerExpiresAt,
    excluded: JSON.stringify(r.excluded),
    preferred_agent_id: r.preferredAgentId,
    wrapup_until: r.wrapupUntil,
    peer_id: r.peerId,
    transferred_from: r.transferredFrom,
    target: r.target ? JSON.stringify(r.target) : null,
    conference: r.conference ? 1 : 0,
    conversation_id: r.conversationId,
    customer_id: r.customerId,
    attributes: JSON.stringify(r.attributes),
    held_since: r.heldSince,
  };
}

/** States in which the row still occupies its agent (the agent's capacity). */
export const HOLDING_STATES: ReadonlySet<InteractionState> = new Set([
  'outgoing',
  'accepted',
  'held',
  'ended',
  'wrap_up',
]);

/** States of a contact that waits for an agent (inbound, routed). */
export const WAITING_STATES: ReadonlySet<InteractionState> = new Set(['incoming', 'alerting']);

/**
 * True when the row occupies its agent: in conversation, dialling, wrapping
 * up, or offered directly (a transfer or consultation to that agent).
 * Offers made by routing are routing's own business until accepted.
 */
export function holdsAgent(r: InteractionRecord): boolean {
  if (!r.agentId) return false;
  if (r.state === 'alerting') return r.direction === 'outbound' || r.target?.kind === 'agent';
  return HOLDING_STATES.has(r.state);
}

/** The Interaction object panels and hosts get. */
export function toWire(r: InteractionRecord, queueName: string | null): Interaction {
  return {
    id: idFrom(parseInteractionId, r.id, 'id'),
    channel_type: r.channel,
    direction: r.direction,
    state: r.state,
    queue_id: optionalIdFrom(parseQueueId, r.queueId, 'queueId'),
    queue_name: queueName,
    remote_address: r.remoteAddress,
    local_address: r.localAddress,
    ...(r.subject === null ? {} : { subject: r.subject }),
    created: r.createdAt,
    ...(r.acceptedAt === null ? {} : { date_accepted: r.acceptedAt }),
    ...(r.endedAt === null ? {} : { date_ended: r.endedAt }),
    held: r.held,
    ...(r.held && r.heldSince ? { held_since: r.heldSince } : {}),
    muted: r.muted,
    recording: r.recording,
    ...(r.consultationOf === null
      ? {}
      : { consultation_of: idFrom(parseInteractionId, r.consultationOf, 'consultationOf') }),
    ...(r.wrapup === null ? {} : { wrapup: r.wrapup }),
    agent_id: optionalIdFrom(parseUserId, r.agentId, 'agentId'),
    ...(r.offerExpiresAt && r.state === 'alerting' ? { offer_expires: r.offerExpiresAt } : {}),
    ...(r.wrapupUntil && r.state === 'wrap_up' ? { wrapup_until: r.wrapupUntil } : {}),
    ...(r.peerId === null ? {} : { peer_id: idFrom(parseInteractionId, r.peerId, 'peerId') }),
    ...(r.transferredFrom === null
      ? {}
      : { transferred_from: idFrom(parseInteractionId, r.transferredFrom, 'transferredFrom') }),
    conference: r.conference,
    ...(r.conversationId === null ? {} : { conversation_id: r.conversationId }),
    ...(r.customerId === null ? {} : { customer_id: r.customerId }),
    ...(Object.keys(r.attributes).length === 0 ? {} : { attributes: r.attributes }),
  };
}

export async function findInteraction(db: Db, tenantId: string, id: string): Promise<InteractionRecord | null> {
  const row = await db
    .selectFrom('interactions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** Who is in the conference `r` belongs to: the customer, and each agent or number still on it. */
export async function conferenceParties(db: Db, r: InteractionRecord): Promise<ConferenceParty[]> {
  if (!r.conference) return [];
  const originalId = r.consultationOf ?? r.id;
  const rows = await db
    .selectFrom('interactions')
    .leftJoin('users', 'users.id', 'interactions.agent_id')
    .select([
      'interactions.id',
      'interactions.agent_id',
      'interactions.remote_address',
      'interactions.consultation_of',
      'users.display_name',
    ])
    .where('interactions.tenant_id', '=', r.tenantId)
    .where((eb) => eb.or([eb('interactions.id', '=', originalId), eb('interactions.consultation_of', '=', originalId)]))
    .where('interactions.conference', '=', 1)
    .where('interactions.state', 'in', ['accepted', 'held'])
    .orderBy('interactions.created_at')
    .execute();
  const original = rows.find((row) => row.id === originalId);
  const customer: ConferenceParty = {
    interaction_id: null,
    kind: 'customer',
    name: original?.remote_address ?? '',
    agent_id: null,
  };
  return [
    customer,
    // The conference's own agent first, then the others as they joined (created_at may tie).
    ...[...rows.filter((row) => row.id === originalId), ...rows.filter((row) => row.id !== originalId)].map((row) => ({
      interaction_id: row.id,
      kind: row.agent_id ? ('agent' as const) : ('number' as const),
      name: row.display_name ?? row.remote_address,
      agent_id: row.agent_id,
    })),
  ];
}
