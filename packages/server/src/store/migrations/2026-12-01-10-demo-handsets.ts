/**
 * Demo handsets belong to a tenant and to one browser: a number is claimed
 * by the device that opened it first (a random key in an HttpOnly cookie,
 * kept hashed), and only that device reads or sends its messages. Frozen in
 * time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demo_handsets')
    .addColumn('tenant_id', 'varchar(32)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('number', 'varchar(64)', (c) => c.notNull())
    .addColumn('device_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('demo_handsets_pk', ['tenant_id', 'number'])
    .execute();
  // Messages of before were nobody's in particular: they stay, seen by no handset.
  await db.schema.alterTable('demo_handset_messages').addColumn('tenant_id', 'varchar(32)').execute();
  await db.schema
    .createIndex('demo_handset_messages_tenant')
    .on('demo_handset_messages')
    .columns(['tenant_id', 'handset', 'created_at'])
    .execute();
}
