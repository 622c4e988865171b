/**
 * SMS, WhatsApp and email beside web chat: conversations keyed by the
 * customer's address, messages with provider ids, subjects, HTML and
 * delivery errors, stored attachments, the tenant's webhook secret, and the
 * demo handset and mailbox. Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The secret that signs the tenant's SMS/WhatsApp webhooks (never served back by the API).
  await db.schema.alterTable('tenants').addColumn('webhook_secret', 'text').execute();

  for (const column of ['customer_address', 'local_address', 'subject'])
    await db.schema.alterTable('conversations').addColumn(column, 'text').execute();
  await db.schema
    .createIndex('conversations_address')
    .on('conversations')
    .columns(['tenant_id', 'channel', 'customer_address', 'local_address', 'state'])
    .execute();

  for (const column of ['subject', 'html', 'external_id', 'error', 'meta'])
    await db.schema.alterTable('messages').addColumn(column, 'text').execute();
  // A provider's message id (SMS sid, email Message-ID) is one message: a retried webhook is not a second one.
  await db.schema
    .createIndex('messages_external')
    .on('messages')
    .columns(['tenant_id', 'external_id'])
    .unique()
    .execute();
  await db.schema.createIndex('messages_status').on('messages').columns(['status', 'direction']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(32)', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    // Null while uploaded but not yet sent with a message.
    .addColumn('message_id', 'varchar(32)')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'varchar(128)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // Base64, so one column type serves SQLite and PostgreSQL alike.
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_message').on('attachments').columns(['message_id']).execute();

  // The demo provider's handsets: what virtual phones sent and received.
  await db.schema
    .createTable('demo_handset_messages')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('sid', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('handset', 'varchar(64)', (c) => c.notNull())
    .addColumn('peer', 'varchar(64)', (c) => c.notNull())
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('idempotency_key', 'varchar(128)', (c) => c.unique())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('demo_handset_by_number')
    .on('demo_handset_messages')
    .columns(['handset', 'created_at'])
    .execute();

  // The demo mailbox: what Parley's capture relay received from outbound email.
  await db.schema
    .createTable('demo_mailbox')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('message_id', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('references', 'text')
    .addColumn('from', 'text', (c) => c.notNull())
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('cc', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demo_mailbox').execute();
  await db.schema.dropTable('demo_handset_messages').execute();
  await db.schema.dropTable('attachments').execute();
  await db.schema.dropIndex('messages_status').execute();
  await db.schema.dropIndex('messages_external').execute();
  for (const column of ['subject', 'html', 'external_id', 'error', 'meta'])
    await db.schema.alterTable('messages').dropColumn(column).execute();
  await db.schema.dropIndex('conversations_address').execute();
  for (const column of ['customer_address', 'local_address', 'subject'])
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  await db.schema.alterTable('tenants').dropColumn('webhook_secret').execute();
}
