/**
 * Call recordings: one WAV file per recorded call leg under the data
 * directory, and its row here (written when the recording starts, so a
 * crash leaves a row whose file is repaired at the next start). Frozen in
 * time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recordings')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('interaction_id', 'varchar(32)', (c) => c.notNull())
    // The agent whose call it is: they and supervisors may listen.
    .addColumn('agent_id', 'varchar(32)')
    // Relative to the data directory.
    .addColumn('file', 'text', (c) => c.notNull())
    // recording | paused | complete
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('duration_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('recordings_interaction')
    .on('recordings')
    .columns(['tenant_id', 'interaction_id'])
    .execute();
}
