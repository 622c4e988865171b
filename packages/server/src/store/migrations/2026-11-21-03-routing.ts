/**
 * What routing needs to survive a restart, agents' own ready choice, and
 * idempotent interaction actions. Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const columns: Array<[string, string, (c: any) => any]> = [
    // When the customer first started waiting; a transfer keeps it.
    ['waiting_since', 'varchar(32)', (c) => c],
    ['priority', 'integer', (c) => c.notNull().defaultTo(0)],
    ['offer_expires_at', 'varchar(32)', (c) => c],
    // JSON array of agents the contact must not be offered to again.
    ['excluded', 'text', (c) => c.notNull().defaultTo('[]')],
    ['preferred_agent_id', 'varchar(32)', (c) => c],
    ['wrapup_until', 'varchar(32)', (c) => c],
    // The other leg of a consultation (the consulted agent's, or the consulting agent's).
    ['peer_id', 'varchar(32)', (c) => c],
    ['transferred_from', 'varchar(32)', (c) => c],
    // JSON {kind, id?, address} of a consultation's or transfer's target.
    ['target', 'text', (c) => c],
    ['conference', 'integer', (c) => c.notNull().defaultTo(0)],
  ];
  for (const [name, type, build] of columns) {
    await db.schema
      .alterTable('interactions')
      .addColumn(name, type as any, build)
      .execute();
  }
  await db.schema
    .createIndex('interactions_waiting')
    .on('interactions')
    .columns(['tenant_id', 'queue_id', 'state'])
    .execute();

  // The agent an event concerns, so a reconnecting panel replays only its own.
  await db.schema.alterTable('interaction_events').addColumn('agent_id', 'varchar(32)').execute();
  await db.schema
    .createIndex('interaction_events_agent')
    .on('interaction_events')
    .columns(['tenant_id', 'agent_id', 'seq'])
    .execute();

  // The agent's own choice, ready for work or not; work_status also shows busy and wrap-up.
  await db.schema
    .alterTable('users')
    .addColumn('ready', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.updateTable('users').set({ ready: 1 }).where('work_status', '=', 'ready').execute();

  await db.schema
    .createTable('interaction_requests')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('interaction_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('result_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('interaction_requests_pk', ['tenant_id', 'user_id', 'request_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('interaction_requests').execute();
  await db.schema.dropIndex('interaction_events_agent').execute();
  await db.schema.alterTable('interaction_events').dropColumn('agent_id').execute();
  await db.schema.alterTable('users').dropColumn('ready').execute();
  await db.schema.dropIndex('interactions_waiting').execute();
  for (const name of [
    'conference',
    'target',
    'transferred_from',
    'peer_id',
    'wrapup_until',
    'preferred_agent_id',
    'excluded',
    'offer_expires_at',
    'priority',
    'waiting_since',
  ])
    await db.schema.alterTable('interactions').dropColumn(name).execute();
}
