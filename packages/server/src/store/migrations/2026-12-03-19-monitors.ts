/**
 * Supervisors on agents' calls: who listens to which call, and how
 * (`monitor`, `whisper`, `barge`). A row lives while the supervisor is on the
 * call; the interaction's events keep the history. Frozen in time: imports
 * nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('interaction_monitors')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('interaction_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('supervisor_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('interaction_monitors_pk', ['interaction_id', 'supervisor_id'])
    .execute();
  await db.schema
    .createIndex('interaction_monitors_tenant')
    .on('interaction_monitors')
    .columns(['tenant_id', 'interaction_id'])
    .execute();
}
