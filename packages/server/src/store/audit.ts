import type { Db } from './schema.ts';
import { nowIso } from './util.ts';

/** Appends one entry to the audit log. `detail` must never hold secrets. */
export async function audit(
  db: Db,
  entry: { tenantId: string; actorId: string | null; action: string; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      tenant_id: entry.tenantId,
      actor_id: entry.actorId,
      action: entry.action,
      detail: JSON.stringify(entry.detail ?? {}),
      created_at: nowIso(),
    })
    .execute();
}

/** The tenant's latest audit entries, newest first. */
export async function listAudit(
  db: Db,
  tenantId: string,
  limit: number,
): Promise<Array<{ seq: number; actorId: string | null; action: string; detail: unknown; createdAt: string }>> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    actorId: r.actor_id,
    action: r.action,
    detail: JSON.parse(r.detail) as unknown,
    createdAt: r.created_at,
  }));
}
