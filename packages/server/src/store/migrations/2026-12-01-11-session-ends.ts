/**
 * Every ended session, whatever ended it (a logout, a password change, the
 * CLI, an expiry, another node, a user deleted): a trigger logs each deleted
 * `sessions` row here, so a server finds the ended sessions of its open
 * sockets by reading what is new since its last look, instead of looking
 * up every session it holds. Pruned after a day. Frozen in time: imports
 * nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('session_ends')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('ended_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  if (postgres) {
    await sql`CREATE FUNCTION parley_session_ended() RETURNS trigger AS $$
      BEGIN
        INSERT INTO session_ends (token_hash, ended_at)
          VALUES (OLD.token_hash, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
        RETURN OLD;
      END $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER sessions_ended AFTER DELETE ON sessions
      FOR EACH ROW EXECUTE FUNCTION parley_session_ended()`.execute(db);
  } else {
    await sql`CREATE TRIGGER sessions_ended AFTER DELETE ON sessions BEGIN
      INSERT INTO session_ends (token_hash, ended_at) VALUES (old.token_hash, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    END`.execute(db);
  }
}
