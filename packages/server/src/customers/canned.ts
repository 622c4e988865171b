/**
 * Canned responses: texts an agent inserts with `/shortcut` in the compose
 * box, tenant-wide (admins keep them) or an agent's own. Placeholders such
 * as `{{customer.first_name}}` are filled in by the panel.
 */
import type { CannedResponse } from '@parley/protocol';
import type { Db } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

export type { CannedResponse };

/** The tenant's responses and the user's own, by shortcut. */
export async function listCanned(db: Db, tenantId: string, userId: string): Promise<CannedResponse[]> {
  const rows = await db
    .selectFrom('canned_responses')
    .select(['id', 'shortcut', 'title', 'body', 'owner_id'])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', userId)]))
    .orderBy('shortcut')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    shortcut: r.shortcut,
    title: r.title,
    body: r.body,
    personal: r.owner_id !== null,
  }));
}

export async function findCanned(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ id: string; ownerId: string | null } | null> {
  const row = await db
    .selectFrom('canned_responses')
    .select(['id', 'owner_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { id: row.id, ownerId: row.owner_id } : null;
}

/** True when the owner (null: the tenant) already has a response with this shortcut. */
export async function shortcutTaken(
  db: Db,
  tenantId: string,
  ownerId: string | null,
  shortcut: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('canned_responses')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('owner_id', ownerId === null ? 'is' : '=', ownerId)
    .where('shortcut', '=', shortcut)
    .executeTakeFirst();
  return row !== undefined;
}

export async function createCanned(
  db: Db,
  tenantId: string,
  input: { ownerId: string | null; shortcut: string; title: string; body: string },
  now: Date,
): Promise<CannedResponse> {
  const id = newId();
  await db
    .insertInto('canned_responses')
    .values({
      id,
      tenant_id: tenantId,
      owner_id: input.ownerId,
      shortcut: input.shortcut,
      title: input.title,
      body: input.body,
      created_at: nowIso(now),
    })
    .execute();
  return { id, shortcut: input.shortcut, title: input.title, body: input.body, personal: input.ownerId !== null };
}

export async function deleteCanned(db: Db, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('canned_responses').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
