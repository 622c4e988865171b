/**
 * Teams (agents belong to teams, supervisors supervise them; Webex CC's
 * `teams` and `teamId`) and who changed an agent's state last and when
 * (`changedBy` on state changes: a supervisor's forced not-ready names the
 * supervisor); and client logs, what a headless client uploads for
 * troubleshooting (Webex's `cc.uploadLogs()`). Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('teams_tenant_name', ['tenant_id', 'name'])
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('team_id', 'varchar(32)', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('supervisor', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user').on('team_members').columns(['tenant_id', 'user_id']).execute();
  await db.schema
    .createTable('client_logs')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('client', 'varchar(40)', (c) => c.notNull())
    .addColumn('entries', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_logs_tenant').on('client_logs').columns(['tenant_id', 'created_at']).execute();
  await db.schema.alterTable('users').addColumn('state_changed_at', 'varchar(32)').execute();
  await db.schema.alterTable('users').addColumn('state_changed_by', 'varchar(32)').execute();
}
