/**
 * A chat transcript goes by email only to an address that confirmed it:
 * the widget's request mails a one-time link (its token kept hashed), and
 * the transcript is sent when the link is opened. Rows also count the
 * confirmation mails each address got, for the per-recipient limit.
 * Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transcript_requests')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('transcript_requests_email')
    .on('transcript_requests')
    .columns(['email', 'created_at'])
    .execute();
}
