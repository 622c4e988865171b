/**
 * One tenant's live contact center: the routing engine, its timers and
 * every interaction action. The edge around the pure cores (routing/,
 * state-machine.ts): it runs one operation at a time per tenant, writes
 * every change and its event in one transaction before answering, and
 * publishes the events afterwards.
 *
 * Whatever routing knows is rebuilt from the store when a desk opens, so a
 * restart loses no waiting contact, queue position or agent state. If a
 * write fails after routing moved on, the desk rebuilds itself from the store.
 */
import type { ChannelType, Interaction, InteractionId, Message, MessageStatus, WorkStatus } from '@parley/protocol';
import { sql, type ControlledTransaction, type Kysely, type Transaction } from 'kysely';
import type { Bus, BusEvents, CustomerState } from '../bus/index.ts';
import { HttpError } from '../http/errors.ts';
import type { Logger } from '../log/index.ts';
import { ensureReasonCode, findReasonCode } from '../presence/index.ts';
import { findQueueByAddress, listQueues, type QueueRecord } from '../queues/index.ts';
import {
  MinHeap,
  RoutingEngine,
  RoutingError,
  type Decision,
  type QueueSpec,
  type RoutingEvent,
  type RoutingOptions,
} from '../routing/index.ts';
import type { AttachmentTable, Database, MessageTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';
import { DEFAULT_CAPACITY, findUser, listUsers, type UserRecord } from '../users/index.ts';
import { eventsSince, insertEvent, lastSeq, storeSeq } from './events.ts';
import {
  findInteraction,
  holdsAgent,
  toRecord,
  toRow,
  toWire,
  type InteractionRecord,
  type Target,
} from './records.ts';
import { InteractionError, transition, type InteractionAction, type InteractionState } from './state-machine.ts';

/** Who acts: an agent (or supervisor) acting on their own interactions. */
export interface Actor {
  readonly id: string;
  readonly username: string;
}

export interface DeskOptions {
  readonly db: Kysely<Database>;
  readonly bus: Bus;
  readonly log: Logger;
  readonly tenantId: string;
  /** Whether the user has a panel connected. */
  readonly isOnline: (userId: string) => boolean;
  /** Milliseconds since the epoch; tests pass their own. */
  readonly clock: () => number;
  /** Run timers (offer timeouts, wrap-up, overflow) on their own; tests call tick() instead. */
  readonly timers: boolean;
  readonly routing?: RoutingOptions;
  /** Whether the phone trunk can ring a number now; calls to others answer `unreachable`. Any number when left out. */
  readonly reachable?: (number: string) => boolean;
}

/** Where a transfer or consultation goes: one of these, or `address` to be resolved (queue address, username, number). */
export interface TargetInput {
  readonly queueId?: string;
  readonly agentId?: string;
  readonly number?: string;
  readonly address?: string;
}

export interface InboundInput {
  readonly queueId: string;
  readonly from: string;
  /** The address the customer reached; the queue's first address by default. */
  readonly to?: string;
  readonly subject?: string;
  readonly preferredAgentId?: string;
  /** The customer's conversation, when the contact continues one (web chat). */
  readonly conversationId?: string;
}

export interface OutboundInput {
  readonly channel: ChannelType;
  readonly to: string;
  /** An address of a queue the agent serves: the caller id or sender. */
  readonly from?: string;
  readonly queueId?: string;
  readonly subject?: string;
  /** A first message sent at once (SMS, WhatsApp, email); without it the conversation opens empty (a draft). */
  readonly message?: MessageInput;
}

/** What an agent writes: chat, SMS and WhatsApp use `content`; email adds a subject and addresses. */
export interface MessageInput {
  readonly content: string;
  readonly clientMessageId?: string;
  readonly subject?: string;
  /** Email recipients; a reply goes to the customer when left out. */
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  /** A WhatsApp template: its text is sent (with `content` ignored when empty). */
  readonly templateId?: string;
  /** Files uploaded to the conversation before (web chat). */
  readonly attachmentIds?: readonly string[];
}

/** A message from a customer on SMS, WhatsApp or email, as a connector received it. */
export interface InboundMessageInput {
  readonly channel: 'sms' | 'whatsapp' | 'email';
  readonly queueId: string;
  /** The customer's number or email address. */
  readonly from: string;
  readonly name?: string;
  /** The queue address written to. */
  readonly to: string;
  readonly content: string;
  readonly html?: string;
  readonly subject?: string;
  /** The provider's message id or the email's Message-ID: a repeat is the same message. */
  readonly externalId?: string;
  /** Email: the Message-IDs this one answers (In-Reply-To, References), newest last. */
  readonly thread?: readonly string[];
  readonly cc?: readonly string[];
  readonly media?: readonly string[];
  readonly attachments?: ReadonlyArray<{ name: string; contentType: string; data: Buffer }>;
}

/** A stored outgoing message as the dispatcher hands it to the provider or relay. */
export interface OutgoingMessage {
  readonly id: string;
  readonly channel: 'sms' | 'whatsapp' | 'email';
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string | null;
  readonly content: string;
  /** Email: this message's Message-ID and the thread it answers. */
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly attachments: ReadonlyArray<{ name: string; contentType: string; data: Buffer }>;
  readonly status: string;
}

/** What the far party (customer, external number) does; the demo API and channel connectors report it. */
export type RemoteEvent = 'answer' | 'hangup' | 'reject' | 'no_answer' | 'fail';

export type AgentAction =
  | { readonly type: 'accept' | 'reject' | 'hangup' | 'hold' | 'unhold' }
  | { readonly type: 'mute' | 'unmute' | 'start_recording' | 'stop_recording' }
  | { readonly type: 'handle'; readonly code?: string; readonly notes?: string }
  | { readonly type: 'wrapup'; readonly code?: string; readonly notes?: string; readonly extendSeconds?: number }
  | { readonly type: 'transfer' | 'consult'; readonly to: TargetInput }
  | { readonly type: 'cancel_consult' | 'join' | 'conference' }
  | { readonly type: 'dtmf'; readonly digits: string };

interface DeskTimer {
  readonly at: number;
  readonly id: string;
  readonly kind: 'direct' | 'wrapup';
}

/** Operations that go into one transaction at most. */
const MAX_BATCH = 256;

interface Op {
  readonly fn: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/** What a batch of operations collects, published once it commits. */
interface Batch {
  readonly events: Array<BusEvents['interaction.changed']>;
  readonly agents: Set<string>;
  readonly users: Set<string>;
  /** What the customers of conversations must hear (messages, waiting/connected/closed). */
  readonly customers: Array<BusEvents['conversation.changed']>;
  /** Outgoing SMS, WhatsApp and email messages stored for the dispatcher. */
  readonly queued: string[];
}

/** One operation's view of the batch. */
interface Tx {
  readonly trx: Transaction<Database>;
  readonly now: number;
  readonly actorId: string | null;
  readonly events: Array<BusEvents['interaction.changed']>;
  /** Agents whose work status may have changed. */
  readonly agents: Set<string>;
  /** Users whose stored state changed (a `user.changed` goes out). */
  readonly users: Set<string>;
  readonly customers: Array<BusEvents['conversation.changed']>;
  readonly queued: string[];
}

const OPEN_STATES: readonly InteractionState[] = [
  'incoming',
  'outgoing',
  'alerting',
  'accepted',
  'held',
  'ended',
  'wrap_up',
];
const AGENT_STATES: readonly InteractionState[] = ['outgoing', 'alerting', 'accepted', 'held', 'ended', 'wrap_up'];
const TALKING: ReadonlySet<InteractionState> = new Set(['accepted', 'held']);
/** The longest wrap-up an agent may extend to, counted from the end of the conversation. */
export const MAX_WRAPUP_SECONDS = 900;
/** How long a direct offer (transfer or consultation to an agent) rings without a queue's own timeout. */
const DIRECT_OFFER_MS = 30_000;
const PHONE_NUMBER = /^\+?[0-9*#]{2,32}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** A consultation leg: the consulting agent's outbound leg, or the consulted agent's inbound one. */
const isConsultLeg = (r: InteractionRecord) =>
  r.consultationOf !== null && (r.direction === 'outbound' || r.peerId !== null);
/** Whether the row takes a unit of its agent's capacity (a consulting agent's own leg rides on the call). */
const countsLoad = (r: InteractionRecord) =>
  holdsAgent(r) && !(r.consultationOf !== null && r.direction === 'outbound');
const isTerminal = (s: InteractionState) => s === 'handled' || s === 'rejected' || s === 'missed' || s === 'failed';

export class Desk {
  readonly #o: DeskOptions;
  #engine: RoutingEngine;
  #queues = new Map<string, QueueRecord>();
  readonly #timers = new MinHeap<DeskTimer>((a, b) => a.at < b.at);
  /** Direct offers (to one agent, not through a queue): interaction id → expiry. */
  readonly #direct = new Map<string, number>();
  /** Wrap-ups running: interaction id → when they end. */
  readonly #wrapups = new Map<string, number>();
  readonly #ops: Op[] = [];
  #draining = false;
  /** The running batch's transaction and what it collected. */
  #trx: ControlledTransaction<Database> | null = null;
  #current: Batch | null = null;
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Infinity;
  #closed = false;
  #stale = false;
  /** The tenant's last event sequence number. */
  #seq = 0;
  /** Every open interaction as stored (the desk writes them all), and their ids by agent. */
  readonly #open = new Map<string, InteractionRecord>();
  /** Open conversations: the interaction (agent leg) serving each now, and what its customer last heard. */
  readonly #conversations = new Map<string, { interactionId: string; told: CustomerState | null; position?: number }>();
  readonly #byAgent = new Map<string, Set<string>>();
  /** When each queue's last contacts were answered (newest last), for the estimated wait. */
  readonly #answered = new Map<string, number[]>();
  /** Counts changes to routing and timers; a failed transaction after any of them means rebuilding. */
  #mutations = 0;
  /** The request id of the action running now, stored with its result in the action's transaction. */
  #pending: { actorId: string; requestId: string; action: string; interactionId: string } | null = null;

  private constructor(options: DeskOptions) {
    this.#o = options;
    this.#engine = new RoutingEngine(options.routing);
  }

  /** Opens a desk: routing state rebuilt from the store. */
  static async open(options: DeskOptions): Promise<Desk> {
    const desk = new Desk(options);
    await desk.run(() => desk.#load());
    return desk;
  }

  get tenantId(): string {
    return this.#o.tenantId;
  }

  /**
   * Runs one operation after the ones before it. Operations that queue up
   * while a batch runs go together into the next one: one transaction,
   * each operation in its own savepoint (a failing one takes back only its
   * own writes), one commit for all (group commit). Nothing is answered and
   * no event goes out before that commit.
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#ops.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#ops.length > 0) {
        const ops = this.#ops.splice(0, MAX_BATCH);
        if (this.#stale) {
          const reload: Op = { fn: () => this.#load(), resolve: () => undefined, reject: () => undefined };
          await this.#batch([reload]);
        }
        await this.#batch(ops);
        this.#arm();
      }
    } finally {
      this.#draining = false;
    }
  }

  async #batch(ops: readonly Op[]): Promise<void> {
    const batch: Batch = { events: [], agents: new Set(), users: new Set(), customers: [], queued: [] };
    const settled: Array<() => void> = [];
    let trx: ControlledTransaction<Database>;
    try {
      trx = await this.#o.db.startTransaction().execute();
    } catch (err) {
      for (const op of ops) op.reject(err);
      return;
    }
    this.#trx = trx;
    this.#current = batch;
    try {
      for (const op of ops) {
        const mutations = this.#mutations;
        const mark = batch.events.length;
        const customerMark = batch.customers.length;
        const queuedMark = batch.queued.length;
        await sql`savepoint op`.execute(trx);
        try {
          const value = await op.fn();
          await sql`release savepoint op`.execute(trx);
          settled.push(() => op.resolve(value));
        } catch (err) {
          await sql`rollback to savepoint op`.execute(trx);
          await sql`release savepoint op`.execute(trx);
          batch.events.length = mark;
          batch.customers.length = customerMark;
          batch.queued.length = queuedMark;
          // Routing or timers moved on and the store did not: start again from what is stored.
          if (this.#mutations !== mutations) this.#stale = true;
          settled.push(() => op.reject(err));
        } finally {
          this.#pending = null;
        }
      }
      const tx: Tx = { trx, now: this.#o.clock(), actorId: null, ...batch };
      for (const agentId of batch.agents) if (await this.#refreshWorkStatus(tx, agentId)) batch.users.add(agentId);
      if (batch.events.length > 0) await storeSeq(trx, this.tenantId, this.#seq);
      await trx.commit().execute();
    } catch (err) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      this.#stale = true;
      this.#trx = null;
      this.#current = null;
      for (const op of ops) op.reject(err);
      return;
    }
    this.#trx = null;
    this.#current = null;
    for (const event of batch.events) this.#o.bus.publish('interaction.changed', event);
    for (const event of batch.customers) this.#o.bus.publish('conversation.changed', event);
    if (batch.queued.length > 0)
      this.#o.bus.publish('message.queued', { tenantId: this.tenantId, messageIds: batch.queued });
    if (batch.events.length > 0) this.#tellPositions();
    for (const userId of batch.users)
      this.#o.bus.publish('user.changed', { tenantId: this.tenantId, userId, source: 'routing' });
    for (const settle of settled) settle();
  }

  /** Where the running operation reads and writes: the batch's transaction. */
  #db(): Transaction<Database> {
    if (!this.#trx) throw new Error('desk operations run inside run()');
    return this.#trx;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  // ── reading ────────────────────────────────────────────────────────────────

  /** The agent's open interactions and the event sequence they reflect. */
  async snapshot(agentId: string): Promise<{ interactions: Interaction[]; eventSeq: number }> {
    const eventSeq = this.#seq;
    const rows = await this.#db()
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('agent_id', '=', agentId)
      .where('state', 'in', [...AGENT_STATES])
      .orderBy('created_at')
      .execute();
    return { interactions: rows.map((r) => this.#wire(toRecord(r))), eventSeq };
  }

  /** The agent's events after `afterSeq`, or null when there are more than `limit` (send a snapshot instead). */
  async replay(agentId: string, afterSeq: number, limit: number): Promise<BusEvents['interaction.changed'][] | null> {
    const events = await eventsSince(this.#db(), this.tenantId, afterSeq, limit + 1, agentId);
    if (events.length > limit) return null;
    return events.map((e) => ({
      tenantId: this.tenantId,
      seq: e.seq,
      event: e.type,
      agentId,
      interaction: e.data['interaction'] as Interaction,
      ...(e.data['detail'] ? { detail: e.data['detail'] as Record<string, unknown> } : {}),
    }));
  }

  /** One interaction, for its agent. */
  async get(actor: Actor, id: string): Promise<Interaction> {
    return this.#wire(await this.#own(actor, id));
  }

  /** The actor's interactions: the open ones, or the latest ones including finished. */
  async list(actor: Actor, opts: { open: boolean; limit: number }): Promise<Interaction[]> {
    let query = this.#db()
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('agent_id', '=', actor.id);
    if (opts.open) query = query.where('state', 'in', [...AGENT_STATES]);
    const rows = await query.orderBy('created_at', 'desc').limit(opts.limit).execute();
    return rows.map((r) => this.#wire(toRecord(r)));
  }

  /** Contacts waiting in the given queues (the picklist), oldest first. */
  async waiting(queueIds: readonly string[], limit: number): Promise<WaitingEntry[]> {
    const out: WaitingEntry[] = [];
    for (const queueId of queueIds) {
      if (!this.#engine.hasQueue(queueId)) continue;
      for (const c of this.#engine.waiting(queueId)) out.push({ ...c, queueId });
    }
    out.sort((a, b) => b.priority - a.priority || a.arrivedAt - b.arrivedAt);
    const picked = out.slice(0, limit);
    if (picked.length === 0) return [];
    const rows = await this.#db()
      .selectFrom('interactions')
      .select(['id', 'channel', 'remote_address'])
      .where('tenant_id', '=', this.tenantId)
      .where(
        'id',
        'in',
        picked.map((c) => c.contactId),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return picked.flatMap((c) => {
      const row = byId.get(c.contactId);
      return row ? [{ ...c, channel: row.channel as ChannelType, remoteAddress: row.remote_address }] : [];
    });
  }

  /** How many contacts wait in a queue and since when the oldest. */
  queueStats(queueId: string): { waiting: number; oldestArrivedAt: number | null } {
    if (!this.#engine.hasQueue(queueId)) return { waiting: 0, oldestArrivedAt: null };
    const waiting = this.#engine.waiting(queueId);
    let oldest: number | null = null;
    for (const c of waiting) if (oldest === null || c.arrivedAt < oldest) oldest = c.arrivedAt;
    return { waiting: waiting.length, oldestArrivedAt: oldest };
  }

  // ── contacts arriving ──────────────────────────────────────────────────────

  /** A customer contact arrives in a queue (channel connectors; the demo API). */
  async inbound(input: InboundInput): Promise<Interaction> {
    const queue = this.#queue(input.queueId);
    return this.#commit(null, async (tx) => this.#wire(await this.#arrive(tx, queue, input)));
  }

  /** A new inbound contact, stored and put in its queue's line. */
  async #arrive(tx: Tx, queue: QueueRecord, input: Omit<InboundInput, 'queueId'>): Promise<InteractionRecord> {
    {
      const at = nowIso(new Date(tx.now));
      const r = await this.#write(
        tx,
        {
          ...blank(this.tenantId, tx.now),
          channel: queue.channel,
          direction: 'inbound',
          state: 'incoming',
          queueId: queue.id,
          remoteAddress: input.from,
          localAddress: input.to ?? queue.addresses[0] ?? '',
          subject: input.subject ?? null,
          waitingSince: at,
          priority: queue.priority,
          preferredAgentId: input.preferredAgentId ?? null,
          conversationId: input.conversationId ?? null,
        },
        'created',
        null,
        undefined,
        true,
      );
      await this.#route(tx, {
        type: 'contact_arrived',
        contactId: r.id,
        queueId: queue.id,
        ...(input.preferredAgentId ? { preferredAgentId: input.preferredAgentId } : {}),
      });
      return this.#reload(tx, r.id);
    }
  }

  /** An agent starts a call, SMS, WhatsApp or email from an address of a queue they serve. */
  async outbound(actor: Actor, input: OutboundInput, requestId?: string): Promise<Interaction> {
    return this.#idempotent(actor, requestId, 'outbound', '', async () => {
      if (input.channel === 'chat')
        throw HttpError.invalidArgument(
          'channel: chats start from the customer; outbound works for phone, sms, whatsapp and email',
        );
      const valid =
        input.channel === 'email' ? EMAIL.test(input.to) : PHONE_NUMBER.test(input.to.replace(/[\s()-]/g, ''));
      if (!valid)
        throw HttpError.invalidArgument(
          input.channel === 'email'
            ? `to: ${JSON.stringify(input.to)} is not an email address`
            : `to: ${JSON.stringify(input.to)} is not a phone number (digits, optionally a leading +)`,
        );
      if (input.channel === 'phone') this.#reachable(input.to.replace(/[\s()-]/g, ''));
      const queue = await this.#outboundQueue(actor, input);
      const from = input.from ?? queue.addresses[0];
      if (!from) throw HttpError.forbidden(`Queue ${queue.name} has no address to send or call from.`);
      if (!this.#engine.hasRoom(actor.id, input.channel))
        throw new HttpError(
          'invalid_state',
          `You have no free ${input.channel} capacity (finish or hang up the current one first).`,
        );
      if (input.message && input.channel === 'email' && !(input.subject ?? input.message.subject))
        throw HttpError.invalidArgument('subject: an email sent at once needs a subject');
      return this.#commit(actor.id, async (tx) => {
        const to = input.channel === 'phone' ? input.to.replace(/[\s()-]/g, '') : input.to;
        // Messages need a conversation to live in; a call does not.
        const conversationId =
          input.channel === 'phone'
            ? null
            : await this.#newConversation(tx, {
                channel: input.channel,
                name: to,
                address: to,
                local: from,
                subject: input.subject ?? input.message?.subject ?? null,
              });
        let r = await this.#write(
          tx,
          {
            ...blank(this.tenantId, tx.now),
            channel: input.channel,
            direction: 'outbound',
            state: 'outgoing',
            queueId: queue.id,
            agentId: actor.id,
            remoteAddress: to,
            localAddress: from,
            subject: input.subject ?? input.message?.subject ?? null,
            conversationId,
          },
          'created',
          actor.id,
          undefined,
          true,
        );
        this.#decide(tx, { type: 'interaction_assigned', agentId: actor.id, channel: input.channel });
        // A call rings the far end; a message conversation is open at once.
        r =
          input.channel === 'phone'
            ? await this.#step(tx, r, 'alert', 'alerting', actor.id)
            : await this.#step(tx, r, 'accept', 'accepted', actor.id, { acceptedAt: nowIso(new Date(tx.now)) });
        if (conversationId) {
          await tx.trx
            .updateTable('conversations')
            .set({ interaction_id: r.id })
            .where('id', '=', conversationId)
            .execute();
          this.#conversations.set(conversationId, { interactionId: r.id, told: 'connected' });
          if (input.message) await this.#storeMessage(tx, conversationId, r, 'out', actor.id, input.message);
        }
        return this.#wire(r);
      });
    });
  }

  // ── agent actions ──────────────────────────────────────────────────────────

  /** An action of the agent on one of their interactions; a repeated `requestId` answers without acting twice. */
  async act(actor: Actor, id: string, action: AgentAction, requestId?: string): Promise<Interaction> {
    return this.#idempotent(actor, requestId, action.type, id, async () => {
      const r = await this.#own(actor, id);
      switch (action.type) {
        case 'accept':
          return this.#accept(actor, r);
        case 'reject':
          return this.#reject(actor, r);
        case 'hangup':
          return this.#hangup(actor, r);
        case 'hold':
        case 'unhold':
          return this.#hold(actor, r, action.type);
        case 'mute':
        case 'unmute':
        case 'start_recording':
        case 'stop_recording':
          return this.#flag(actor, r, action.type);
        case 'handle':
          return this.#handle(actor, r, action);
        case 'wrapup':
          return this.#wrapup(actor, r, action);
        case 'transfer':
          return this.#transfer(actor, r, action.to);
        case 'consult':
          return this.#consult(actor, r, action.to);
        case 'cancel_consult':
          return this.#cancelConsult(actor, r);
        case 'join':
        case 'conference':
          return this.#joinOrConference(actor, r, action.type);
        case 'dtmf':
          return this.#dtmf(actor, r, action.digits);
      }
    });
  }

  /** An agent takes a waiting contact from the picklist. */
  async pick(
    actor: Actor,
    contactId: string,
    servedQueueIds: readonly string[],
    requestId?: string,
  ): Promise<Interaction> {
    return this.#idempotent(actor, requestId, 'pick', contactId, async () => {
      const waiting = this.#engine.contact(contactId);
      if (!waiting) {
        const r = await findInteraction(this.#db(), this.tenantId, contactId);
        if (!r) throw new HttpError('not_found', `No contact ${contactId}.`);
        throw new HttpError(
          'invalid_state',
          `Contact ${contactId} is ${r.state}; only waiting contacts can be picked.`,
        );
      }
      if (!servedQueueIds.includes(waiting.queueId))
        throw HttpError.forbidden('You may pick contacts only from queues you serve.');
      if (waiting.offeredTo === actor.id) {
        const r = await this.#own(actor, contactId);
        return this.#accept(actor, r);
      }
      return this.#commit(actor.id, async (tx) => {
        await this.#route(tx, { type: 'contact_picked', contactId, agentId: actor.id });
        let r = await this.#reload(tx, contactId);
        r = await this.#write(
          tx,
          {
            ...r,
            state: transition({ ...r, state: transition(r, 'alert') }, 'accept'),
            agentId: actor.id,
            acceptedAt: nowIso(new Date(tx.now)),
            offerExpiresAt: null,
          },
          'picked',
          actor.id,
        );
        return this.#wire(r);
      });
    });
  }

  /** The far party answers, hangs up, declines, does not answer, or cannot be reached. */
  async remote(id: string, event: RemoteEvent): Promise<Interaction> {
    const r = await findInteraction(this.#db(), this.tenantId, id);
    if (!r) throw new HttpError('not_found', `No interaction ${id}.`);
    return this.#commit(null, async (tx) => {
      switch (event) {
        case 'answer': {
          if (r.direction !== 'outbound') throw this.#invalid(r, 'accept');
          const ringing = r.state === 'outgoing' ? await this.#step(tx, r, 'alert', 'alerting', r.agentId) : r;
          return this.#wire(
            await this.#step(tx, ringing, 'accept', 'answered', r.agentId, { acceptedAt: nowIso(new Date(tx.now)) }),
          );
        }
        case 'reject':
        case 'no_answer': {
          if (r.direction !== 'outbound') throw this.#invalid(r, event === 'reject' ? 'reject' : 'timeout');
          const ringing = r.state === 'outgoing' ? await this.#step(tx, r, 'alert', 'alerting', r.agentId) : r;
          const done = await this.#step(
            tx,
            ringing,
            event === 'reject' ? 'reject' : 'timeout',
            event === 'reject' ? 'declined' : 'no_answer',
            r.agentId,
          );
          await this.#released(tx, r);
          return this.#wire(done);
        }
        case 'fail': {
          if (r.direction === 'inbound' && (r.state === 'incoming' || r.state === 'alerting'))
            await this.#unroute(tx, r);
          const current = await this.#reload(tx, r.id);
          const done = await this.#step(tx, current, 'fail', 'failed', current.agentId);
          await this.#released(tx, current);
          return this.#wire(done);
        }
        case 'hangup': {
          if (r.direction === 'inbound' && (r.state === 'incoming' || r.state === 'alerting')) {
            // The customer gave up while waiting.
            const lostTo = r.state === 'alerting' ? r.agentId : null;
            await this.#unroute(tx, r);
            const current = await this.#reload(tx, r.id);
            return this.#wire(await this.#step(tx, current, 'abandon', 'abandoned', lostTo ?? current.agentId));
          }
          if (r.direction === 'outbound' && (r.state === 'outgoing' || r.state === 'alerting')) {
            return this.#wire(await this.#end(tx, r, 'remote_hangup'));
          }
          if (!TALKING.has(r.state)) throw this.#invalid(r, 'hangup');
          return this.#wire(await this.#end(tx, r, 'remote_hangup', { customerLeft: true }));
        }
      }
    });
  }

  /** The far party pressed keys during a call (RFC 4733 events): recorded in the interaction's event log. */
  async remoteTones(id: string, digits: string): Promise<Interaction> {
    const r = await findInteraction(this.#db(), this.tenantId, id);
    if (!r) throw new HttpError('not_found', `No interaction ${id}.`);
    if (r.channel !== 'phone') throw HttpError.invalidArgument(`dtmf: tones come with calls; this is a ${r.channel}`);
    return this.#commit(null, async (tx) =>
      this.#wire(await this.#write(tx, r, 'dtmf_received', r.agentId, { digits })),
    );
  }

  /**
   * A call whose agent's panel stayed away too long goes back to its queue,
   * ahead of newer contacts (it keeps its original waiting time).
   */
  async requeue(id: string, reason: string): Promise<Interaction | null> {
    const r = await findInteraction(this.#db(), this.tenantId, id);
    if (!r || !TALKING.has(r.state) || !r.queueId || isConsultLeg(r)) return null;
    const queueId = r.queueId;
    return this.#commit(null, async (tx) => {
      const next = await this.#successor(
        tx,
        r,
        { queueId, excluded: r.agentId ? [r.agentId] : [] },
        { requeued: reason },
      );
      const ended = await this.#end(tx, r, 'requeued', { detail: { reason, transferred_to: next.id } });
      await this.#queueAgain(tx, next, queueId);
      return this.#wire(ended);
    });
  }

  // ── conversations (web chat) ───────────────────────────────────────────────

  /** A customer starts a chat: the conversation and its first interaction, routed to the queue. */
  async startChat(input: {
    queueId: string;
    name: string;
    email: string | null;
    tokenHash: string;
  }): Promise<{ conversationId: string; interaction: Interaction }> {
    const queue = this.#queue(input.queueId);
    if (queue.channel !== 'chat') throw HttpError.invalidArgument(`queue: ${queue.name} is not a chat queue`);
    const conversationId = newId();
    await this.#db()
      .insertInto('conversations')
      .values({
        id: conversationId,
        tenant_id: this.tenantId,
        channel: 'chat',
        customer_name: input.name,
        customer_email: input.email,
        token_hash: input.tokenHash,
        interaction_id: '',
        state: 'open',
        created_at: nowIso(new Date(this.#o.clock())),
        customer_address: input.email,
        local_address: queue.addresses[0] ?? null,
        subject: null,
      })
      .execute();
    this.#mutations++;
    const interaction = await this.inbound({
      queueId: queue.id,
      from: input.email ? `${input.name} <${input.email}>` : input.name,
      conversationId,
    });
    await this.#db()
      .updateTable('conversations')
      .set({ interaction_id: interaction.id })
      .where('id', '=', conversationId)
      .execute();
    this.#conversations.set(conversationId, { interactionId: interaction.id, told: 'waiting' });
    return { conversationId, interaction };
  }

  /** The id of the conversation a customer token opens, or null. */
  async conversationIdByToken(tokenHash: string): Promise<string | null> {
    const row = await this.#db()
      .selectFrom('conversations')
      .select('id')
      .where('tenant_id', '=', this.tenantId)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The conversation a customer token opens, with its history; null for an unknown token. */
  async conversationByToken(tokenHash: string): Promise<ConversationView | null> {
    const row = await this.#db()
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    const current = this.#open.get(row.interaction_id);
    const state: CustomerState = row.state !== 'open' ? 'closed' : customerStateOf(current?.state ?? 'incoming');
    const position = state === 'waiting' ? this.#positionOf(row.interaction_id) : undefined;
    const estimate = position !== undefined && current?.queueId ? this.#estimate(current.queueId, position) : undefined;
    return {
      id: row.id,
      state,
      agent: state === 'connected' && current?.agentId ? await this.#displayName(current.agentId) : null,
      ...(position === undefined ? {} : { position }),
      ...(estimate === undefined ? {} : { estimatedWaitSeconds: estimate }),
      messages: await this.#messagesOf(row.id),
    };
  }

  /** The messages of one of the agent's interactions' conversation, oldest first. */
  async messages(actor: Actor, interactionId: string): Promise<Message[]> {
    const r = await this.#own(actor, interactionId);
    return r.conversationId ? this.#messagesOf(r.conversationId) : [];
  }

  /** An agent writes to the customer of a conversation they are in (chat, SMS, WhatsApp, email). */
  async agentMessage(actor: Actor, interactionId: string, input: MessageInput): Promise<Message> {
    const r = await this.#own(actor, interactionId);
    if (!r.conversationId)
      throw HttpError.invalidArgument(`message: interaction ${r.id} has no conversation to write to`);
    if (!TALKING.has(r.state))
      throw new HttpError(
        'invalid_state',
        `Interaction ${r.id} is ${r.state}; messages go to conversations in progress.`,
      );
    return this.#postMessage(r.conversationId, r, 'out', actor.id, input);
  }

  /** A customer writes; the message goes to the conversation's current leg. */
  async customerMessage(conversationId: string, input: MessageInput): Promise<Message> {
    const current = this.#conversations.get(conversationId);
    const r = current ? this.#open.get(current.interactionId) : undefined;
    if (!current || !r) throw new HttpError('invalid_state', 'This conversation has ended; start a new one.');
    return this.#postMessage(conversationId, r, 'in', null, input);
  }

  /**
   * A customer's SMS, WhatsApp message or email arrives. It joins the
   * conversation it continues (the same number and queue address; for email
   * the thread of `In-Reply-To`/`References`) while that is in progress;
   * otherwise a new interaction is routed to the queue, in the same
   * conversation when there was one (its history stays together, its last
   * agent is preferred). A repeated provider id is answered, not stored again.
   */
  async inboundMessage(
    input: InboundMessageInput,
  ): Promise<{ message: Message; interactionId: string; duplicate: boolean }> {
    const queue = this.#queue(input.queueId);
    if (queue.channel !== input.channel)
      throw HttpError.invalidArgument(`to: ${input.to} is a ${queue.channel} address, not ${input.channel}`);
    if (input.externalId) {
      const seen = await this.#db()
        .selectFrom('messages')
        .selectAll()
        .where('tenant_id', '=', this.tenantId)
        .where('external_id', '=', input.externalId)
        .executeTakeFirst();
      if (seen) {
        const [message] = await this.#wireMessages([seen]);
        if (message) return { message, interactionId: seen.interaction_id, duplicate: true };
      }
    }
    return this.#commit(null, async (tx) => {
      let conversationId: string | null = null;
      if (input.channel === 'email' && input.thread?.length) {
        const answered = await tx.trx
          .selectFrom('messages')
          .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
          .select('messages.conversation_id')
          .where('messages.tenant_id', '=', this.tenantId)
          .where('messages.external_id', 'in', [...input.thread])
          .where('conversations.channel', '=', 'email')
          .orderBy('messages.created_at', 'desc')
          .executeTakeFirst();
        conversationId = answered?.conversation_id ?? null;
      } else if (input.channel !== 'email') {
        const latest = await tx.trx
          .selectFrom('conversations')
          .select('id')
          .where('tenant_id', '=', this.tenantId)
          .where('channel', '=', input.channel)
          .where('customer_address', '=', input.from)
          .where('local_address', '=', input.to)
          .orderBy('created_at', 'desc')
          .executeTakeFirst();
        conversationId = latest?.id ?? null;
      }
      let r: InteractionRecord | undefined;
      if (conversationId) {
        const entry = this.#conversations.get(conversationId);
        r = entry ? this.#open.get(entry.interactionId) : undefined;
        // A conversation that ended (or is being wrapped up) gets a new interaction.
        if (r && !(r.state === 'incoming' || r.state === 'alerting' || TALKING.has(r.state))) r = undefined;
      }
      if (!r) {
        let preferredAgentId: string | undefined;
        if (conversationId) {
          const last = await tx.trx
            .selectFrom('interactions')
            .select('agent_id')
            .where('tenant_id', '=', this.tenantId)
            .where('conversation_id', '=', conversationId)
            .where('agent_id', 'is not', null)
            .orderBy('created_at', 'desc')
            .executeTakeFirst();
          preferredAgentId = last?.agent_id ?? undefined;
          await tx.trx.updateTable('conversations').set({ state: 'open' }).where('id', '=', conversationId).execute();
        } else {
          conversationId = await this.#newConversation(tx, {
            channel: input.channel,
            name: input.name || input.from,
            address: input.from,
            local: input.to,
            subject: input.subject ?? null,
          });
        }
        r = await this.#arrive(tx, queue, {
          from: input.name && input.channel === 'email' ? `${input.name} <${input.from}>` : input.from,
          to: input.to,
          ...(input.subject ? { subject: input.subject } : {}),
          conversationId,
          ...(preferredAgentId ? { preferredAgentId } : {}),
        });
        await tx.trx
          .updateTable('conversations')
          .set({ interaction_id: r.id })
          .where('id', '=', conversationId)
          .execute();
        this.#conversations.set(conversationId, { interactionId: r.id, told: 'waiting' });
        this.#mutations++;
      }
      if (!r.conversationId) throw new Error(`interaction ${r.id} lost its conversation`);
      const message = await this.#storeMessage(
        tx,
        r.conversationId,
        r,
        'in',
        null,
        { content: input.content, ...(input.subject ? { subject: input.subject } : {}) },
        {
          external_id: input.externalId ?? null,
          html: input.html ?? null,
          meta:
            input.channel === 'email'
              ? { from: input.from, to: [input.to], cc: input.cc ?? [], references: input.thread ?? [] }
              : input.media?.length
                ? { media: input.media }
                : null,
        },
        input.attachments ?? [],
      );
      return { message, interactionId: r.id, duplicate: false };
    });
  }

  /**
   * A delivery report: the provider or relay took, delivered or failed an
   * outgoing message, or a chat side read it. Statuses only move forward
   * (a late `sent` after `delivered` changes nothing). Null for an unknown message.
   */
  async messageStatus(input: {
    id?: string;
    externalId?: string;
    status: MessageStatus;
    error?: string;
    /** The provider's id, learnt when it accepted the message. */
    setExternalId?: string;
  }): Promise<Message | null> {
    let query = this.#db().selectFrom('messages').selectAll().where('tenant_id', '=', this.tenantId);
    if (input.id) query = query.where('id', '=', input.id);
    else if (input.externalId) query = query.where('external_id', '=', input.externalId);
    else return null;
    const row = await query.executeTakeFirst();
    if (!row) return null;
    const rank = STATUS_RANK[input.status];
    const forward =
      input.status === 'failed'
        ? row.status === 'queued' || row.status === 'sent'
        : rank > STATUS_RANK[row.status as MessageStatus];
    if (!forward && !(input.setExternalId && !row.external_id)) return (await this.#wireMessages([row]))[0] ?? null;
    return this.#commit(null, async (tx) => {
      const set = {
        ...(forward ? { status: input.status } : {}),
        ...(input.status === 'failed' ? { error: (input.error ?? 'delivery failed').slice(0, 500) } : {}),
        ...(input.setExternalId && !row.external_id ? { external_id: input.setExternalId } : {}),
      };
      await tx.trx.updateTable('messages').set(set).where('id', '=', row.id).execute();
      const updated = { ...row, ...set };
      const [message] = await this.#wireMessages([updated]);
      if (!message) throw new Error(`message ${row.id} vanished`);
      const r =
        this.#open.get(row.interaction_id) ?? (await findInteraction(tx.trx, this.tenantId, row.interaction_id));
      if (r && forward) await this.#write(tx, r, 'message_status', r.agentId, { message });
      const conversation = this.#conversations.get(row.conversation_id);
      if (conversation && forward)
        tx.customers.push({ tenantId: this.tenantId, conversationId: row.conversation_id, message });
      return message;
    });
  }

  /** One side of a chat saw the other's messages up to `messageId`: they become `read`. */
  async markRead(
    reader: { agentId: string; interactionId: string } | { conversationId: string },
    messageId: string,
  ): Promise<number> {
    let conversationId: string;
    if ('agentId' in reader) {
      const r = await this.#own({ id: reader.agentId, username: '' }, reader.interactionId);
      if (!r.conversationId) return 0;
      conversationId = r.conversationId;
    } else conversationId = reader.conversationId;
    const upTo = await this.#db()
      .selectFrom('messages')
      .select(['created_at', 'direction'])
      .where('id', '=', messageId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (!upTo) throw new HttpError('not_found', `No message ${messageId} in this conversation.`);
    const direction = 'agentId' in reader ? 'in' : 'out';
    const unread = await this.#db()
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', direction)
      .where('status', 'in', ['sent', 'delivered'])
      .where('created_at', '<=', upTo.created_at)
      .execute();
    for (const m of unread) await this.messageStatus({ id: m.id, status: 'read' });
    return unread.length;
  }

  /** A stored outgoing message with what the dispatcher needs to send it; null unless still queued. */
  async outgoing(messageId: string): Promise<OutgoingMessage | null> {
    const row = await this.#db()
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select([
        'messages.id',
        'messages.body',
        'messages.subject',
        'messages.status',
        'messages.external_id',
        'messages.meta',
        'conversations.channel',
        'conversations.customer_address',
        'conversations.local_address',
      ])
      .where('messages.tenant_id', '=', this.tenantId)
      .where('messages.id', '=', messageId)
      .where('messages.direction', '=', 'out')
      .executeTakeFirst();
    if (!row || row.status !== 'queued') return null;
    if (row.channel !== 'sms' && row.channel !== 'whatsapp' && row.channel !== 'email') return null;
    const meta = parseMeta(row.meta);
    const files = await this.#db()
      .selectFrom('attachments')
      .select(['name', 'content_type', 'data'])
      .where('message_id', '=', row.id)
      .execute();
    return {
      id: row.id,
      channel: row.channel,
      from: typeof meta['from'] === 'string' ? meta['from'] : (row.local_address ?? ''),
      to: strings(meta['to']).length ? strings(meta['to']) : row.customer_address ? [row.customer_address] : [],
      cc: strings(meta['cc']),
      subject: row.subject,
      content: row.body,
      messageId: row.channel === 'email' ? row.external_id : null,
      inReplyTo: typeof meta['in_reply_to'] === 'string' ? meta['in_reply_to'] : null,
      references: strings(meta['references']),
      attachments: files.map((f) => ({
        name: f.name,
        contentType: f.content_type,
        data: Buffer.from(f.data, 'base64'),
      })),
      status: row.status,
    };
  }

  /** Outgoing messages stored but not yet handed over (after a restart), oldest first. */
  async queuedMessageIds(limit = 1000): Promise<string[]> {
    const rows = await this.#db()
      .selectFrom('messages')
      .select('id')
      .where('tenant_id', '=', this.tenantId)
      .where('status', '=', 'queued')
      .where('direction', '=', 'out')
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A file a customer uploads to their chat, sent with their next message. */
  async addAttachment(
    conversationId: string,
    file: { name: string; contentType: string; data: Buffer },
  ): Promise<{ id: string; name: string; content_type: string; size: number }> {
    if (!this.#conversations.has(conversationId))
      throw new HttpError('invalid_state', 'This conversation has ended; start a new one.');
    const row: AttachmentTable = {
      id: newId(),
      tenant_id: this.tenantId,
      conversation_id: conversationId,
      message_id: null,
      name: file.name,
      content_type: file.contentType,
      size: file.data.length,
      data: file.data.toString('base64'),
      created_at: nowIso(new Date(this.#o.clock())),
    };
    await this.#db().insertInto('attachments').values(row).execute();
    return { id: row.id, name: row.name, content_type: row.content_type, size: row.size };
  }

  /** An attachment for its conversation's customer, or for an agent who served (or supervises) it. */
  async attachment(
    id: string,
    reader: { conversationId: string } | { userId: string; supervisor: boolean },
  ): Promise<{ name: string; contentType: string; data: Buffer } | null> {
    const row = await this.#db()
      .selectFrom('attachments')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    if ('conversationId' in reader) {
      if (row.conversation_id !== reader.conversationId) return null;
    } else if (!reader.supervisor) {
      const served = await this.#db()
        .selectFrom('interactions')
        .select('id')
        .where('tenant_id', '=', this.tenantId)
        .where('conversation_id', '=', row.conversation_id)
        .where('agent_id', '=', reader.userId)
        .executeTakeFirst();
      if (!served) throw HttpError.forbidden(`Attachment ${id} belongs to a conversation you did not serve.`);
    }
    return { name: row.name, contentType: row.content_type, data: Buffer.from(row.data, 'base64') };
  }

  /** Someone types in a conversation: its other side hears of it. Only news: nothing is stored. */
  typing(from: { agentId: string; interactionId: string } | { conversationId: string }): void {
    let r: InteractionRecord | undefined;
    if ('agentId' in from) {
      r = this.#open.get(from.interactionId);
      if (!r || r.agentId !== from.agentId || !TALKING.has(r.state)) return;
    } else {
      const entry = this.#conversations.get(from.conversationId);
      r = entry ? this.#open.get(entry.interactionId) : undefined;
    }
    if (!r?.conversationId) return;
    this.#o.bus.publish('conversation.typing', {
      tenantId: this.tenantId,
      conversationId: r.conversationId,
      interactionId: r.id,
      agentId: r.agentId,
      from: 'agentId' in from ? 'agent' : 'customer',
    });
  }

  /** The customer leaves: a waiting chat is abandoned, a running one ends. */
  async customerLeft(conversationId: string): Promise<void> {
    const current = this.#conversations.get(conversationId);
    const r = current ? this.#open.get(current.interactionId) : undefined;
    if (!r || !(r.state === 'incoming' || r.state === 'alerting' || TALKING.has(r.state))) return;
    await this.remote(r.id, 'hangup');
  }

  async #newConversation(
    tx: Tx,
    c: {
      channel: ChannelType;
      name: string;
      email?: string | null;
      address: string;
      local: string;
      subject: string | null;
      tokenHash?: string;
    },
  ): Promise<string> {
    const id = newId();
    await tx.trx
      .insertInto('conversations')
      .values({
        id,
        tenant_id: this.tenantId,
        channel: c.channel,
        customer_name: c.name.slice(0, 200),
        customer_email: c.email ?? (c.channel === 'email' ? c.address : null),
        token_hash: c.tokenHash ?? null,
        interaction_id: '',
        state: 'open',
        created_at: nowIso(new Date(tx.now)),
        customer_address: c.address,
        local_address: c.local,
        subject: c.subject,
      })
      .execute();
    return id;
  }

  async #postMessage(
    conversationId: string,
    r: InteractionRecord,
    direction: 'in' | 'out',
    authorId: string | null,
    input: MessageInput,
  ): Promise<Message> {
    if (input.clientMessageId) {
      const seen = await this.#db()
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', direction)
        .where('client_message_id', '=', input.clientMessageId)
        .executeTakeFirst();
      // A resend of a stored message is the same message: acknowledged again, stored once.
      const [message] = seen ? await this.#wireMessages([seen]) : [];
      if (message) return message;
    }
    return this.#commit(authorId, (tx) => this.#storeMessage(tx, conversationId, r, direction, authorId, input));
  }

  /**
   * Stores one message and its event. An agent's SMS, WhatsApp or email is
   * stored `queued` for the dispatcher, with the channel's rules applied
   * first: WhatsApp's 24-hour window and templates, email's thread headers.
   */
  async #storeMessage(
    tx: Tx,
    conversationId: string,
    r: InteractionRecord,
    direction: 'in' | 'out',
    authorId: string | null,
    input: MessageInput,
    extra: { external_id?: string | null; html?: string | null; meta?: Record<string, unknown> | null } = {},
    files: ReadonlyArray<{ name: string; contentType: string; data: Buffer }> = [],
  ): Promise<Message> {
    if (direction === 'out') {
      const refused = refuseFields(r.channel, input);
      if (refused) throw HttpError.invalidArgument(refused);
    }
    const id = newId();
    const external = direction === 'out' && (r.channel === 'sms' || r.channel === 'whatsapp' || r.channel === 'email');
    let body = input.content;
    let subject = input.subject ?? null;
    let externalId = extra.external_id ?? null;
    let meta = extra.meta ?? null;
    if (external && r.channel === 'whatsapp') {
      const template = await this.#whatsappRule(tx, conversationId, input);
      if (template) {
        body = template.body;
        meta = { template_id: template.id };
      }
    }
    if (external && r.channel === 'email') {
      const conversation = await tx.trx
        .selectFrom('conversations')
        .select(['customer_address', 'subject'])
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      const last = await tx.trx
        .selectFrom('messages')
        .select(['external_id', 'meta'])
        .where('conversation_id', '=', conversationId)
        .where('external_id', 'is not', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      const to = input.to?.length
        ? [...input.to]
        : conversation.customer_address
          ? [conversation.customer_address]
          : [];
      for (const address of [...to, ...(input.cc ?? [])])
        if (!EMAIL.test(address))
          throw HttpError.invalidArgument(`to: ${JSON.stringify(address)} is not an email address`);
      if (to.length === 0) throw HttpError.invalidArgument('to: name at least one recipient');
      subject ??= conversation.subject ? reply(conversation.subject) : null;
      if (!subject) throw HttpError.invalidArgument('subject: an email needs a subject');
      const domain = r.localAddress.split('@')[1] ?? 'parley.local';
      externalId = `<${id}@${domain}>`;
      const references = last?.external_id ? [...strings(parseMeta(last.meta)['references']), last.external_id] : [];
      meta = {
        from: r.localAddress,
        to,
        cc: input.cc ?? [],
        ...(last?.external_id ? { in_reply_to: last.external_id } : {}),
        references: references.slice(-20),
      };
    }
    if (body.trim() === '' && !input.attachmentIds?.length) throw HttpError.invalidArgument('content: write something');
    const row: MessageTable = {
      id,
      tenant_id: this.tenantId,
      conversation_id: conversationId,
      interaction_id: r.id,
      direction,
      author_id: authorId,
      client_message_id: input.clientMessageId ?? null,
      body,
      status: external ? 'queued' : 'sent',
      created_at: nowIso(new Date(tx.now)),
      subject,
      html: extra.html ?? null,
      external_id: externalId,
      error: null,
      meta: meta ? JSON.stringify(meta) : null,
    };
    await tx.trx.insertInto('messages').values(row).execute();
    if (input.attachmentIds?.length) {
      const linked = await tx.trx
        .updateTable('attachments')
        .set({ message_id: id })
        .where('conversation_id', '=', conversationId)
        .where('message_id', 'is', null)
        .where('id', 'in', [...input.attachmentIds])
        .executeTakeFirst();
      if (Number(linked.numUpdatedRows) !== new Set(input.attachmentIds).size)
        throw HttpError.invalidArgument('attachments: upload each file to this conversation first, and send it once');
    }
    for (const f of files)
      await tx.trx
        .insertInto('attachments')
        .values({
          id: newId(),
          tenant_id: this.tenantId,
          conversation_id: conversationId,
          message_id: id,
          name: f.name,
          content_type: f.contentType,
          size: f.data.length,
          data: f.data.toString('base64'),
          created_at: row.created_at,
        })
        .execute();
    if (external) tx.queued.push(id);
    const [message] = await this.#wireMessages([row]);
    if (!message) throw new Error(`message ${id} vanished`);
    await this.#write(tx, r, 'message', r.agentId, { message });
    if (r.channel === 'chat') tx.customers.push({ tenantId: this.tenantId, conversationId, message });
    return message;
  }

  /**
   * WhatsApp lets a business write free text only within 24 hours of the
   * customer's last message; otherwise (and to a number that never wrote)
   * only an approved template. Returns the template to send, if one is used.
   */
  async #whatsappRule(
    tx: Tx,
    conversationId: string,
    input: MessageInput,
  ): Promise<{ id: string; body: string } | null> {
    if (input.templateId !== undefined) {
      const template = (await this.#templates(tx)).find((t) => t.id === input.templateId);
      if (!template)
        throw HttpError.invalidArgument(`template_id: no WhatsApp template ${JSON.stringify(input.templateId)}`);
      return template;
    }
    const c = await tx.trx
      .selectFrom('conversations')
      .select(['customer_address', 'local_address'])
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    const last = await tx.trx
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select('messages.created_at')
      .where('messages.tenant_id', '=', this.tenantId)
      .where('conversations.channel', '=', 'whatsapp')
      .where('conversations.customer_address', '=', c.customer_address)
      .where('messages.direction', '=', 'in')
      .orderBy('messages.created_at', 'desc')
      .executeTakeFirst();
    if (!last)
      throw new HttpError(
        'template_required',
        `${c.customer_address ?? 'This number'} has never written to you on WhatsApp: the first message must be a template.`,
      );
    if (tx.now - Date.parse(last.created_at) > WHATSAPP_WINDOW_MS)
      throw new HttpError(
        'template_required',
        `The customer last wrote ${last.created_at}, more than 24 hours ago: WhatsApp allows only a template now.`,
      );
    return null;
  }

  async #templates(tx: Tx): Promise<Array<{ id: string; body: string }>> {
    const row = await tx.trx
      .selectFrom('tenants')
      .select('settings')
      .where('id', '=', this.tenantId)
      .executeTakeFirst();
    return whatsappTemplates(row?.settings ?? '{}');
  }

  async #messagesOf(conversationId: string): Promise<Message[]> {
    const rows = await this.#db()
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1000)
      .execute();
    return this.#wireMessages(rows);
  }

  /** Messages as the wire has them: authors' names and attachments looked up once for all. */
  async #wireMessages(rows: readonly MessageTable[]): Promise<Message[]> {
    if (rows.length === 0) return [];
    const db = this.#db();
    const conversationIds = [...new Set(rows.map((m) => m.conversation_id))];
    const customers = await db
      .selectFrom('conversations')
      .select(['id', 'customer_name'])
      .where('id', 'in', conversationIds)
      .execute();
    const customerNames = new Map(customers.map((c) => [c.id, c.customer_name]));
    const agentIds = [...new Set(rows.flatMap((m) => (m.author_id ? [m.author_id] : [])))];
    const agents = agentIds.length
      ? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', agentIds).execute()
      : [];
    const names = new Map(agents.map((a) => [a.id, a.display_name]));
    const files = await db
      .selectFrom('attachments')
      .select(['id', 'message_id', 'name', 'content_type', 'size'])
      .where(
        'message_id',
        'in',
        rows.map((m) => m.id),
      )
      .execute();
    const byMessage = new Map<string, Array<{ id: string; name: string; content_type: string; size: number }>>();
    for (const f of files)
      if (f.message_id)
        byMessage.set(f.message_id, [
          ...(byMessage.get(f.message_id) ?? []),
          { id: f.id, name: f.name, content_type: f.content_type, size: Number(f.size) },
        ]);
    return rows.map((m) =>
      toWireMessage(
        m,
        m.author_id ? (names.get(m.author_id) ?? 'Agent') : (customerNames.get(m.conversation_id) ?? 'Customer'),
        byMessage.get(m.id) ?? [],
      ),
    );
  }

  async #displayName(userId: string): Promise<string | null> {
    const u = await this.#db().selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
    return u?.display_name ?? null;
  }

  /** The conversation is now served by another leg (transfer, join). */
  async #moveConversation(tx: Tx, conversationId: string, to: InteractionRecord): Promise<void> {
    await tx.trx.updateTable('conversations').set({ interaction_id: to.id }).where('id', '=', conversationId).execute();
    const entry = this.#conversations.get(conversationId);
    this.#conversations.set(conversationId, { interactionId: to.id, told: entry?.told ?? null });
    this.#mutations++;
    await this.#tellCustomer(tx, to);
  }

  /**
   * About how long the customer at `position` waits: the queue's recent pace
   * (the mean time between its last answered contacts, gaps over half an
   * hour left out as idle time) times the place in line. Undefined until the
   * queue has answered a few contacts: no number beats a made-up one.
   */
  #estimate(queueId: string, position: number): number | undefined {
    const times = this.#answered.get(queueId) ?? [];
    const gaps: number[] = [];
    for (let k = 1; k < times.length; k++) {
      const gap = (times[k] ?? 0) - (times[k - 1] ?? 0);
      if (gap <= 30 * 60_000) gaps.push(gap);
    }
    if (gaps.length < 2) return undefined;
    const pace = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    return Math.max(10, Math.round((pace * position) / 1000 / 10) * 10);
  }

  /** A waiting customer's place in line (1 = next), or undefined when not waiting in a queue. */
  #positionOf(interactionId: string): number | undefined {
    const r = this.#open.get(interactionId);
    if (!r?.queueId || !this.#engine.contact(r.id)) return undefined;
    const index = this.#engine.waiting(r.queueId).findIndex((c) => c.contactId === r.id);
    return index >= 0 ? index + 1 : undefined;
  }

  /** Tells waiting customers their new place in line when it changed (not stored: it is only news). */
  #tellPositions(): void {
    // One pass over each line with a waiting chat in it, not one per chat.
    const lines = new Map<string, Map<string, number>>();
    for (const [conversationId, entry] of this.#conversations) {
      if (entry.told !== 'waiting') continue;
      const queueId = this.#open.get(entry.interactionId)?.queueId;
      if (!queueId || !this.#engine.hasQueue(queueId)) continue;
      let line = lines.get(queueId);
      if (!line) {
        line = new Map(this.#engine.waiting(queueId).map((c, i) => [c.contactId, i + 1]));
        lines.set(queueId, line);
      }
      const position = line.get(entry.interactionId);
      if (position === undefined || position === entry.position) continue;
      entry.position = position;
      const estimate = this.#estimate(queueId, position);
      this.#o.bus.publish('conversation.changed', {
        tenantId: this.tenantId,
        conversationId,
        state: 'waiting',
        position,
        ...(estimate === undefined ? {} : { estimatedWaitSeconds: estimate }),
      });
    }
  }

  /** Tells the customer when their conversation's current leg changes how it stands for them. */
  async #tellCustomer(tx: Tx, r: InteractionRecord): Promise<void> {
    if (!r.conversationId) return;
    const entry = this.#conversations.get(r.conversationId);
    if (!entry || entry.interactionId !== r.id) return;
    const state = customerStateOf(r.state);
    if (state === entry.told) return;
    entry.told = state;
    this.#mutations++;
    if (state === 'closed') {
      this.#conversations.delete(r.conversationId);
      await tx.trx.updateTable('conversations').set({ state: 'closed' }).where('id', '=', r.conversationId).execute();
    }
    tx.customers.push({
      tenantId: this.tenantId,
      conversationId: r.conversationId,
      state,
      agent: state === 'connected' && r.agentId ? await this.#displayName(r.agentId) : null,
    });
  }

  // ── routing inputs ─────────────────────────────────────────────────────────

  /** The agent's stored state, memberships or connection changed. */
  async agentChanged(userId: string): Promise<void> {
    const spec = await this.#agentSpec(userId);
    await this.#commit(null, async (tx) => {
      await this.#route(tx, { type: 'agent_updated', agent: spec });
    });
  }

  /** The agent's last panel went away: pending offers go elsewhere at once. */
  async agentDisconnected(userId: string): Promise<void> {
    await this.#commit(null, async (tx) => {
      await this.#route(tx, { type: 'agent_disconnected', agentId: userId });
      for (const [id] of this.#direct) {
        const r = await this.#reload(tx, id);
        if (r.agentId === userId && r.state === 'alerting') await this.#directEnded(tx, r, 'disconnected');
      }
    });
  }

  /** A queue's configuration changed. */
  async queueChanged(): Promise<void> {
    await this.#loadQueues();
    await this.#commit(null, async (tx) => {
      for (const q of this.#queues.values()) await this.#route(tx, { type: 'queue_configured', queue: specOf(q) });
    });
  }

  /** Runs whatever is due now: offer timeouts, overflow, preferred windows, direct offers, wrap-ups. */
  async tick(): Promise<void> {
    await this.#commit(null, async (tx) => {
      await this.#route(tx, { type: 'tick' });
      for (let t = this.#timers.peek(); t && t.at <= tx.now; t = this.#timers.peek()) {
        this.#timers.pop();
        if (t.kind === 'direct' && this.#direct.get(t.id) === t.at) {
          this.#forget(this.#direct, t.id);
          const r = await this.#reload(tx, t.id);
          if (r.state === 'alerting') await this.#directEnded(tx, r, 'timeout');
        } else if (t.kind === 'wrapup' && this.#wrapups.get(t.id) === t.at) {
          this.#forget(this.#wrapups, t.id);
          const r = await this.#reload(tx, t.id);
          if (r.state === 'wrap_up') {
            const done = await this.#step(tx, r, 'handle', 'handled', r.agentId, {}, { auto: true });
            this.#forget(this.#wrapups, done.id);
            await this.#released(tx, r);
          }
        }
      }
    });
  }

  // ── the actions ────────────────────────────────────────────────────────────

  async #accept(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    if (r.direction !== 'inbound' || r.state !== 'alerting') throw this.#invalid(r, 'accept');
    return this.#commit(actor.id, async (tx) => {
      if (this.#direct.has(r.id)) this.#forget(this.#direct, r.id);
      else {
        await this.#route(tx, { type: 'offer_accepted', contactId: r.id, agentId: actor.id });
        if (r.queueId) this.#answered.set(r.queueId, [...(this.#answered.get(r.queueId) ?? []), tx.now].slice(-11));
      }
      const done = await this.#step(tx, r, 'accept', 'accepted', actor.id, {
        acceptedAt: nowIso(new Date(tx.now)),
        offerExpiresAt: null,
      });
      const peer = r.peerId ? await this.#reload(tx, r.peerId) : null;
      if (peer && peer.state === 'alerting')
        await this.#step(tx, peer, 'accept', 'consult_accepted', peer.agentId, {
          acceptedAt: nowIso(new Date(tx.now)),
        });
      return this.#wire(done);
    });
  }

  async #reject(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    if (r.direction !== 'inbound' || r.state !== 'alerting') throw this.#invalid(r, 'reject');
    return this.#commit(actor.id, async (tx) => {
      if (this.#direct.has(r.id)) return this.#wire(await this.#directEnded(tx, r, 'rejected'));
      const decisions = this.#decide(tx, { type: 'offer_rejected', contactId: r.id, agentId: actor.id });
      const back = await this.#step(tx, r, 'reject', 'rejected', actor.id, {
        agentId: null,
        offerExpiresAt: null,
        excluded: [...new Set([...r.excluded, actor.id])],
      });
      await this.#apply(tx, decisions);
      return this.#wire(back);
    });
  }

  async #hangup(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    if (r.consultationOf && r.direction === 'outbound') return this.#cancelConsult(actor, r);
    const ringingOut = r.direction === 'outbound' && (r.state === 'outgoing' || r.state === 'alerting');
    if (!ringingOut && !TALKING.has(r.state)) throw this.#invalid(r, 'hangup');
    return this.#commit(actor.id, async (tx) => this.#wire(await this.#end(tx, r, 'hangup')));
  }

  async #hold(actor: Actor, r: InteractionRecord, action: 'hold' | 'unhold'): Promise<Interaction> {
    if (r.channel !== 'phone')
      throw HttpError.invalidArgument(`${action}: only calls can be held; this is a ${r.channel}`);
    return this.#commit(actor.id, async (tx) =>
      this.#wire(
        await this.#step(tx, r, action, action === 'hold' ? 'held' : 'unheld', actor.id, { held: action === 'hold' }),
      ),
    );
  }

  async #flag(
    actor: Actor,
    r: InteractionRecord,
    action: 'mute' | 'unmute' | 'start_recording' | 'stop_recording',
  ): Promise<Interaction> {
    if (r.channel !== 'phone')
      throw HttpError.invalidArgument(`${action}: only calls can be muted or recorded; this is a ${r.channel}`);
    if (!TALKING.has(r.state)) {
      throw new HttpError('invalid_state', `Interaction ${r.id} is ${r.state}; ${action} needs a call in progress.`);
    }
    const patch =
      action === 'mute' || action === 'unmute'
        ? { muted: action === 'mute' }
        : { recording: action === 'start_recording' };
    return this.#commit(actor.id, async (tx) =>
      this.#wire(await this.#write(tx, { ...r, ...patch }, action, actor.id)),
    );
  }

  /** Tones into a call (an IVR's menu, say). Recorded as an event; the audio arrives with the media plane. */
  async #dtmf(actor: Actor, r: InteractionRecord, digits: string): Promise<Interaction> {
    if (r.channel !== 'phone') throw HttpError.invalidArgument(`dtmf: tones go into calls; this is a ${r.channel}`);
    if (r.state !== 'accepted')
      throw new HttpError('invalid_state', `Interaction ${r.id} is ${r.state}; tones need a call in progress.`);
    return this.#commit(actor.id, async (tx) => this.#wire(await this.#write(tx, r, 'dtmf', actor.id, { digits })));
  }

  async #handle(actor: Actor, r: InteractionRecord, input: { code?: string; notes?: string }): Promise<Interaction> {
    if (r.state !== 'ended' && r.state !== 'wrap_up') throw this.#invalid(r, 'handle');
    const wrapup = await this.#disposition(r, input);
    return this.#commit(actor.id, async (tx) => {
      const done = await this.#step(tx, r, 'handle', 'handled', actor.id, { wrapup });
      this.#forget(this.#wrapups, r.id);
      await this.#released(tx, r);
      return this.#wire(done);
    });
  }

  async #wrapup(
    actor: Actor,
    r: InteractionRecord,
    input: { code?: string; notes?: string; extendSeconds?: number },
  ): Promise<Interaction> {
    if (!['accepted', 'held', 'ended', 'wrap_up'].includes(r.state)) {
      throw new HttpError(
        'invalid_state',
        `Interaction ${r.id} is ${r.state}; a disposition can be set until it is handled.`,
      );
    }
    const wrapup = await this.#disposition(r, input);
    let wrapupUntil = r.wrapupUntil;
    if (input.extendSeconds !== undefined) {
      if (r.state !== 'wrap_up' || !r.wrapupUntil || !r.endedAt)
        throw new HttpError(
          'invalid_state',
          `Interaction ${r.id} is ${r.state}; only a running wrap-up can be extended.`,
        );
      const until = Date.parse(r.wrapupUntil) + input.extendSeconds * 1000;
      const total = Math.round((until - Date.parse(r.endedAt)) / 1000);
      if (total > MAX_WRAPUP_SECONDS)
        throw HttpError.invalidArgument(
          `extend_seconds: wrap-up may last at most ${MAX_WRAPUP_SECONDS} s in all; ${Math.max(0, MAX_WRAPUP_SECONDS - Math.round((Date.parse(r.wrapupUntil) - Date.parse(r.endedAt)) / 1000))} s are left`,
        );
      wrapupUntil = nowIso(new Date(until));
    }
    return this.#commit(actor.id, async (tx) => {
      const done = await this.#write(tx, { ...r, wrapup, wrapupUntil }, 'disposition', actor.id, {
        ...(input.extendSeconds === undefined ? {} : { extended_by: input.extendSeconds }),
      });
      if (wrapupUntil && wrapupUntil !== r.wrapupUntil) this.#schedule('wrapup', r.id, Date.parse(wrapupUntil));
      return this.#wire(done);
    });
  }

  async #transfer(actor: Actor, r: InteractionRecord, to: TargetInput): Promise<Interaction> {
    if (!TALKING.has(r.state)) throw this.#needsConversation(r, 'transfer');
    if (isConsultLeg(r))
      throw HttpError.invalidArgument('transfer: use join to hand the customer to the consulted party');
    const target = await this.#target(actor, to, r.channel);
    return this.#commit(actor.id, async (tx) => {
      const next =
        target.kind === 'number'
          ? null
          : await this.#successor(
              tx,
              r,
              {
                queueId: target.kind === 'queue' ? target.id : r.queueId,
                target: target.kind === 'agent' ? target : null,
              },
              { transferred_by: actor.id },
            );
      const ended = await this.#end(tx, r, 'transferred', {
        detail: { target, ...(next ? { transferred_to: next.id } : {}) },
      });
      if (next && target.kind === 'queue') {
        await this.#queueAgain(tx, next, target.id);
      } else if (next && target.kind === 'agent') {
        await this.#offerDirect(tx, next, target.id);
      }
      return this.#wire(ended);
    });
  }

  async #consult(actor: Actor, r: InteractionRecord, to: TargetInput): Promise<Interaction> {
    if (r.channel === 'email')
      throw HttpError.invalidArgument('consult: an email is not consulted on; transfer it instead');
    if (isConsultLeg(r)) throw HttpError.invalidArgument('consult: this is already a consultation');
    if (!TALKING.has(r.state)) throw this.#needsConversation(r, 'consult');
    if (await this.#openConsultation(this.#db(), r, actor.id))
      throw new HttpError('invalid_state', `Interaction ${r.id} has a consultation already; cancel or join it first.`);
    const target = await this.#target(actor, to, r.channel);
    return this.#commit(actor.id, async (tx) => {
      // A call goes on hold; a chat or message conversation simply waits.
      if (r.state === 'accepted' && r.channel === 'phone')
        await this.#step(tx, r, 'hold', 'held', actor.id, { held: true });
      let leg = await this.#write(
        tx,
        {
          ...blank(this.tenantId, tx.now),
          channel: r.channel,
          direction: 'outbound',
          state: 'outgoing',
          queueId: r.queueId,
          agentId: actor.id,
          remoteAddress: target.address,
          localAddress: r.localAddress,
          consultationOf: r.id,
          target,
        },
        'consult_started',
        actor.id,
        undefined,
        true,
      );
      if (target.kind === 'number') return this.#wire(await this.#step(tx, leg, 'alert', 'alerting', actor.id));
      const other = await this.#write(
        tx,
        {
          ...blank(this.tenantId, tx.now),
          channel: r.channel,
          direction: 'inbound',
          state: 'incoming',
          queueId: target.kind === 'queue' ? target.id : null,
          remoteAddress: actor.username,
          localAddress: r.remoteAddress,
          consultationOf: r.id,
          peerId: leg.id,
          waitingSince: nowIso(new Date(tx.now)),
          priority: target.kind === 'queue' ? this.#queue(target.id).priority : 0,
          target: target.kind === 'agent' ? target : null,
        },
        'created',
        null,
        { consulted_by: actor.id },
        true,
      );
      leg = await this.#write(tx, { ...leg, peerId: other.id }, 'consult_linked', actor.id);
      if (target.kind === 'queue')
        await this.#route(tx, { type: 'contact_arrived', contactId: other.id, queueId: target.id });
      else await this.#offerDirect(tx, other, target.id);
      return this.#wire(await this.#reload(tx, leg.id));
    });
  }

  async #cancelConsult(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    const leg =
      r.consultationOf && r.direction === 'outbound' ? r : await this.#openConsultation(this.#db(), r, actor.id);
    if (!leg || isTerminal(leg.state) || leg.state === 'ended')
      throw new HttpError('invalid_state', `Interaction ${r.id} has no consultation in progress.`);
    return this.#commit(actor.id, async (tx) => {
      await this.#closeLeg(tx, leg, 'consult_cancelled');
      if (leg.peerId) await this.#dropPeer(tx, leg.peerId, 'consult_cancelled');
      const original = leg.consultationOf ? await this.#reload(tx, leg.consultationOf) : null;
      if (original && original.state === 'held')
        await this.#step(tx, original, 'unhold', 'unheld', actor.id, { held: false });
      return this.#wire(original ? await this.#reload(tx, original.id) : await this.#reload(tx, leg.id));
    });
  }

  async #joinOrConference(actor: Actor, r: InteractionRecord, kind: 'join' | 'conference'): Promise<Interaction> {
    const leg =
      r.consultationOf && r.direction === 'outbound' ? r : await this.#openConsultation(this.#db(), r, actor.id);
    if (!leg || leg.state !== 'accepted')
      throw new HttpError(
        'invalid_state',
        `Interaction ${r.id} has no answered consultation; ${kind} needs the consulted party on the line.`,
      );
    return this.#commit(actor.id, async (tx) => {
      const original = await this.#reload(tx, leg.consultationOf ?? '');
      const peer = leg.peerId ? await this.#reload(tx, leg.peerId) : null;
      if (kind === 'join') {
        // The customer and the consulted party go on together; the agent leaves and wraps up.
        if (peer && original.conversationId) await this.#moveConversation(tx, original.conversationId, peer);
        if (peer)
          await this.#write(
            tx,
            { ...peer, remoteAddress: original.remoteAddress, peerId: null, conversationId: original.conversationId },
            'joined',
            peer.agentId,
            {
              customer: original.remoteAddress,
            },
          );
        await this.#closeLeg(tx, { ...leg, peerId: null }, 'joined');
        return this.#wire(await this.#end(tx, original, 'joined', { detail: { to: leg.remoteAddress } }));
      }
      // Three parties: the agent is back with the customer, and the consulted party stays.
      if (peer) {
        await this.#write(tx, { ...peer, conference: true }, 'conference', peer.agentId);
        await this.#closeLeg(tx, leg, 'conference');
      } else {
        await this.#write(tx, { ...leg, conference: true }, 'conference', actor.id);
      }
      const held =
        original.state === 'held'
          ? await this.#step(tx, original, 'unhold', 'unheld', actor.id, { held: false })
          : original;
      return this.#wire(await this.#write(tx, { ...held, conference: true }, 'conference', actor.id));
    });
  }

  // ── building blocks ────────────────────────────────────────────────────────

  /**
   * The row that carries a contact on after `r` (a transfer, a requeue): the
   * same customer, age and priority, waiting again; the conversation goes with it.
   */
  async #successor(
    tx: Tx,
    r: InteractionRecord,
    patch: Partial<InteractionRecord>,
    detail: Record<string, unknown>,
  ): Promise<InteractionRecord> {
    const next = await this.#write(
      tx,
      {
        ...blank(this.tenantId, tx.now),
        channel: r.channel,
        direction: 'inbound',
        state: 'incoming',
        queueId: r.queueId,
        remoteAddress: r.remoteAddress,
        localAddress: r.localAddress,
        subject: r.subject,
        waitingSince: r.waitingSince ?? r.createdAt,
        priority: r.priority,
        transferredFrom: r.id,
        conversationId: r.conversationId,
        ...patch,
      },
      'created',
      null,
      detail,
      true,
    );
    if (r.conversationId) await this.#moveConversation(tx, r.conversationId, next);
    return next;
  }

  /** Puts a successor row in its queue's line, at the age it had. */
  async #queueAgain(tx: Tx, next: InteractionRecord, queueId: string): Promise<void> {
    await this.#route(tx, {
      type: 'contact_arrived',
      contactId: next.id,
      queueId,
      arrivedAt: Date.parse(next.waitingSince ?? next.createdAt),
      priority: next.priority,
    });
  }

  /** Refuses a call to a number the trunk cannot ring now (`unreachable`), before anything is stored. */
  #reachable(number: string): void {
    const reachable = this.#o.reachable;
    if (reachable && !reachable(number))
      throw new HttpError('unreachable', `${number} cannot be reached: no phone answers that number now.`);
  }

  /**
   * Ends a conversation: the agent's part becomes `ended`, then wrap-up (the
   * queue's wrap-up time) or handled. Conference parties follow the customer.
   */
  async #end(
    tx: Tx,
    r: InteractionRecord,
    event: string,
    opts: { detail?: Record<string, unknown>; customerLeft?: boolean } = {},
  ): Promise<InteractionRecord> {
    const ended = await this.#step(
      tx,
      r,
      'hangup',
      event,
      r.agentId,
      { held: false, endedAt: nowIso(new Date(tx.now)) },
      opts.detail,
    );
    if (r.conference) await this.#leaveConference(tx, r, opts.customerLeft === true);
    // The consulted agent hung up: the consulting agent's leg ends too (the customer stays on hold).
    else if (r.peerId) await this.#closeLeg(tx, await this.#reload(tx, r.peerId), 'consult_ended');
    return this.#afterEnd(tx, ended);
  }

  /** After `ended`: wrap-up for the queue's time, or handled at once. Consultation legs need no wrap-up. */
  async #afterEnd(tx: Tx, ended: InteractionRecord): Promise<InteractionRecord> {
    const seconds = isConsultLeg(ended) ? 0 : ended.queueId ? (this.#queues.get(ended.queueId)?.wrapupSeconds ?? 0) : 0;
    if (seconds > 0) {
      const until = tx.now + seconds * 1000;
      const wrapping = await this.#step(tx, ended, 'wrapup', 'wrap_up', ended.agentId, {
        wrapupUntil: nowIso(new Date(until)),
      });
      this.#schedule('wrapup', ended.id, until);
      return wrapping;
    }
    const done = await this.#step(tx, ended, 'handle', 'handled', ended.agentId);
    await this.#released(tx, ended);
    return done;
  }

  /** Closes a consultation leg (no wrap-up). */
  async #closeLeg(tx: Tx, leg: InteractionRecord, event: string): Promise<void> {
    const current = await this.#reload(tx, leg.id);
    if (isTerminal(current.state)) return;
    if (current.state === 'ended') {
      await this.#afterEnd(tx, current);
      return;
    }
    const ended = await this.#step(tx, current, 'hangup', event, current.agentId, {
      endedAt: nowIso(new Date(tx.now)),
      peerId: leg.peerId,
    });
    await this.#afterEnd(tx, ended);
  }

  /** Ends the consulted agent's leg, however far it got. */
  async #dropPeer(tx: Tx, peerId: string, event: string): Promise<void> {
    const peer = await this.#reload(tx, peerId);
    if (isTerminal(peer.state)) return;
    if (peer.state === 'incoming' || peer.state === 'alerting') {
      const lostTo = peer.agentId;
      await this.#unroute(tx, peer);
      const current = await this.#reload(tx, peer.id);
      await this.#step(tx, current, 'abandon', event, lostTo ?? current.agentId);
      return;
    }
    if (TALKING.has(peer.state)) {
      const ended = await this.#step(tx, peer, 'hangup', event, peer.agentId, {
        held: false,
        endedAt: nowIso(new Date(tx.now)),
      });
      await this.#afterEnd(tx, ended);
    }
  }

  /** A conference party left: when the customer leaves everyone goes; otherwise the others go on. */
  async #leaveConference(tx: Tx, left: InteractionRecord, customerLeft: boolean): Promise<void> {
    const originalId = left.consultationOf ?? left.id;
    const parties = await tx.trx
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where((eb) => eb.or([eb('id', '=', originalId), eb('consultation_of', '=', originalId)]))
      .where('conference', '=', 1)
      .where('state', 'in', ['accepted', 'held'])
      .execute();
    const others = parties.map(toRecord).filter((p) => p.id !== left.id);
    const original = await findInteraction(tx.trx, this.tenantId, originalId);
    for (const other of others) {
      if (customerLeft || (other.direction === 'outbound' && other.consultationOf)) {
        // The customer is gone, or the agent left an external party the customer no longer needs.
        const ended = await this.#step(tx, other, 'hangup', 'conference_ended', other.agentId, {
          held: false,
          endedAt: nowIso(new Date(tx.now)),
        });
        await this.#afterEnd(tx, ended);
      } else if (others.length === 1) {
        // Two parties are left: no conference any more; the consulted agent now has the customer.
        await this.#write(
          tx,
          {
            ...other,
            conference: false,
            ...(left.id === originalId && original ? { remoteAddress: original.remoteAddress } : {}),
          },
          'conference_ended',
          other.agentId,
        );
      }
    }
  }

  /** Offers an interaction to one agent directly (transfer or consultation to an agent). */
  async #offerDirect(tx: Tx, r: InteractionRecord, agentId: string): Promise<void> {
    const timeoutMs = r.queueId ? (this.#queues.get(r.queueId)?.offerTimeoutSeconds ?? 30) * 1000 : DIRECT_OFFER_MS;
    const expires = tx.now + timeoutMs;
    this.#decide(tx, { type: 'interaction_assigned', agentId, channel: r.channel });
    const offered = await this.#step(
      tx,
      r,
      'alert',
      'offered',
      agentId,
      {
        agentId,
        offerExpiresAt: nowIso(new Date(expires)),
      },
      { expires_at: nowIso(new Date(expires)) },
    );
    this.#schedule('direct', offered.id, expires);
    await this.#mirrorRinging(tx, offered);
  }

  /** A direct offer was rejected, ran out or its agent went away. */
  async #directEnded(
    tx: Tx,
    r: InteractionRecord,
    reason: 'rejected' | 'timeout' | 'disconnected',
  ): Promise<InteractionRecord> {
    this.#forget(this.#direct, r.id);
    const agentId = r.agentId;
    if (agentId) await this.#route(tx, { type: 'interaction_ended', agentId, channel: r.channel });
    const back = await this.#step(
      tx,
      r,
      reason === 'rejected' ? 'reject' : 'timeout',
      'offer_withdrawn',
      agentId,
      {
        agentId: null,
        offerExpiresAt: null,
        excluded: agentId ? [...new Set([...r.excluded, agentId])] : r.excluded,
        target: r.peerId ? r.target : null,
      },
      { reason },
    );
    if (r.peerId) {
      // A consultation nobody took: the consulting agent hears so and goes back to the customer when ready.
      const done = await this.#step(tx, back, 'abandon', 'consult_failed', agentId);
      const leg = await this.#reload(tx, r.peerId);
      if (leg.state === 'alerting' || leg.state === 'outgoing') {
        const ringing = leg.state === 'outgoing' ? await this.#step(tx, leg, 'alert', 'alerting', leg.agentId) : leg;
        await this.#step(
          tx,
          ringing,
          reason === 'rejected' ? 'reject' : 'timeout',
          'consult_failed',
          leg.agentId,
          {},
          { reason },
        );
      }
      return done;
    }
    if (back.queueId && this.#engine.hasQueue(back.queueId)) {
      // A transfer the agent did not take goes to the queue, keeping the customer's age and priority.
      await this.#route(tx, {
        type: 'contact_arrived',
        contactId: back.id,
        queueId: back.queueId,
        arrivedAt: Date.parse(back.waitingSince ?? back.createdAt),
        priority: back.priority,
        excluded: back.excluded,
      });
      return this.#reload(tx, back.id);
    }
    return this.#step(tx, back, 'abandon', 'missed', agentId);
  }

  /** Takes a waiting contact out of routing (abandoned, cancelled) and frees whoever it was offered to. */
  async #unroute(tx: Tx, r: InteractionRecord): Promise<void> {
    if (this.#direct.has(r.id)) {
      this.#forget(this.#direct, r.id);
      if (r.agentId) await this.#route(tx, { type: 'interaction_ended', agentId: r.agentId, channel: r.channel });
      if (r.state === 'alerting')
        await this.#step(
          tx,
          r,
          'timeout',
          'offer_withdrawn',
          r.agentId,
          { agentId: null, offerExpiresAt: null },
          { reason: 'abandoned' },
        );
      return;
    }
    if (this.#engine.contact(r.id)) await this.#route(tx, { type: 'contact_abandoned', contactId: r.id });
  }

  /** The consulted side rings: the consulting agent's leg shows it. */
  async #mirrorRinging(tx: Tx, r: InteractionRecord): Promise<void> {
    if (!r.peerId || r.direction !== 'inbound') return;
    const leg = await this.#reload(tx, r.peerId);
    if (leg.state === 'outgoing') await this.#step(tx, leg, 'alert', 'alerting', leg.agentId);
  }

  /** Tells routing the agent's unit of capacity is free again, if the row held one. */
  async #released(tx: Tx, before: InteractionRecord): Promise<void> {
    if (before.agentId && countsLoad(before))
      await this.#route(tx, { type: 'interaction_ended', agentId: before.agentId, channel: before.channel });
  }

  /** Feeds routing one event and carries out what it decides. */
  async #route(tx: Tx, event: RoutingEvent): Promise<void> {
    await this.#apply(tx, this.#decide(tx, event));
  }

  /** Feeds routing one event; its refusals are the caller's `invalid_state`. */
  #decide(tx: Tx, event: RoutingEvent): Decision[] {
    try {
      const decisions = this.#engine.handle(event, tx.now);
      this.#mutations++;
      return decisions;
    } catch (err) {
      if (err instanceof RoutingError) throw new HttpError('invalid_state', `Routing refused it: ${err.message}.`);
      throw err;
    }
  }

  async #apply(tx: Tx, decisions: readonly Decision[]): Promise<void> {
    for (const d of decisions) {
      switch (d.type) {
        case 'offer': {
          const r = await this.#reload(tx, d.contactId);
          const offered = await this.#step(
            tx,
            r,
            'alert',
            'offered',
            d.agentId,
            {
              agentId: d.agentId,
              offerExpiresAt: nowIso(new Date(d.expiresAt)),
              queueId: d.queueId,
            },
            { expires_at: nowIso(new Date(d.expiresAt)) },
          );
          await this.#mirrorRinging(tx, offered);
          break;
        }
        case 'offer_withdrawn': {
          const r = await this.#reload(tx, d.contactId);
          if (r.state !== 'alerting') break;
          await this.#step(
            tx,
            r,
            'timeout',
            'offer_withdrawn',
            d.agentId,
            {
              agentId: null,
              offerExpiresAt: null,
              excluded: d.reason === 'picked' ? r.excluded : [...new Set([...r.excluded, d.agentId])],
            },
            { reason: d.reason },
          );
          break;
        }
        case 'overflowed': {
          const r = await this.#reload(tx, d.contactId);
          const to = this.#queues.get(d.toQueueId);
          await this.#write(
            tx,
            { ...r, queueId: d.toQueueId, priority: Math.max(r.priority, to?.priority ?? r.priority) },
            'overflowed',
            null,
            {
              from_queue_id: d.fromQueueId,
            },
          );
          break;
        }
        case 'agent_not_ready': {
          const reasonId = await ensureReasonCode(tx.trx, this.tenantId, {
            kind: 'not_ready',
            code: 'missed_offers',
            label: 'Missed offers',
            sort: 99,
          });
          await tx.trx
            .updateTable('users')
            .set({ ready: 0, not_ready_reason_id: reasonId })
            .where('tenant_id', '=', this.tenantId)
            .where('id', '=', d.agentId)
            .execute();
          tx.agents.add(d.agentId);
          tx.users.add(d.agentId);
          break;
        }
        case 'assigned':
          // The caller (accept, pick) writes the interaction itself.
          break;
      }
    }
  }

  /** Applies a state-machine action and writes the result with its event. */
  async #step(
    tx: Tx,
    r: InteractionRecord,
    action: InteractionAction,
    event: string,
    agentId: string | null,
    patch: Partial<InteractionRecord> = {},
    detail?: Record<string, unknown>,
  ): Promise<InteractionRecord> {
    let state: InteractionState;
    try {
      state = transition(r, action);
    } catch (err) {
      if (err instanceof InteractionError) throw new HttpError('invalid_state', err.message);
      throw err;
    }
    // A conversation ends, or a contact is lost, for many reasons: one event name, the reason as its cause.
    const named = action === 'hangup' ? 'ended' : action === 'abandon' ? 'missed' : null;
    if (named && event !== named)
      return this.#write(tx, { ...r, ...patch, state }, named, agentId, { cause: event, ...detail });
    return this.#write(tx, { ...r, ...patch, state }, event, agentId, detail);
  }

  /** Writes a row (insert or update) and appends its event; the event goes out after commit. */
  async #write(
    tx: Tx,
    r: InteractionRecord,
    event: string,
    agentId: string | null,
    detail?: Record<string, unknown>,
    insert = false,
  ): Promise<InteractionRecord> {
    const wire = this.#wire(r);
    // The desk is the tenant's only writer of events: it numbers them itself, gap-free.
    const seq = ++this.#seq;
    this.#mutations++;
    await insertEvent(tx.trx, {
      tenantId: this.tenantId,
      seq,
      interactionId: r.id,
      type: event,
      data: { interaction: wire, ...(detail ? { detail } : {}) },
      actorId: tx.actorId,
      agentId,
      at: new Date(tx.now),
    });
    const saved = { ...r, lastSeq: seq };
    const row = toRow(saved);
    if (insert) await tx.trx.insertInto('interactions').values(row).execute();
    else {
      const { id, tenant_id, ...set } = row;
      await tx.trx
        .updateTable('interactions')
        .set(set)
        .where('tenant_id', '=', tenant_id)
        .where('id', '=', id)
        .execute();
    }
    this.#remember(saved);
    await this.#tellCustomer(tx, saved);
    if (agentId) tx.agents.add(agentId);
    if (r.agentId) tx.agents.add(r.agentId);
    tx.events.push({
      tenantId: this.tenantId,
      seq,
      event,
      agentId,
      interaction: wire,
      ...(detail ? { detail } : {}),
    });
    return saved;
  }

  /** Runs `fn` in one transaction; refreshes agents' work status inside it and publishes after commit. */
  async #commit<T>(actorId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const batch = this.#current;
    if (!batch) throw new Error('desk operations run inside run()');
    const now = this.#o.clock();
    const pending = this.#pending;
    this.#pending = null;
    const tx: Tx = { trx: this.#db(), now, actorId, ...batch };
    const value = await fn(tx);
    const resultId = (value as { id?: unknown } | null)?.id;
    if (pending && typeof resultId === 'string') {
      await tx.trx
        .insertInto('interaction_requests')
        .values({
          tenant_id: this.tenantId,
          user_id: pending.actorId,
          request_id: pending.requestId,
          action: pending.action,
          interaction_id: pending.interactionId,
          result_id: resultId,
          created_at: nowIso(new Date(now)),
        })
        .execute();
    }
    return value;
  }

  /** Busy while talking or dialling, wrap-up while finishing, else the agent's own choice. Returns true when it changed. */
  async #refreshWorkStatus(tx: Tx, agentId: string): Promise<boolean> {
    const user = await tx.trx
      .selectFrom('users')
      .select(['work_status', 'ready'])
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', agentId)
      .executeTakeFirst();
    if (!user || user.work_status === 'offline') return false;
    const rows = [...(this.#byAgent.get(agentId) ?? [])].flatMap((id) => {
      const r = this.#open.get(id);
      return r && r.agentId === agentId ? [r] : [];
    });
    const busy = rows.some(
      (r) =>
        r.state === 'accepted' ||
        r.state === 'held' ||
        r.state === 'outgoing' ||
        (r.state === 'alerting' && r.direction === 'outbound'),
    );
    const wrapping = rows.some((r) => r.state === 'ended' || r.state === 'wrap_up');
    const status: WorkStatus = busy ? 'busy' : wrapping ? 'wrap_up' : user.ready === 1 ? 'ready' : 'not_ready';
    if (status === user.work_status) return false;
    await tx.trx
      .updateTable('users')
      .set({ work_status: status })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', agentId)
      .execute();
    return true;
  }

  /** Repeats the first answer to a repeated request id instead of acting twice. */
  async #idempotent(
    actor: Actor,
    requestId: string | undefined,
    action: string,
    interactionId: string,
    fn: () => Promise<Interaction>,
  ): Promise<Interaction> {
    if (!requestId) return fn();
    const db = this.#db();
    const seen = await db
      .selectFrom('interaction_requests')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', actor.id)
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (seen) {
      if (seen.action !== action || seen.interaction_id !== interactionId)
        throw HttpError.invalidArgument(`request_id: ${JSON.stringify(requestId)} was already used for another action`);
      const r = await findInteraction(db, this.tenantId, seen.result_id);
      if (!r) throw new HttpError('not_found', `No interaction ${seen.result_id}.`);
      return this.#wire(r);
    }
    this.#pending = { actorId: actor.id, requestId, action, interactionId };
    return fn();
  }

  // ── lookups ────────────────────────────────────────────────────────────────

  async #own(actor: Actor, id: string): Promise<InteractionRecord> {
    const r = this.#open.get(id) ?? (await findInteraction(this.#db(), this.tenantId, id));
    if (!r) throw new HttpError('not_found', `No interaction ${id}.`);
    if (r.agentId !== actor.id) throw HttpError.forbidden(`Interaction ${id} is not yours.`);
    return r;
  }

  async #reload(tx: Tx, id: string): Promise<InteractionRecord> {
    const r = this.#open.get(id) ?? (await findInteraction(tx.trx, this.tenantId, id));
    if (!r) throw new Error(`interaction ${id} vanished`);
    return r;
  }

  /** Keeps the cache of open interactions in step with what was just written. */
  #remember(r: InteractionRecord): void {
    const before = this.#open.get(r.id);
    if (before?.agentId) this.#byAgent.get(before.agentId)?.delete(r.id);
    if (isTerminal(r.state)) {
      this.#open.delete(r.id);
      return;
    }
    this.#open.set(r.id, r);
    if (r.agentId) {
      let ids = this.#byAgent.get(r.agentId);
      if (!ids) this.#byAgent.set(r.agentId, (ids = new Set()));
      ids.add(r.id);
    }
  }

  async #openConsultation(
    db: Kysely<Database> | Transaction<Database>,
    r: InteractionRecord,
    agentId: string,
  ): Promise<InteractionRecord | null> {
    const row = await db
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('consultation_of', '=', r.id)
      .where('agent_id', '=', agentId)
      .where('direction', '=', 'outbound')
      .where('state', 'in', ['outgoing', 'alerting', 'accepted', 'held'])
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  #invalid(r: InteractionRecord, action: InteractionAction): HttpError {
    return new HttpError('invalid_state', InteractionError.invalidState(r.id, r.state, action).message);
  }

  #needsConversation(r: InteractionRecord, what: string): HttpError {
    return new HttpError(
      'invalid_state',
      `Interaction ${r.id} is ${r.state}; ${what} needs a conversation in progress.`,
    );
  }

  #queue(id: string): QueueRecord {
    const queue = this.#queues.get(id);
    if (!queue) throw new HttpError('not_found', `No queue ${id}.`);
    return queue;
  }

  #wire(r: InteractionRecord): Interaction {
    return toWire(r, r.queueId ? (this.#queues.get(r.queueId)?.name ?? null) : null);
  }

  async #disposition(
    r: InteractionRecord,
    input: { code?: string; notes?: string },
  ): Promise<InteractionRecord['wrapup']> {
    if (input.code !== undefined) {
      const code = await findReasonCode(this.#db(), this.tenantId, 'wrap_up', input.code);
      if (!code) throw HttpError.invalidArgument(`code: no wrap-up code ${JSON.stringify(input.code)}`);
    }
    if (input.code === undefined && input.notes === undefined) return r.wrapup;
    return {
      ...(r.wrapup ?? {}),
      ...(input.code === undefined ? {} : { code: input.code }),
      ...(input.notes === undefined ? {} : { notes: input.notes }),
    };
  }

  /** Resolves a transfer or consultation target and checks it can take the interaction now. */
  async #target(actor: Actor, to: TargetInput, channel: ChannelType): Promise<Target> {
    const given = [to.queueId, to.agentId, to.number, to.address].filter((v) => v !== undefined).length;
    if (given !== 1) throw HttpError.invalidArgument('to: give exactly one of queue_id, agent_id, number or address');
    let queueId = to.queueId;
    let agentId = to.agentId;
    let number = to.number;
    if (to.address !== undefined) {
      const queue = await findQueueByAddress(this.#db(), this.tenantId, to.address);
      const user = queue
        ? undefined
        : await this.#db()
            .selectFrom('users')
            .select('id')
            .where('tenant_id', '=', this.tenantId)
            .where('username', '=', to.address)
            .executeTakeFirst();
      if (queue) queueId = queue.id;
      else if (user) agentId = user.id;
      else number = to.address;
    }
    if (queueId !== undefined) {
      const queue = this.#queues.get(queueId);
      if (!queue) throw new HttpError('not_found', `No queue ${queueId}.`);
      if (queue.channel !== channel)
        throw HttpError.invalidArgument(`to: queue ${queue.name} takes ${queue.channel}, not ${channel}`);
      return { kind: 'queue', id: queue.id, address: queue.addresses[0] ?? queue.name };
    }
    if (agentId !== undefined) {
      if (agentId === actor.id) throw HttpError.invalidArgument('to: that is you');
      const user = await this.#db()
        .selectFrom('users')
        .select(['id', 'username'])
        .where('tenant_id', '=', this.tenantId)
        .where('id', '=', agentId)
        .executeTakeFirst();
      if (!user) throw new HttpError('not_found', `No user ${agentId}.`);
      if (!this.#engine.isAvailable(user.id, channel))
        throw new HttpError('unreachable', `${user.username} is not available for a ${channel} right now.`);
      return { kind: 'agent', id: user.id, address: user.username };
    }
    const cleaned = (number ?? '').replace(/[\s()-]/g, '');
    if (channel !== 'phone')
      throw HttpError.invalidArgument(`to: a ${channel} can go to a queue or an agent, not a number`);
    if (!PHONE_NUMBER.test(cleaned))
      throw HttpError.invalidArgument(`to: ${JSON.stringify(number)} is not a phone number`);
    this.#reachable(cleaned);
    return { kind: 'number', address: cleaned };
  }

  /** The queue an outbound interaction belongs to; 403 unless the agent serves it. */
  async #outboundQueue(actor: Actor, input: OutboundInput): Promise<QueueRecord> {
    const served = await this.#db()
      .selectFrom('queue_members')
      .select('queue_id')
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', actor.id)
      .where('can_serve', '=', 1)
      .execute();
    const mine = served
      .map((m) => this.#queues.get(m.queue_id))
      .filter((q): q is QueueRecord => !!q && q.channel === input.channel);
    if (input.from !== undefined) {
      const queue = mine.find((q) => q.addresses.includes(input.from as string));
      if (!queue)
        throw HttpError.forbidden(`from: ${input.from} is not an address of a ${input.channel} queue you serve.`);
      if (input.queueId !== undefined && input.queueId !== queue.id)
        throw HttpError.invalidArgument(`from: ${input.from} belongs to another queue than queue_id`);
      return queue;
    }
    if (input.queueId !== undefined) {
      const queue = mine.find((q) => q.id === input.queueId);
      if (!queue) throw HttpError.forbidden(`queue_id: you do not serve a ${input.channel} queue ${input.queueId}.`);
      return queue;
    }
    const first = [...mine].sort((a, b) => a.name.localeCompare(b.name)).find((q) => q.addresses.length > 0);
    if (!first) throw HttpError.forbidden(`You serve no ${input.channel} queue with an address to send or call from.`);
    return first;
  }

  async #agentSpec(userId: string) {
    const db = this.#db();
    const user = await findUser(db, this.tenantId, userId);
    const members = await db
      .selectFrom('queue_members')
      .select(['queue_id', 'proficiency'])
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', userId)
      .where('can_serve', '=', 1)
      .execute();
    return specOfAgent(userId, user ?? undefined, members, this.#o.isOnline(userId));
  }

  #forget(map: Map<string, number>, id: string): void {
    if (map.delete(id)) this.#mutations++;
  }

  #schedule(kind: DeskTimer['kind'], id: string, at: number): void {
    this.#mutations++;
    (kind === 'direct' ? this.#direct : this.#wrapups).set(id, at);
    this.#timers.push({ at, id, kind });
  }

  /** Sets the one timer to the earliest thing due. */
  #arm(): void {
    if (!this.#o.timers || this.#closed) return;
    let next = this.#engine.nextDeadline() ?? Infinity;
    for (let t = this.#timers.peek(); t; t = this.#timers.peek()) {
      const live = (t.kind === 'direct' ? this.#direct : this.#wrapups).get(t.id) === t.at;
      if (live) {
        next = Math.min(next, t.at);
        break;
      }
      this.#timers.pop();
    }
    if (next === this.#timerAt && this.#timer) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAt = next;
    if (next === Infinity) return;
    const delay = Math.min(Math.max(0, next - this.#o.clock()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Infinity;
      this.run(() => this.tick()).catch((err: unknown) => this.#o.log.error({ err }, 'routing tick failed'));
    }, delay);
    this.#timer.unref();
  }

  // ── rebuilding from the store ──────────────────────────────────────────────

  async #loadQueues(): Promise<void> {
    this.#queues = new Map((await listQueues(this.#db(), this.tenantId)).map((q) => [q.id, q]));
  }

  /** Rebuilds routing from the store: queues, agents, their interactions and every waiting contact in order. */
  async #load(): Promise<void> {
    const db = this.#db();
    this.#stale = false;
    this.#seq = await lastSeq(db, this.tenantId);
    this.#engine = new RoutingEngine(this.#o.routing);
    this.#direct.clear();
    this.#wrapups.clear();
    await this.#loadQueues();
    const now = this.#o.clock();
    for (const q of this.#queues.values()) this.#engine.handle({ type: 'queue_configured', queue: specOf(q) }, now);
    const users = await listUsers(db, this.tenantId);
    const members = await db
      .selectFrom('queue_members')
      .select(['user_id', 'queue_id', 'proficiency'])
      .where('tenant_id', '=', this.tenantId)
      .where('can_serve', '=', 1)
      .execute();
    const byUser = new Map<string, Array<{ queue_id: string; proficiency: number }>>();
    for (const m of members) byUser.set(m.user_id, [...(byUser.get(m.user_id) ?? []), m]);
    // Every agent starts busy with nothing offered, so nothing is offered before the waiting contacts are back in line.
    const open = (
      await db
        .selectFrom('interactions')
        .selectAll()
        .where('tenant_id', '=', this.tenantId)
        .where('state', 'in', [...OPEN_STATES])
        .orderBy('waiting_since')
        .orderBy('created_at')
        .execute()
    ).map(toRecord);
    this.#open.clear();
    this.#byAgent.clear();
    for (const r of open) this.#remember(r);
    this.#conversations.clear();
    const conversations = await db
      .selectFrom('conversations')
      .select(['id', 'interaction_id'])
      .where('tenant_id', '=', this.tenantId)
      .where('state', '=', 'open')
      .execute();
    for (const c of conversations) this.#conversations.set(c.id, { interactionId: c.interaction_id, told: null });
    const specs = users.map((u) => specOfAgent(u.id, u, byUser.get(u.id) ?? [], this.#o.isOnline(u.id)));
    for (const spec of specs) this.#engine.handle({ type: 'agent_updated', agent: { ...spec, ready: false } }, now);
    const known = new Set(users.map((u) => u.id));
    for (const r of open) {
      if (r.agentId && known.has(r.agentId) && countsLoad(r))
        this.#engine.handle({ type: 'interaction_assigned', agentId: r.agentId, channel: r.channel }, now);
      if (r.state === 'wrap_up' && r.wrapupUntil) this.#schedule('wrapup', r.id, Date.parse(r.wrapupUntil));
      if (r.state === 'alerting' && r.direction === 'inbound' && r.target?.kind === 'agent' && r.offerExpiresAt)
        this.#schedule('direct', r.id, Date.parse(r.offerExpiresAt));
    }
    await this.#commit(null, async (tx) => {
      for (const r of open) {
        const routed =
          r.direction === 'inbound' && (r.state === 'incoming' || r.state === 'alerting') && r.target?.kind !== 'agent';
        if (!routed || !r.queueId || !this.#engine.hasQueue(r.queueId)) continue;
        let current = r;
        if (r.state === 'alerting') {
          // The offer died with the old process; the same agent is waited for first when they come back.
          current = await this.#step(
            tx,
            r,
            'timeout',
            'offer_withdrawn',
            r.agentId,
            { agentId: null, offerExpiresAt: null },
            { reason: 'restart' },
          );
        }
        const preferred = r.state === 'alerting' ? r.agentId : r.preferredAgentId;
        await this.#route(tx, {
          type: 'contact_arrived',
          contactId: r.id,
          queueId: r.queueId,
          arrivedAt: Date.parse(current.waitingSince ?? current.createdAt),
          priority: current.priority,
          excluded: current.excluded,
          ...(preferred ? { preferredAgentId: preferred } : {}),
        });
      }
      // Now agents are who they are: ready ones get the contacts at the head of their queues.
      for (const spec of specs) await this.#route(tx, { type: 'agent_updated', agent: spec });
    });
  }
}

/** A conversation as its customer sees it. */
export interface ConversationView {
  readonly id: string;
  readonly state: CustomerState;
  readonly agent: string | null;
  /** While waiting in a queue: the place in line, 1 being next. */
  readonly position?: number;
  /** While waiting: about how long until an agent answers (seconds), when the queue's recent pace tells. */
  readonly estimatedWaitSeconds?: number;
  readonly messages: Message[];
}

const STATUS_RANK: Record<MessageStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
/** How long after the customer's last WhatsApp message free text may be sent. */
const WHATSAPP_WINDOW_MS = 24 * 3600 * 1000;

function toWireMessage(
  m: MessageTable,
  author: string,
  attachments: ReadonlyArray<{ id: string; name: string; content_type: string; size: number }>,
): Message {
  const meta = parseMeta(m.meta);
  const status = (m.status in STATUS_RANK ? m.status : 'sent') as MessageStatus;
  return {
    id: m.id,
    conversation_id: m.conversation_id,
    interaction_id: m.interaction_id as InteractionId,
    direction: m.direction === 'out' ? 'out' : 'in',
    author,
    content: m.body,
    status,
    created: m.created_at,
    ...(m.client_message_id ? { client_message_id: m.client_message_id } : {}),
    ...(m.subject ? { subject: m.subject } : {}),
    ...(m.html ? { html: m.html } : {}),
    ...(typeof meta['from'] === 'string' ? { from: meta['from'] } : {}),
    ...(Array.isArray(meta['to']) ? { to: strings(meta['to']) } : {}),
    ...(strings(meta['cc']).length ? { cc: strings(meta['cc']) } : {}),
    ...(strings(meta['media']).length ? { media: strings(meta['media']) } : {}),
    ...(typeof meta['template_id'] === 'string' ? { template_id: meta['template_id'] } : {}),
    ...(attachments.length ? { attachments } : {}),
    ...(m.error ? { error: m.error } : {}),
  };
}

function parseMeta(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** What an agent's message may not carry on its channel, or null when it fits. */
function refuseFields(channel: ChannelType, input: MessageInput): string | null {
  if (channel !== 'email' && input.content.length > 4000)
    return 'content: at most 4000 characters (longer texts go by email)';
  if (channel !== 'email' && (input.subject !== undefined || input.to !== undefined || input.cc !== undefined))
    return 'subject, to and cc are for email only';
  if (input.templateId !== undefined && channel !== 'whatsapp') return 'template_id: templates are for WhatsApp only';
  return null;
}

/** `Re: subject`, without piling up prefixes. */
function reply(subject: string): string {
  return /^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`;
}

/** The tenant's WhatsApp templates from its settings (`whatsapp_templates: [{id, body}]`). */
export function whatsappTemplates(settingsJson: string): Array<{ id: string; name: string; body: string }> {
  const templates = parseMeta(settingsJson)['whatsapp_templates'];
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t: unknown) => {
    if (typeof t !== 'object' || t === null) return [];
    const { id, name, body } = t as Record<string, unknown>;
    return typeof id === 'string' && typeof body === 'string'
      ? [{ id, name: typeof name === 'string' ? name : id, body }]
      : [];
  });
}

function customerStateOf(state: InteractionState): CustomerState {
  if (state === 'incoming' || state === 'alerting') return 'waiting';
  if (state === 'accepted' || state === 'held') return 'connected';
  return 'closed';
}

export interface WaitingEntry {
  readonly contactId: string;
  readonly queueId: string;
  readonly arrivedAt: number;
  readonly priority: number;
  readonly offeredTo: string | null;
  readonly channel?: ChannelType;
  readonly remoteAddress?: string;
}

function blank(tenantId: string, now: number): InteractionRecord {
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
  };
}

function specOf(q: QueueRecord): QueueSpec {
  return {
    id: q.id,
    channel: q.channel,
    priority: q.priority,
    offerTimeoutMs: q.offerTimeoutSeconds * 1000,
    skillsBased: q.skills.length > 0,
    ...(q.overflowQueueId && q.overflowAfterSeconds
      ? { overflow: { queueId: q.overflowQueueId, afterMs: q.overflowAfterSeconds * 1000 } }
      : {}),
  };
}

function specOfAgent(
  id: string,
  user: UserRecord | undefined,
  members: ReadonlyArray<{ queue_id: string; proficiency: number }>,
  connected: boolean,
) {
  return {
    id,
    ready: !!user && user.ready && user.workStatus !== 'offline',
    connected,
    capacity: user?.capacity ?? DEFAULT_CAPACITY,
    memberships: members.map((m) => ({ queueId: m.queue_id, proficiency: m.proficiency })),
  };
}
