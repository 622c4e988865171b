/**
 * Client logs: what a headless client uploads when its integrator asks for
 * help (Webex's `cc.uploadLogs()`): its recent calls, outcomes and events.
 * Masked again here, whatever the client did, so no credential is stored;
 * each user keeps their newest {@link KEEP_PER_USER} uploads.
 */
import { redactSecrets } from '@parley/protocol';
import type { Db } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

export interface ClientLogEntry {
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface ClientLog {
  readonly id: string;
  readonly userId: string;
  readonly client: string;
  readonly createdAt: string;
  readonly entries: readonly ClientLogEntry[];
}

export const KEEP_PER_USER = 20;

/** The protocol's masking, applied again here whatever the client did. */
export const redactLogText = redactSecrets;

export async function storeClientLog(
  db: Db,
  input: { tenantId: string; userId: string; client: string; entries: readonly ClientLogEntry[] },
): Promise<ClientLog> {
  const id = newId();
  const createdAt = nowIso();
  const entries = input.entries.map((e) => ({ at: e.at, level: e.level, message: redactLogText(e.message) }));
  await db
    .insertInto('client_logs')
    .values({
      id,
      tenant_id: input.tenantId,
      user_id: input.userId,
      client: input.client,
      entries: JSON.stringify(entries),
      created_at: createdAt,
    })
    .execute();
  const old = await db
    .selectFrom('client_logs')
    .select('id')
    .where('tenant_id', '=', input.tenantId)
    .where('user_id', '=', input.userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(KEEP_PER_USER)
    .limit(1000)
    .execute();
  if (old.length > 0)
    await db
      .deleteFrom('client_logs')
      .where(
        'id',
        'in',
        old.map((r) => r.id),
      )
      .execute();
  return { id, userId: input.userId, client: input.client, createdAt, entries };
}

/** The newest uploads of a tenant (one user's when given), without their entries. */
export async function listClientLogs(
  db: Db,
  tenantId: string,
  options: { userId?: string; limit: number },
): Promise<Array<Omit<ClientLog, 'entries'> & { count: number }>> {
  let query = db
    .selectFrom('client_logs')
    .select(['id', 'user_id', 'client', 'created_at', 'entries'])
    .where('tenant_id', '=', tenantId);
  if (options.userId) query = query.where('user_id', '=', options.userId);
  const rows = await query.orderBy('created_at', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    client: r.client,
    createdAt: r.created_at,
    count: (JSON.parse(r.entries) as unknown[]).length,
  }));
}

export async function findClientLog(db: Db, tenantId: string, id: string): Promise<ClientLog | null> {
  const r = await db
    .selectFrom('client_logs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    userId: r.user_id,
    client: r.client,
    createdAt: r.created_at,
    entries: JSON.parse(r.entries) as ClientLogEntry[],
  };
}
