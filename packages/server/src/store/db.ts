/**
 * Opens the store: an embedded SQLite file (WAL) by default, PostgreSQL when
 * a URL is given. Migrations run at every start, before the server accepts a
 * request.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
  type Dialect,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import pg from 'pg';
import * as initial from './migrations/2026-11-21-01-initial.ts';
import * as interactions from './migrations/2026-11-21-02-interactions.ts';
import * as routing from './migrations/2026-11-21-03-routing.ts';
import * as conversations from './migrations/2026-11-21-04-conversations.ts';
import * as channels from './migrations/2026-11-21-05-channels.ts';
import * as recordings from './migrations/2026-11-21-06-recordings.ts';
import * as addressKeys from './migrations/2026-12-01-07-address-keys.ts';
import * as webhookReceipts from './migrations/2026-12-01-08-webhook-receipts.ts';
import * as transcriptRequests from './migrations/2026-12-01-09-transcript-requests.ts';
import * as demoHandsets from './migrations/2026-12-01-10-demo-handsets.ts';
import * as sessionEnds from './migrations/2026-12-01-11-session-ends.ts';
import * as apiKeys from './migrations/2026-12-02-12-api-keys.ts';
import * as teams from './migrations/2026-12-02-13-teams.ts';
import * as internalMessages from './migrations/2026-12-03-14-internal-messages.ts';
import * as customers from './migrations/2026-12-03-15-customers.ts';
import * as preferences from './migrations/2026-12-03-16-preferences.ts';
import * as heldSince from './migrations/2026-12-03-17-held-since.ts';
import * as serviceLevel from './migrations/2026-12-03-18-service-level.ts';
import * as monitors from './migrations/2026-12-03-19-monitors.ts';
import type { Database } from './schema.ts';

/** Every migration, by date-prefixed name. Add new ones here; never edit released ones. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-21-01-initial': initial,
  '2026-11-21-02-interactions': interactions,
  '2026-11-21-03-routing': routing,
  '2026-11-21-04-conversations': conversations,
  '2026-11-21-05-channels': channels,
  '2026-11-21-06-recordings': recordings,
  '2026-12-01-07-address-keys': addressKeys,
  '2026-12-01-08-webhook-receipts': webhookReceipts,
  '2026-12-01-09-transcript-requests': transcriptRequests,
  '2026-12-01-10-demo-handsets': demoHandsets,
  '2026-12-01-11-session-ends': sessionEnds,
  '2026-12-02-12-api-keys': apiKeys,
  '2026-12-02-13-teams': teams,
  '2026-12-03-14-internal-messages': internalMessages,
  '2026-12-03-15-customers': customers,
  '2026-12-03-16-preferences': preferences,
  '2026-12-03-17-held-since': heldSince,
  '2026-12-03-18-service-level': serviceLevel,
  '2026-12-03-19-monitors': monitors,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Thrown when the store cannot be opened or migrated. */
export class StoreError extends Error {
  readonly code = 'store_unavailable';
  override name = 'StoreError';
}

export interface StoreOptions {
  /** Path of the SQLite file, or `:memory:`; used when no `databaseUrl` is given. */
  readonly sqliteFile: string;
  /** PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite. */
  readonly databaseUrl?: string | null;
  /** Largest PostgreSQL pool (default 10). */
  readonly poolSize?: number;
  /** Migrate up to this migration only (tests of a migration); the latest by default. */
  readonly migrateTo?: string;
}

/** Which database a store runs on. */
export type StoreKind = 'sqlite' | 'postgres';

function dialectFor(options: StoreOptions): { dialect: Dialect; kind: StoreKind } {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    return { dialect: new PostgresDialect({ pool }), kind: 'postgres' };
  }
  if (options.sqliteFile !== ':memory:') fs.mkdirSync(path.dirname(options.sqliteFile), { recursive: true });
  const sqlite = new SQLite(options.sqliteFile);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), kind: 'sqlite' };
}

/**
 * Kysely prepares every query anew; preparing costs SQLite about as much as
 * running a simple statement. Statements are reused by their SQL text (the
 * hot paths run the same few statements over and over), up to a bound.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (statement) return statement;
      statement = sqlite.prepare(sqlText);
      // Schema changes (migrations) invalidate nothing here: SQLite re-prepares stale statements itself.
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sqlText, statement);
      return statement;
    },
  } as SqliteDatabase;
}

/** Opens the database and runs pending migrations. */
export async function openStore(options: StoreOptions): Promise<Kysely<Database>> {
  const { dialect } = dialectFor(options);
  const db = new Kysely<Database>({ dialect });
  let migrated;
  try {
    const migrator = new Migrator({ db, provider });
    migrated = await (options.migrateTo ? migrator.migrateTo(options.migrateTo) : migrator.migrateToLatest());
  } catch (err) {
    await db.destroy();
    throw new StoreError(`cannot reach the database: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (migrated.error) {
    await db.destroy();
    const failed = migrated.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const message = migrated.error instanceof Error ? migrated.error.message : String(migrated.error);
    throw new StoreError(`migration ${failed} failed: ${message}`);
  }
  return db;
}
