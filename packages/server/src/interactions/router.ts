/**
 * The bridge between the desk and the pure routing engine: it feeds the
 * engine events, carries out what it decides on the rows (offers, withdrawn
 * offers, overflow, agents set not ready), and keeps the desk's own timers
 * (direct offers to one agent, wrap-ups) in one heap with one armed timeout.
 */
import { resolveCustomer, seenIn } from '../customers/index.ts';
import { ensureReasonCode, listPresenceProfiles, notReadyPresence } from '../presence/index.ts';
import {
  MinHeap,
  RoutingEngine,
  RoutingError,
  type AgentSpec,
  type Decision,
  type RoutingEvent,
  type RoutingOptions,
} from '../routing/index.ts';
import { CodedError, type Interaction } from '@parley/protocol';
import type { QueueRecord } from '../queues/index.ts';
import { nowIso } from '../store/index.ts';
import { DEFAULT_CAPACITY, findUser, type UserRecord } from '../users/index.ts';
import type { GroupCommit, Tx } from './commit.ts';
import type { InboundInput } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import type { QueueBook } from './queue-book.ts';
import type { InteractionRecord } from './records.ts';
import { blank, countsLoad, DIRECT_OFFER_MS } from './rules.ts';

interface DeskTimer {
  readonly at: number;
  readonly id: string;
  readonly kind: 'direct' | 'wrapup';
}

export interface RouterOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly queues: QueueBook;
  readonly clock: () => number;
  /** Whether the user has a panel connected. */
  readonly isOnline: (userId: string) => boolean;
  /** Arm a real timer; tests call the desk's tick() instead. */
  readonly timers: boolean;
  readonly routing?: RoutingOptions;
  /** Something is due: the desk runs its tick. */
  readonly onDue: () => void;
}

export class Router {
  readonly #o: RouterOptions;
  readonly #tenantId: string;
  readonly #gc: GroupCommit;
  readonly #ledger: Ledger;
  readonly #queues: QueueBook;
  #engine: RoutingEngine;
  readonly #timers = new MinHeap<DeskTimer>((a, b) => a.at < b.at);
  /** Direct offers (to one agent, not through a queue): interaction id → expiry. */
  readonly #direct = new Map<string, number>();
  /** Wrap-ups running: interaction id → when they end. */
  readonly #wrapups = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Infinity;
  #closed = false;

  constructor(o: RouterOptions) {
    this.#o = o;
    this.#tenantId = o.tenantId;
    this.#gc = o.gc;
    this.#ledger = o.ledger;
    this.#queues = o.queues;
    this.#engine = new RoutingEngine(o.routing);
  }

  /** The engine: who waits where, who has room. Read it; change it through {@link route}. */
  get engine(): RoutingEngine {
    return this.#engine;
  }

  /** Starts again with an empty engine and no timers (the desk rebuilds from the store). */
  reset(): RoutingEngine {
    this.#engine = new RoutingEngine(this.#o.routing);
    this.#direct.clear();
    this.#wrapups.clear();
    return this.#engine;
  }

  isDirect(id: string): boolean {
    return this.#direct.has(id);
  }

  forgetDirect(id: string): void {
    this.#forget(this.#direct, id);
  }

  forgetWrapup(id: string): void {
    this.#forget(this.#wrapups, id);
  }

  /** Runs the desk's own timers that are due: direct offers ring out, wrap-ups end. */
  async due(tx: Tx): Promise<void> {
    for (let t = this.#timers.peek(); t && t.at <= tx.now; t = this.#timers.peek()) {
      this.#timers.pop();
      if (t.kind === 'direct' && this.#direct.get(t.id) === t.at) {
        this.#forget(this.#direct, t.id);
        const r = await this.#ledger.reload(tx, t.id);
        if (r.state === 'alerting') await this.directEnded(tx, r, 'timeout');
      } else if (t.kind === 'wrapup' && this.#wrapups.get(t.id) === t.at) {
        this.#forget(this.#wrapups, t.id);
        const r = await this.#ledger.reload(tx, t.id);
        if (r.state === 'wrap_up') {
          const done = await this.#ledger.step(tx, r, 'handle', 'handled', r.agentId, {}, { auto: true });
          this.#forget(this.#wrapups, done.id);
          await this.released(tx, r);
        }
      }
    }
  }

  /** The agent's last panel went away: pending offers go elsewhere at once. */
  async disconnected(tx: Tx, userId: string): Promise<void> {
    await this.route(tx, { type: 'agent_disconnected', agentId: userId });
    for (const [id] of this.#direct) {
      const r = await this.#ledger.reload(tx, id);
      if (r.agentId === userId && r.state === 'alerting') await this.directEnded(tx, r, 'disconnected');
    }
  }

  /** A customer contact arrives in a queue (channel connectors, the demo API, a chat starting). */
  async inbound(input: InboundInput): Promise<Interaction> {
    const queue = this.#queues.require(input.queueId);
    return this.#gc.commit(null, async (tx) => this.#ledger.wire(await this.arrive(tx, queue, input)));
  }

  /** A new inbound contact, stored and put in its queue's line. */
  async arrive(tx: Tx, queue: QueueRecord, input: Omit<InboundInput, 'queueId'>): Promise<InteractionRecord> {
    const at = nowIso(new Date(tx.now));
    const customerId =
      input.customerId ??
      (await resolveCustomer(tx.trx, this.#tenantId, seenIn(queue.channel, input.from, input.name), new Date(tx.now)));
    const r = await this.#ledger.write(
      tx,
      {
        ...blank(this.#tenantId, tx.now),
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
        customerId,
        attributes: input.attributes ?? {},
      },
      'created',
      null,
      undefined,
      true,
    );
    await this.route(tx, {
      type: 'contact_arrived',
      contactId: r.id,
      queueId: queue.id,
      ...(input.preferredAgentId ? { preferredAgentId: input.preferredAgentId } : {}),
    });
    return this.#ledger.reload(tx, r.id);
  }

  /** Feeds routing one event and carries out what it decides. */
  async route(tx: Tx, event: RoutingEvent): Promise<void> {
    await this.apply(tx, this.decide(tx, event));
  }

  /** Feeds routing one event; its refusals are the caller's `invalid_state`. */
  decide(tx: Tx, event: RoutingEvent): Decision[] {
    try {
      const decisions = this.#engine.handle(event, tx.now);
      this.#gc.touch();
      return decisions;
    } catch (err) {
      if (err instanceof RoutingError) throw new CodedError('invalid_state', `Routing refused it: ${err.message}.`);
      throw err;
    }
  }

  async apply(tx: Tx, decisions: readonly Decision[]): Promise<void> {
    for (const d of decisions) {
      switch (d.type) {
        case 'offer': {
          const r = await this.#ledger.reload(tx, d.contactId);
          const offered = await this.#ledger.step(
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
          await this.mirrorRinging(tx, offered);
          break;
        }
        case 'offer_withdrawn': {
          const r = await this.#ledger.reload(tx, d.contactId);
          if (r.state !== 'alerting') break;
          await this.#ledger.step(
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
          const r = await this.#ledger.reload(tx, d.contactId);
          const to = this.#queues.get(d.toQueueId);
          await this.#ledger.write(
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
          const reasonId = await ensureReasonCode(tx.trx, this.#tenantId, {
            kind: 'not_ready',
            code: 'missed_offers',
            label: 'Missed offers',
            sort: 99,
          });
          const user = await findUser(tx.trx, this.#tenantId, d.agentId);
          const profiles = await listPresenceProfiles(tx.trx, this.#tenantId);
          await tx.trx
            .updateTable('users')
            .set({
              ready: 0,
              not_ready_reason_id: reasonId,
              presence_profile_id: notReadyPresence(profiles, user?.presenceProfileId ?? null, null),
              state_changed_at: nowIso(new Date(tx.now)),
              state_changed_by: null,
            })
            .where('tenant_id', '=', this.#tenantId)
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

  /** Offers an interaction to one agent directly (transfer or consultation to an agent). */
  async offerDirect(tx: Tx, r: InteractionRecord, agentId: string): Promise<void> {
    const timeoutMs = r.queueId ? (this.#queues.get(r.queueId)?.offerTimeoutSeconds ?? 30) * 1000 : DIRECT_OFFER_MS;
    const expires = tx.now + timeoutMs;
    this.decide(tx, { type: 'interaction_assigned', agentId, channel: r.channel });
    const offered = await this.#ledger.step(
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
    this.schedule('direct', offered.id, expires);
    await this.mirrorRinging(tx, offered);
  }

  /** A direct offer was rejected, ran out or its agent went away. */
  async directEnded(
    tx: Tx,
    r: InteractionRecord,
    reason: 'rejected' | 'timeout' | 'disconnected',
  ): Promise<InteractionRecord> {
    this.#forget(this.#direct, r.id);
    const agentId = r.agentId;
    if (agentId) await this.route(tx, { type: 'interaction_ended', agentId, channel: r.channel });
    const back = await this.#ledger.step(
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
      const done = await this.#ledger.step(tx, back, 'abandon', 'consult_failed', agentId);
      const leg = await this.#ledger.reload(tx, r.peerId);
      if (leg.state === 'alerting' || leg.state === 'outgoing') {
        const ringing =
          leg.state === 'outgoing' ? await this.#ledger.step(tx, leg, 'alert', 'alerting', leg.agentId) : leg;
        await this.#ledger.step(
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
      await this.route(tx, {
        type: 'contact_arrived',
        contactId: back.id,
        queueId: back.queueId,
        arrivedAt: Date.parse(back.waitingSince ?? back.createdAt),
        priority: back.priority,
        excluded: back.excluded,
      });
      await this.#tellTransferrer(tx, back, agentId, reason, 'queued');
      return this.#ledger.reload(tx, back.id);
    }
    const lost = await this.#ledger.step(tx, back, 'abandon', 'missed', agentId);
    await this.#tellTransferrer(tx, back, agentId, reason, 'missed');
    return lost;
  }

  /** The agent who transferred a contact blind hears that its target did not take it, and where it went. */
  async #tellTransferrer(
    tx: Tx,
    r: InteractionRecord,
    targetId: string | null,
    reason: 'rejected' | 'timeout' | 'disconnected',
    outcome: 'queued' | 'missed',
  ): Promise<void> {
    const from = r.transferredFrom ? await this.#ledger.find(tx.trx, r.transferredFrom) : null;
    if (!from?.agentId || !targetId) return;
    const target = await findUser(tx.trx, this.#tenantId, targetId);
    const queueName = this.#queues.name(r.queueId);
    await this.#ledger.write(tx, from, 'transfer_failed', from.agentId, {
      reason,
      agent_id: targetId,
      agent_name: target?.displayName ?? 'The agent',
      outcome,
      ...(outcome === 'queued' && queueName ? { queue_name: queueName } : {}),
      transferred_to: r.id,
    });
  }

  /** Takes a waiting contact out of routing (abandoned, cancelled) and frees whoever it was offered to. */
  async unroute(tx: Tx, r: InteractionRecord): Promise<void> {
    if (this.#direct.has(r.id)) {
      this.#forget(this.#direct, r.id);
      if (r.agentId) await this.route(tx, { type: 'interaction_ended', agentId: r.agentId, channel: r.channel });
      if (r.state === 'alerting')
        await this.#ledger.step(
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
    if (this.#engine.contact(r.id)) await this.route(tx, { type: 'contact_abandoned', contactId: r.id });
  }

  /** The consulted side rings: the consulting agent's leg shows it. */
  async mirrorRinging(tx: Tx, r: InteractionRecord): Promise<void> {
    if (!r.peerId || r.direction !== 'inbound') return;
    const leg = await this.#ledger.reload(tx, r.peerId);
    if (leg.state === 'outgoing') await this.#ledger.step(tx, leg, 'alert', 'alerting', leg.agentId);
  }

  /** Tells routing the agent's unit of capacity is free again, if the row held one. */
  async released(tx: Tx, before: InteractionRecord): Promise<void> {
    if (before.agentId && countsLoad(before))
      await this.route(tx, { type: 'interaction_ended', agentId: before.agentId, channel: before.channel });
  }

  /** The agent as routing sees them, read from the store. */
  async agentSpec(userId: string): Promise<AgentSpec> {
    const db = this.#gc.db();
    const user = await findUser(db, this.#tenantId, userId);
    const members = await db
      .selectFrom('queue_members')
      .select(['queue_id', 'proficiency'])
      .where('tenant_id', '=', this.#tenantId)
      .where('user_id', '=', userId)
      .where('can_serve', '=', 1)
      .execute();
    return specOfAgent(userId, user ?? undefined, members, this.#o.isOnline(userId));
  }

  schedule(kind: DeskTimer['kind'], id: string, at: number): void {
    this.#gc.touch();
    (kind === 'direct' ? this.#direct : this.#wrapups).set(id, at);
    this.#timers.push({ at, id, kind });
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Sets the one timer to the earliest thing due. */
  arm(): void {
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
      this.#o.onDue();
    }, delay);
    this.#timer.unref();
  }

  #forget(map: Map<string, number>, id: string): void {
    if (map.delete(id)) this.#gc.touch();
  }
}

/** An agent as routing sees them. */
export function specOfAgent(
  id: string,
  user: UserRecord | undefined,
  members: ReadonlyArray<{ queue_id: string; proficiency: number }>,
  connected: boolean,
): AgentSpec {
  return {
    id,
    ready: !!user && user.ready && user.workStatus !== 'offline',
    connected,
    capacity: user?.capacity ?? DEFAULT_CAPACITY,
    memberships: members.map((m) => ({ queueId: m.queue_id, proficiency: m.proficiency })),
  };
}
