/**
 * Customers as stored: found by an identity or made on first contact, read
 * with their history across channels, edited and merged by agents.
 */
import type { Customer, CustomerHistoryEntry, Note } from '@parley/protocol';
import type { Db } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';
import type { Identity, Seen } from './identity.ts';

export type { Customer, Note };
/** One past or current interaction in a customer's history (the wire's). */
export type HistoryEntry = CustomerHistoryEntry;

/**
 * The customer a contact comes from: the one holding any of its identities,
 * or a new one. A customer first known only by an address gets the name a
 * later contact gives.
 */
export async function resolveCustomer(db: Db, tenantId: string, seen: Seen, now: Date): Promise<string> {
  const at = nowIso(now);
  for (const identity of seen.identities) {
    const hit = await db
      .selectFrom('customer_identities')
      .innerJoin('customers', 'customers.id', 'customer_identities.customer_id')
      .select(['customers.id', 'customers.name'])
      .where('customer_identities.tenant_id', '=', tenantId)
      .where('customer_identities.kind', '=', identity.kind)
      .where('customer_identities.value', '=', identity.value)
      .executeTakeFirst();
    if (!hit) continue;
    const nameless = hit.name === seen.email || hit.name === seen.phone;
    if (nameless && seen.name !== hit.name && seen.name !== seen.email && seen.name !== seen.phone)
      await db.updateTable('customers').set({ name: seen.name, updated_at: at }).where('id', '=', hit.id).execute();
    return hit.id;
  }
  const id = newId();
  await db
    .insertInto('customers')
    .values({
      id,
      tenant_id: tenantId,
      name: seen.name,
      email: seen.email,
      phone: seen.phone,
      merged_into: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const identity of seen.identities)
    await db
      .insertInto('customer_identities')
      .values({ tenant_id: tenantId, kind: identity.kind, value: identity.value, customer_id: id })
      .execute();
  return id;
}

/** A customer by id; a merged one answers as the customer it was merged into. */
export async function findCustomer(db: Db, tenantId: string, id: string): Promise<Customer | null> {
  const row = await db
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (row?.merged_into) return findCustomer(db, tenantId, row.merged_into);
  if (!row) return null;
  const identities = await db
    .selectFrom('customer_identities')
    .select(['kind', 'value'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', row.id)
    .orderBy('kind')
    .orderBy('value')
    .execute();
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    identities: identities.map((i) => ({ kind: i.kind as Identity['kind'], value: i.value })),
    created: row.created_at,
    updated: row.updated_at,
  };
}

/** Customers whose name, email or phone contains `q`, by name; at most `limit`. */
export async function searchCustomers(db: Db, tenantId: string, q: string, limit: number): Promise<Customer[]> {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('merged_into', 'is', null)
    .where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['name']), 'like', like),
        eb(eb.fn('lower', ['email']), 'like', like),
        eb('phone', 'like', like),
      ]),
    )
    .orderBy('name')
    .limit(limit)
    .execute();
  const found = await Promise.all(rows.map((r) => findCustomer(db, tenantId, r.id)));
  return found.filter((c): c is Customer => c !== null);
}

/** The ids a customer's history lives under: its own and those merged into it. */
async function historyIds(db: Db, tenantId: string, id: string): Promise<string[]> {
  const merged = await db
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('merged_into', '=', id)
    .execute();
  return [id, ...merged.map((m) => m.id)];
}

/** The customer's interactions, newest first (consultations left out), with outcomes, recordings and notes. */
export async function customerHistory(db: Db, tenantId: string, id: string, limit = 20): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('interactions')
    .leftJoin('queues', 'queues.id', 'interactions.queue_id')
    .leftJoin('users', 'users.id', 'interactions.agent_id')
    .select([
      'interactions.id',
      'interactions.channel',
      'interactions.direction',
      'interactions.state',
      'interactions.created_at',
      'interactions.ended_at',
      'interactions.subject',
      'interactions.wrapup',
      'interactions.agent_id',
      'queues.name as queue_name',
      'users.display_name as agent_name',
    ])
    .where('interactions.tenant_id', '=', tenantId)
    .where('interactions.customer_id', 'in', await historyIds(db, tenantId, id))
    .where('interactions.consultation_of', 'is', null)
    .orderBy('interactions.created_at', 'desc')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const recordings = await db
    .selectFrom('recordings')
    .select(['id', 'interaction_id', 'duration_ms'])
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', 'in', ids)
    .where('state', '=', 'complete')
    .execute();
  const notes = await listNotes(db, tenantId, ids);
  return rows.map((r) => ({
    interaction_id: r.id,
    channel: r.channel,
    direction: r.direction,
    state: r.state,
    created: r.created_at,
    ended: r.ended_at,
    subject: r.subject,
    queue_name: r.queue_name,
    agent_id: r.agent_id,
    agent_name: r.agent_name,
    wrapup: r.wrapup ? (JSON.parse(r.wrapup) as HistoryEntry['wrapup']) : null,
    recordings: recordings
      .filter((x) => x.interaction_id === r.id)
      .map((x) => ({ id: x.id, duration_ms: x.duration_ms })),
    notes: notes.filter((n) => n.interaction_id === r.id),
  }));
}

/** Changes a customer's name, email or phone (what an agent corrects on the card). */
export async function updateCustomer(
  db: Db,
  tenantId: string,
  id: string,
  patch: { name?: string; email?: string | null; phone?: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('customers')
    .set({ ...patch, updated_at: nowIso(now) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/**
 * Merges `fromId` into `intoId`: its identities and history move, its
 * missing email or phone fills the other's, and it answers as `intoId` from
 * now on. Run in a transaction.
 */
export async function mergeCustomers(
  db: Db,
  tenantId: string,
  intoId: string,
  fromId: string,
  now: Date,
): Promise<void> {
  const [into, from] = await Promise.all([findCustomer(db, tenantId, intoId), findCustomer(db, tenantId, fromId)]);
  if (!into || !from || into.id === from.id) return;
  await db
    .updateTable('customer_identities')
    .set({ customer_id: into.id })
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', from.id)
    .execute();
  await db
    .updateTable('interactions')
    .set({ customer_id: into.id })
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', from.id)
    .execute();
  await db
    .updateTable('customers')
    .set({ merged_into: into.id, updated_at: nowIso(now) })
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('id', '=', from.id), eb('merged_into', '=', from.id)]))
    .execute();
  await db
    .updateTable('customers')
    .set({ email: into.email ?? from.email, phone: into.phone ?? from.phone, updated_at: nowIso(now) })
    .where('id', '=', into.id)
    .execute();
}

/** Stores an agent's internal note on an interaction. */
export async function addNote(
  db: Db,
  tenantId: string,
  input: { interactionId: string; authorId: string; body: string },
  now: Date,
): Promise<Note> {
  const id = newId();
  const created = nowIso(now);
  await db
    .insertInto('interaction_notes')
    .values({
      id,
      tenant_id: tenantId,
      interaction_id: input.interactionId,
      author_id: input.authorId,
      body: input.body,
      created_at: created,
    })
    .execute();
  const author = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', input.authorId)
    .executeTakeFirst();
  return {
    id,
    interaction_id: input.interactionId,
    author_id: input.authorId,
    author_name: author?.display_name ?? '',
    body: input.body,
    created,
  };
}

/** The notes on these interactions, oldest first. */
export async function listNotes(db: Db, tenantId: string, interactionIds: readonly string[]): Promise<Note[]> {
  if (interactionIds.length === 0) return [];
  const rows = await db
    .selectFrom('interaction_notes')
    .leftJoin('users', 'users.id', 'interaction_notes.author_id')
    .select([
      'interaction_notes.id',
      'interaction_notes.interaction_id',
      'interaction_notes.author_id',
      'interaction_notes.body',
      'interaction_notes.created_at',
      'users.display_name',
    ])
    .where('interaction_notes.tenant_id', '=', tenantId)
    .where('interaction_notes.interaction_id', 'in', interactionIds)
    .orderBy('interaction_notes.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    interaction_id: r.interaction_id,
    author_id: r.author_id,
    author_name: r.display_name ?? '',
    body: r.body,
    created: r.created_at,
  }));
}
