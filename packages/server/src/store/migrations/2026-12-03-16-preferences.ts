/**
 * An agent's own settings that follow them from browser to browser: the
 * audio devices they chose and their keyboard shortcuts (a framed panel may
 * not keep anything in the browser). Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('preferences', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}
