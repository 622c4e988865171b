/**
 * Frozen in time once released: this migration imports nothing from the app
 * and must never change after it has run anywhere. Write a new one instead.
 *
 * Portable across SQLite and PostgreSQL: ids are 32-hex text, timestamps
 * ISO-8601 UTC text, booleans 0/1 integers, JSON text.
 */
import { PostgresAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('slug', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('allowed_origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('oauth_issuers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('presence_profiles')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('ready', 'integer', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('presence_profiles_tenant_name', ['tenant_id', 'name'])
    .execute();

  await db.schema
    .createTable('reason_codes')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('code', 'varchar(64)', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('reason_codes_tenant_kind_code', ['tenant_id', 'kind', 'code'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('username', 'varchar(128)', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('oauth_subject', 'text')
    .addColumn('language', 'varchar(16)', (c) => c.notNull().defaultTo('en'))
    .addColumn('theme', 'text', (c) => c.notNull().defaultTo('{"dark":false,"primary":"#2563eb"}'))
    .addColumn('presence_profile_id', 'varchar(32)', (c) => c.references('presence_profiles.id').onDelete('set null'))
    .addColumn('not_ready_reason_id', 'varchar(32)', (c) => c.references('reason_codes.id').onDelete('set null'))
    .addColumn('work_status', 'varchar(16)', (c) => c.notNull().defaultTo('offline'))
    .addColumn('capacity', 'text', (c) => c.notNull().defaultTo('{"phone":1,"chat":3,"email":5,"sms":3,"whatsapp":3}'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('users_tenant_username', ['tenant_id', 'username'])
    .execute();

  await db.schema
    .createTable('queues')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('offer_timeout_s', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('wrapup_s', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('overflow_queue_id', 'varchar(32)')
    .addColumn('overflow_after_s', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('queues_tenant_name', ['tenant_id', 'name'])
    .execute();

  await db.schema
    .createTable('queue_addresses')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('queue_id', 'varchar(32)', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('address', 'varchar(320)', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('queue_addresses_pk', ['tenant_id', 'address'])
    .execute();

  await db.schema
    .createTable('queue_members')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('queue_id', 'varchar(32)', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('can_serve', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('proficiency', 'integer', (c) => c.notNull().defaultTo(3))
    .addPrimaryKeyConstraint('queue_members_pk', ['queue_id', 'user_id'])
    .execute();
  await db.schema.createIndex('queue_members_user').on('queue_members').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  // Append-only. `seq` orders entries; it is an identity column on PostgreSQL and a rowid alias on SQLite.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(32)')
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_tenant').on('audit_log').columns(['tenant_id', 'seq']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'sessions',
    'queue_members',
    'queue_addresses',
    'queues',
    'users',
    'reason_codes',
    'presence_profiles',
    'tenants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
