/** Who serves queues, and the queries the REST edge asks of queue rows (availability, live stats, name clashes, edits). */
import type { Db, QueueTable } from '../store/index.ts';

/** The users who serve a queue (members with `can_serve`). */
export async function servingUserIds(db: Db, queueId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('queue_members')
    .select('user_id')
    .where('queue_id', '=', queueId)
    .where('can_serve', '=', 1)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Every serving membership of the tenant, with the member's work status (the queue stats). */
export async function servingMembers(
  db: Db,
  tenantId: string,
): Promise<Array<{ queueId: string; userId: string; workStatus: string }>> {
  const rows = await db
    .selectFrom('queue_members')
    .innerJoin('users', 'users.id', 'queue_members.user_id')
    .select(['queue_members.queue_id', 'queue_members.user_id', 'users.work_status'])
    .where('queue_members.tenant_id', '=', tenantId)
    .where('queue_members.can_serve', '=', 1)
    .execute();
  return rows.map((r) => ({ queueId: r.queue_id, userId: r.user_id, workStatus: r.work_status }));
}

/** Whether another queue of the tenant has this name (queue names are unique per tenant). */
export async function queueNameTaken(db: Db, tenantId: string, name: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('queues').select('id').where('tenant_id', '=', tenantId).where('name', '=', name);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** Changes a queue's own columns (its addresses and members have their own functions). */
export async function updateQueue(
  db: Db,
  tenantId: string,
  id: string,
  set: Partial<Omit<QueueTable, 'id' | 'tenant_id'>>,
): Promise<void> {
  if (Object.keys(set).length === 0) return;
  await db.updateTable('queues').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
