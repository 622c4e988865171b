/**
 * The desk's writer: every change to an interaction row goes through here,
 * stored with its event (numbered gap-free: the desk is the tenant's only
 * writer of events) in the running batch, and the event queued to go out
 * after commit. Keeps the open-interaction cache and agents' work status in
 * step with what it wrote.
 */
import type {
  EndCause,
  EventDetail,
  Interaction,
  InteractionEventName,
  InteractionEventOf,
  WorkStatus,
} from '@parley/protocol';
import type { Transaction } from 'kysely';
import { CodedError } from '@parley/protocol';
import { mayAct } from '../access/index.ts';
import { nowIso, type Database } from '../store/index.ts';
import type { Audience } from './audience.ts';
import type { GroupCommit, Tx } from './commit.ts';
import { insertEvent, storeSeq } from './events.ts';
import type { Actor } from './inputs.ts';
import type { OpenInteractions } from './open-set.ts';
import type { QueueBook } from './queue-book.ts';
import { findInteraction, toRow, toWire, type InteractionRecord } from './records.ts';
import { transition, type InteractionAction } from './state-machine.ts';

export interface LedgerOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly queues: QueueBook;
  readonly open: OpenInteractions;
  readonly audience: Audience;
}

export class Ledger {
  readonly #d: LedgerOptions;
  /** The tenant's last event sequence number. */
  #seq = 0;

  constructor(o: LedgerOptions) {
    this.#d = o;
  }

  get seq(): number {
    return this.#seq;
  }

  /** Starts numbering after the stored sequence (the desk rebuilt). */
  resume(seq: number): void {
    this.#seq = seq;
  }

  /** A row, from the cache or the store; null when there is none. */
  async find(db: Transaction<Database>, id: string): Promise<InteractionRecord | null> {
    return this.#d.open.get(id) ?? (await findInteraction(db, this.#d.tenantId, id));
  }

  /** The batch's last writes: the work status of every agent it touched, and the event sequence. */
  async settle(tx: Tx): Promise<void> {
    for (const agentId of tx.agents) if (await this.#refreshWorkStatus(tx, agentId)) tx.users.add(agentId);
    if (tx.events.length > 0) await storeSeq(tx.trx, this.#d.tenantId, this.#seq);
  }

  wire(r: InteractionRecord): Interaction {
    return toWire(r, this.#d.queues.name(r.queueId));
  }

  /**
   * Applies a state-machine action and writes the result with its event. A
   * conversation ends (`hangup`), or a contact is lost (`abandon`), for many
   * reasons: one event name (`ended`, `missed`), the reason as its cause.
   */
  async step<E extends InteractionEventName>(
    tx: Tx,
    r: InteractionRecord,
    action: InteractionAction,
    event: E | EndCause,
    agentId: string | null,
    patch: Partial<InteractionRecord> = {},
    detail?: EventDetail<E> | EventDetail<'ended'>,
  ): Promise<InteractionRecord> {
    const state = transition(r, action);
    const named = action === 'hangup' ? 'ended' : action === 'abandon' ? 'missed' : null;
    if (named && event !== named)
      return this.write(tx, { ...r, ...patch, state }, named, agentId, {
        cause: event as EndCause,
        ...(detail as EventDetail<'ended'> | undefined),
      });
    return this.write(tx, { ...r, ...patch, state }, event as E, agentId, detail as EventDetail<E> | undefined);
  }

  /** Writes a row (insert or update) and appends its event; the event goes out after commit. */
  async write<E extends InteractionEventName>(
    tx: Tx,
    r: InteractionRecord,
    event: E,
    agentId: string | null,
    detail?: EventDetail<E>,
    insert = false,
  ): Promise<InteractionRecord> {
    // Since when a call is on hold: set when it goes on hold, kept while it stays, cleared when it is taken off.
    const heldSince = r.held ? (r.heldSince ?? new Date(tx.now).toISOString()) : null;
    if (heldSince !== r.heldSince) r = { ...r, heldSince };
    const wire = this.wire(r);
    // The desk is the tenant's only writer of events: it numbers them itself, gap-free.
    const seq = ++this.#seq;
    this.#d.gc.touch();
    await insertEvent(tx.trx, {
      tenantId: this.#d.tenantId,
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
    this.#d.open.remember(saved);
    await this.#d.audience.tell(tx, saved);
    if (agentId) tx.agents.add(agentId);
    if (r.agentId) tx.agents.add(r.agentId);
    // `event` and `detail` are one member of the event union (the signature ties them); TS cannot see it through E.
    const changed = { event, ...(detail ? { detail } : {}) } as InteractionEventOf;
    tx.events.push({ tenantId: this.#d.tenantId, seq, agentId, interaction: wire, at: tx.now, ...changed });
    return saved;
  }

  /** The actor's own interaction: `not_found`, or `forbidden` when it is someone else's. */
  async own(actor: Actor, id: string): Promise<InteractionRecord> {
    const r = await this.find(this.#d.gc.db(), id);
    if (!r) throw new CodedError('not_found', `No interaction ${id}.`);
    if (!mayAct(actor, r)) throw CodedError.forbidden(`Interaction ${id} is not yours.`);
    return r;
  }

  /** A row the desk knows exists. */
  async reload(tx: Tx, id: string): Promise<InteractionRecord> {
    const r = await this.find(tx.trx, id);
    if (!r) throw new Error(`interaction ${id} vanished`);
    return r;
  }

  /** Busy while talking or dialling, wrap-up while finishing, else the agent's own choice. Returns true when it changed. */
  async #refreshWorkStatus(tx: Tx, agentId: string): Promise<boolean> {
    const user = await tx.trx
      .selectFrom('users')
      .select(['work_status', 'ready'])
      .where('tenant_id', '=', this.#d.tenantId)
      .where('id', '=', agentId)
      .executeTakeFirst();
    if (!user || user.work_status === 'offline') return false;
    const rows = this.#d.open.ofAgent(agentId);
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
      .set({ work_status: status, status_since: nowIso(new Date(tx.now)) })
      .where('tenant_id', '=', this.#d.tenantId)
      .where('id', '=', agentId)
      .execute();
    return true;
  }
}
