/**
 * Customers: the people behind interactions, matched by their identities
 * (a phone number shared by calls, SMS and WhatsApp; an email address shared
 * by email and chat), merged by an agent (`merged_into`). Interactions carry
 * their customer and the data that came with the contact (`attributes`: a
 * widget's pre-chat fields, a host's user data). Notes are an agent's
 * internal remarks on an interaction at any time, never shown to the
 * customer. Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)')
    .addColumn('phone', 'varchar(40)')
    .addColumn('merged_into', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customers_tenant_name').on('customers').columns(['tenant_id', 'name']).execute();
  await db.schema
    .createTable('customer_identities')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('value', 'varchar(320)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(32)', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_identities_pk', ['tenant_id', 'kind', 'value'])
    .execute();
  await db.schema
    .createIndex('customer_identities_customer')
    .on('customer_identities')
    .columns(['tenant_id', 'customer_id'])
    .execute();
  await db.schema.alterTable('interactions').addColumn('customer_id', 'varchar(32)').execute();
  await db.schema
    .alterTable('interactions')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('interactions_customer')
    .on('interactions')
    .columns(['tenant_id', 'customer_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('interaction_notes')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('interaction_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('author_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('interaction_notes_interaction')
    .on('interaction_notes')
    .columns(['tenant_id', 'interaction_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('canned_responses')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('owner_id', 'varchar(32)')
    .addColumn('shortcut', 'varchar(40)', (c) => c.notNull())
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('canned_responses_tenant')
    .on('canned_responses')
    .columns(['tenant_id', 'owner_id', 'shortcut'])
    .execute();
}
