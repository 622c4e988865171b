/**
 * Signed provider webhooks taken, by the SHA-256 of their signature: a
 * request whose signature was seen is a replay (a provider's retry, or a
 * re-split of the same signed bytes) and stores nothing. Kept 30 days.
 * Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_receipts')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('digest', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_receipts_pk', ['tenant_id', 'digest'])
    .execute();
  await db.schema.createIndex('webhook_receipts_age').on('webhook_receipts').column('created_at').execute();
}
