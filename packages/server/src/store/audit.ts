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
