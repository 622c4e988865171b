/**
 * The interaction event log: append-only, one monotonic, gap-free sequence
 * per tenant. An event is written inside the caller's transaction, so it is
 * stored before anything is acknowledged and a rolled-back change leaves
 * neither an event nor a hole in the sequence.
 *
 * The counter is a row per tenant, incremented with an upsert that returns
 * the new value: on PostgreSQL the row lock makes concurrent transactions
 * take numbers in commit order; SQLite has a single writer.
 */
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../store/index.ts';
import { nowIso } from '../store/index.ts';

/** One stored event. */
export interface InteractionEvent {
  readonly seq: number;
  readonly interactionId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly actorId: string | null;
  readonly agentId: string | null;
  readonly createdAt: string;
}

/** Hands out the tenant's next sequence number; call inside a transaction. */
export async function nextSeq(trx: Transaction<Database>, tenantId: string): Promise<number> {
  const row = await trx
    .insertInto('tenant_sequences')
    .values({ tenant_id: tenantId, last_seq: 1 })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_seq: sql`tenant_sequences.last_seq + 1` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

/**
 * Writes an event with a sequence number the caller owns (the tenant's desk
 * hands them out in memory and stores the counter once per transaction with
 * {@link storeSeq}).
 */
export async function insertEvent(
  trx: Transaction<Database>,
  event: {
    tenantId: string;
    seq: number;
    interactionId: string;
    type: string;
    data: Record<string, unknown>;
    actorId: string | null;
    agentId: string | null;
    at: Date;
  },
): Promise<void> {
  await trx
    .insertInto('interaction_events')
    .values({
      tenant_id: event.tenantId,
      seq: event.seq,
      interaction_id: event.interactionId,
      type: event.type,
      data: JSON.stringify(event.data),
      actor_id: event.actorId,
      agent_id: event.agentId,
      created_at: nowIso(event.at),
    })
    .execute();
}

/** Stores the tenant's last handed-out sequence number. */
export async function storeSeq(trx: Transaction<Database>, tenantId: string, seq: number): Promise<void> {
  await trx
    .insertInto('tenant_sequences')
    .values({ tenant_id: tenantId, last_seq: seq })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_seq: seq }))
    .execute();
}

/** Appends an event in the caller's transaction; returns its sequence number. */
export async function appendEvent(
  trx: Transaction<Database>,
  event: {
    tenantId: string;
    interactionId: string;
    type: string;
    data?: Record<string, unknown>;
    actorId?: string | null;
    /** The agent whose panel must hear of it (replayed on resume). */
    agentId?: string | null;
    at?: Date;
  },
): Promise<number> {
  const seq = await nextSeq(trx, event.tenantId);
  await trx
    .insertInto('interaction_events')
    .values({
      tenant_id: event.tenantId,
      seq,
      interaction_id: event.interactionId,
      type: event.type,
      data: JSON.stringify(event.data ?? {}),
      actor_id: event.actorId ?? null,
      agent_id: event.agentId ?? null,
      created_at: nowIso(event.at),
    })
    .execute();
  return seq;
}

/** The tenant's events after `afterSeq`, oldest first; only one agent's when `agentId` is given (resuming panels). */
export async function eventsSince(
  db: Db,
  tenantId: string,
  afterSeq: number,
  limit = 1000,
  agentId?: string,
): Promise<InteractionEvent[]> {
  let query = db.selectFrom('interaction_events').selectAll().where('tenant_id', '=', tenantId);
  if (agentId !== undefined) query = query.where('agent_id', '=', agentId);
  const rows = await query.where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    interactionId: r.interaction_id,
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    actorId: r.actor_id,
    agentId: r.agent_id,
    createdAt: r.created_at,
  }));
}

/** One interaction's event log as its history shows it: each event, when, by whom, and its detail. */
export async function eventLog(
  db: Db,
  tenantId: string,
  interactionId: string,
  limit = 1000,
): Promise<Array<{ seq: number; type: string; at: string; actorId: string | null; detail: unknown }>> {
  const rows = await db
    .selectFrom('interaction_events')
    .select(['seq', 'type', 'data', 'actor_id', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', '=', interactionId)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((e) => {
    let detail: unknown;
    try {
      detail = (JSON.parse(e.data) as { detail?: unknown }).detail ?? null;
    } catch {
      detail = null;
    }
    return { seq: Number(e.seq), type: e.type, at: e.created_at, actorId: e.actor_id, detail };
  });
}

/** The tenant's latest sequence number (0 before the first event). */
export async function lastSeq(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('tenant_sequences')
    .select('last_seq')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row ? Number(row.last_seq) : 0;
}
