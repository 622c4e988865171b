/**
 * Group commit for one tenant's desk: operations run one after another;
 * those that queue up while a batch runs go together into the next one —
 * one transaction, each operation in its own savepoint (a failing one takes
 * back only its own writes), one commit for all. Nothing is answered and no
 * event goes out before that commit.
 *
 * It also knows when in-memory state (routing, timers, caches) moved on
 * while the store did not: every such change calls {@link touch}; a failed
 * operation after a touch marks the desk stale and the next batch rebuilds.
 */
import type { Interaction } from '@parley/protocol';
import { sql, type ControlledTransaction, type Kysely, type Transaction } from 'kysely';
import type { Bus, BusEvents } from '../bus/index.ts';
import { CodedError } from '@parley/protocol';
import type { Database } from '../store/index.ts';
import { nowIso } from '../store/index.ts';

/** Operations that go into one transaction at most. */
const MAX_BATCH = 256;

interface Op {
  readonly fn: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/** What a batch of operations collects, published once it commits. */
export interface Batch {
  readonly events: Array<BusEvents['interaction.changed']>;
  readonly agents: Set<string>;
  readonly users: Set<string>;
  /** What the customers of conversations must hear (messages, waiting/connected/closed). */
  readonly customers: Array<BusEvents['conversation.changed']>;
  /** Outgoing SMS, WhatsApp and email messages stored for the dispatcher. */
  readonly queued: string[];
}

/** One operation's view of the batch. */
export interface Tx {
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

export interface GroupCommitOptions {
  readonly db: Kysely<Database>;
  readonly bus: Bus;
  readonly tenantId: string;
  readonly clock: () => number;
  /** Rebuilds in-memory state from the store (runs inside a batch of its own). */
  readonly rebuild: () => Promise<void>;
  /** Last writes of a batch before it commits (work statuses, the event sequence). */
  readonly settle: (tx: Tx) => Promise<void>;
  /** After a batch's events went out. */
  readonly published: (batch: Batch) => void;
  /** After each batch (re-arm timers). */
  readonly drained: () => void;
  /** The stored result of a repeated request, as the wire has it. */
  readonly replay: (db: Transaction<Database>, resultId: string) => Promise<Interaction | null>;
}

export class GroupCommit {
  readonly #o: GroupCommitOptions;
  readonly #tenantId: string;
  readonly #ops: Op[] = [];
  #draining = false;
  /** The running batch's transaction and what it collected. */
  #trx: ControlledTransaction<Database> | null = null;
  #current: Batch | null = null;
  #stale = false;
  /** Counts changes to routing and timers; a failed transaction after any of them means rebuilding. */
  #mutations = 0;
  /** The request id of the action running now, stored with its result in the action's transaction. */
  #pending: { actorId: string; requestId: string; action: string; interactionId: string } | null = null;

  constructor(options: GroupCommitOptions) {
    this.#o = options;
    this.#tenantId = options.tenantId;
  }

  /** In-memory state changed: a failure from here on means rebuilding from the store. */
  touch(): void {
    this.#mutations++;
  }

  /** Marks in-memory state as rebuilt from the store. */
  fresh(): void {
    this.#stale = false;
  }

  /** Where the running operation reads and writes: the batch's transaction. */
  db(): Transaction<Database> {
    if (!this.#trx) throw new Error('desk operations run inside run()');
    return this.#trx;
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
          const reload: Op = { fn: () => this.#o.rebuild(), resolve: () => undefined, reject: () => undefined };
          await this.#batch([reload]);
        }
        await this.#batch(ops);
        this.#o.drained();
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
      await this.#o.settle(tx);
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
      this.#o.bus.publish('message.queued', { tenantId: this.#tenantId, messageIds: batch.queued });
    if (batch.events.length > 0) this.#o.published(batch);
    for (const userId of batch.users)
      this.#o.bus.publish('user.changed', { tenantId: this.#tenantId, userId, source: 'routing' });
    for (const settle of settled) settle();
  }

  /** Runs `fn` as part of the running batch: its writes commit, and its events go out, with the batch. */
  async commit<T>(actorId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const batch = this.#current;
    if (!batch) throw new Error('desk operations run inside run()');
    const now = this.#o.clock();
    const pending = this.#pending;
    this.#pending = null;
    const tx: Tx = { trx: this.db(), now, actorId, ...batch };
    const value = await fn(tx);
    const resultId = (value as { id?: unknown } | null)?.id;
    if (pending && typeof resultId === 'string') {
      await tx.trx
        .insertInto('interaction_requests')
        .values({
          tenant_id: this.#tenantId,
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

  /** Repeats the first answer to a repeated request id instead of acting twice. */
  async idempotent(
    actor: { readonly id: string },
    requestId: string | undefined,
    action: string,
    interactionId: string,
    fn: () => Promise<Interaction>,
  ): Promise<Interaction> {
    if (!requestId) return fn();
    const db = this.db();
    const seen = await db
      .selectFrom('interaction_requests')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .where('user_id', '=', actor.id)
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (seen) {
      if (seen.action !== action || seen.interaction_id !== interactionId)
        throw CodedError.invalidArgument(
          `request_id: ${JSON.stringify(requestId)} was already used for another action`,
        );
      const r = await this.#o.replay(db, seen.result_id);
      if (!r) throw new CodedError('not_found', `No interaction ${seen.result_id}.`);
      return r;
    }
    this.#pending = { actorId: actor.id, requestId, action, interactionId };
    return fn();
  }
}
