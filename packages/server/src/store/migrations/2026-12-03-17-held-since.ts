/**
 * When a call went on hold, so the agent (and later a supervisor) sees how
 * long the customer has been waiting on hold. Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('interactions').addColumn('held_since', 'varchar(32)').execute();
}
