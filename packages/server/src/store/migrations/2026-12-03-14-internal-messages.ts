/**
 * Internal messages: what agents write to each other in a conversation (a
 * chat consultation's thread) is stored with the customer's transcript but
 * never shown or sent to the customer. Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
