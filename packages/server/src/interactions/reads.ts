/**
 * What a desk answers without changing anything: an agent's open
 * interactions (hello, snapshots), the events a reconnecting panel missed,
 * one interaction or a list of them, the picklist and a queue's line.
 */
import type { ChannelType, Interaction } from '@parley/protocol';
import type { BusEvents } from '../bus/index.ts';
import type { GroupCommit } from './commit.ts';
import { eventsSince } from './events.ts';
import type { Actor, WaitingEntry } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import { toRecord } from './records.ts';
import type { Router } from './router.ts';
import { AGENT_STATES } from './rules.ts';

export interface DeskReadsOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
}

export class DeskReads {
  readonly #d: DeskReadsOptions;

  constructor(o: DeskReadsOptions) {
    this.#d = o;
  }

  /** The agent's open interactions and the event sequence they reflect. */
  async snapshot(agentId: string): Promise<{ interactions: Interaction[]; eventSeq: number }> {
    const eventSeq = this.#d.ledger.seq;
    const rows = await this.#d.gc
      .db()
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.#d.tenantId)
      .where('agent_id', '=', agentId)
      .where('state', 'in', [...AGENT_STATES])
      .orderBy('created_at')
      .execute();
    return { interactions: rows.map((r) => this.#d.ledger.wire(toRecord(r))), eventSeq };
  }

  /** The agent's events after `afterSeq`, or null when there are more than `limit` (send a snapshot instead). */
  async replay(agentId: string, afterSeq: number, limit: number): Promise<BusEvents['interaction.changed'][] | null> {
    const events = await eventsSince(this.#d.gc.db(), this.#d.tenantId, afterSeq, limit + 1, agentId);
    if (events.length > limit) return null;
    // Stored by the ledger through the typed event map: the type and detail read back are one member of it.
    return events.map(
      (e) =>
        ({
          tenantId: this.#d.tenantId,
          seq: e.seq,
          event: e.type,
          agentId,
          at: Date.parse(e.createdAt),
          interaction: e.data['interaction'] as Interaction,
          ...(e.data['detail'] ? { detail: e.data['detail'] as Record<string, unknown> } : {}),
        }) as BusEvents['interaction.changed'],
    );
  }

  /** One interaction, for its agent. */
  async get(actor: Actor, id: string): Promise<Interaction> {
    return this.#d.ledger.wire(await this.#d.ledger.own(actor, id));
  }

  /** The actor's interactions: the open ones, or the latest ones including finished. */
  async list(actor: Actor, opts: { open: boolean; limit: number }): Promise<Interaction[]> {
    let query = this.#d.gc
      .db()
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.#d.tenantId)
      .where('agent_id', '=', actor.id);
    if (opts.open) query = query.where('state', 'in', [...AGENT_STATES]);
    const rows = await query.orderBy('created_at', 'desc').limit(opts.limit).execute();
    return rows.map((r) => this.#d.ledger.wire(toRecord(r)));
  }

  /** Contacts waiting in the given queues (the picklist), oldest first. */
  async waiting(queueIds: readonly string[], limit: number): Promise<WaitingEntry[]> {
    const out: WaitingEntry[] = [];
    for (const queueId of queueIds) {
      if (!this.#d.router.engine.hasQueue(queueId)) continue;
      for (const c of this.#d.router.engine.waiting(queueId)) out.push({ ...c, queueId });
    }
    out.sort((a, b) => b.priority - a.priority || a.arrivedAt - b.arrivedAt);
    const picked = out.slice(0, limit);
    if (picked.length === 0) return [];
    const rows = await this.#d.gc
      .db()
      .selectFrom('interactions')
      .select(['id', 'channel', 'remote_address'])
      .where('tenant_id', '=', this.#d.tenantId)
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
    if (!this.#d.router.engine.hasQueue(queueId)) return { waiting: 0, oldestArrivedAt: null };
    const waiting = this.#d.router.engine.waiting(queueId);
    let oldest: number | null = null;
    for (const c of waiting) if (oldest === null || c.arrivedAt < oldest) oldest = c.arrivedAt;
    return { waiting: waiting.length, oldestArrivedAt: oldest };
  }
}
