/**
 * Interactions and their append-only event log, with a per-tenant sequence.
 * Frozen in time: imports nothing from the app.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_sequences')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('queue_id', 'varchar(32)')
    .addColumn('agent_id', 'varchar(32)')
    .addColumn('remote_address', 'text', (c) => c.notNull())
    .addColumn('local_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('consultation_of', 'varchar(32)')
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recording', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wrapup', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('accepted_at', 'varchar(32)')
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('interactions_tenant_state').on('interactions').columns(['tenant_id', 'state']).execute();
  await db.schema.createIndex('interactions_agent').on('interactions').columns(['tenant_id', 'agent_id']).execute();

  await db.schema
    .createTable('interaction_events')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('interaction_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('actor_id', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('interaction_events_pk', ['tenant_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('interaction_events_interaction')
    .on('interaction_events')
    .columns(['interaction_id', 'seq'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['interaction_events', 'interactions', 'tenant_sequences'])
    await db.schema.dropTable(table).execute();
}
