/**
 * Conversations and their messages (web chat first; SMS, WhatsApp and email
 * join later). A conversation is the customer's side: it outlives the agent
 * legs (interactions) that serve it through transfers and joins.
 * Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('customer_email', 'text')
    // SHA-256 of the customer's conversation token (web chat); the token itself is never stored.
    .addColumn('token_hash', 'varchar(64)', (c) => c.unique())
    .addColumn('interaction_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(32)', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('interaction_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('author_id', 'varchar(32)')
    .addColumn('client_message_id', 'varchar(64)')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('messages_conversation')
    .on('messages')
    .columns(['conversation_id', 'created_at'])
    .execute();
  // A resent message (same client id from the same side) is the same message.
  await db.schema
    .createIndex('messages_client_id')
    .on('messages')
    .columns(['conversation_id', 'direction', 'client_message_id'])
    .unique()
    .execute();

  await db.schema.alterTable('interactions').addColumn('conversation_id', 'varchar(32)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('interactions').dropColumn('conversation_id').execute();
  await db.schema.dropTable('messages').execute();
  await db.schema.dropTable('conversations').execute();
}
