/**
 * Opens the store: an embedded SQLite file (WAL) by default. Migrations run
 * at every start, before the server accepts a request.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/2026-11-21-01-initial.ts';
import type { Database } from './schema.ts';

/** Every migration, by date-prefixed name. Add new ones here; never edit old ones. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-21-01-initial': initial,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Thrown when the store cannot be opened or migrated. */
export class StoreError extends Error {
  readonly code = 'store_unavailable';
  override name = 'StoreError';
}

export interface StoreOptions {
  /** Path of the SQLite file, or `:memory:`. */
  readonly sqliteFile: string;
  /** PostgreSQL URL; set, it is refused until the PostgreSQL dialect lands (issue 3). */
  readonly databaseUrl?: string | null;
}

/** Opens the database and runs pending migrations. */
export async function openStore(options: StoreOptions): Promise<Kysely<Database>> {
  if (options.databaseUrl) {
    throw new StoreError(
      'DATABASE_URL is set, but this build stores data only in the embedded SQLite file; unset DATABASE_URL',
    );
  }
  if (options.sqliteFile !== ':memory:') fs.mkdirSync(path.dirname(options.sqliteFile), { recursive: true });
  const sqlite = new SQLite(options.sqliteFile);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new StoreError(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return db;
}
