/**
 * Supervision: each queue's service-level threshold (answered within so many
 * seconds counts as "in service level"), since when each agent has their
 * work status (the agent grid's time in state), and an index to read a tenant's
 * events by time (the wallboard's day, reports' intervals). Frozen in time:
 * imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('queues')
    .addColumn('sl_threshold_s', 'integer', (c) => c.notNull().defaultTo(20))
    .execute();
  await db.schema.alterTable('users').addColumn('status_since', 'varchar(32)').execute();
  await db.schema
    .createIndex('interaction_events_time')
    .on('interaction_events')
    .columns(['tenant_id', 'created_at'])
    .execute();
}
