/**
 * Real databases for tests: a temporary SQLite file, and a fresh PostgreSQL
 * database created on the server at PARLEY_TEST_POSTGRES_URL and dropped
 * afterwards. No mocks. `.ci/run` installs and starts PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { openStore, type Database, type StoreKind } from '../store/index.ts';

/** Where PostgreSQL tests create their databases (an admin connection). */
export const TEST_POSTGRES_URL =
  process.env['PARLEY_TEST_POSTGRES_URL'] ?? 'postgres://parley:parley@127.0.0.1:5432/postgres';

/** Both kinds of store every storage test runs on. */
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

export interface TestStore {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** Connection options to open the same store again (restart tests). */
  readonly options: { sqliteFile: string; databaseUrl: string | null };
  close(): Promise<void>;
}

/** Creates an empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}). ` +
        'Start it (see .ci/run) or set PARLEY_TEST_POSTGRES_URL.',
      { cause: err },
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Where a fresh, empty database of the given kind lives, and how to remove it. */
export async function emptyTestDatabase(
  kind: StoreKind,
): Promise<{ options: TestStore['options']; cleanUp: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-store-'));
    return {
      options: { sqliteFile: path.join(dir, 'test.sqlite'), databaseUrl: null },
      cleanUp: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { url, drop } = await createPostgresDatabase();
  return { options: { sqliteFile: ':memory:', databaseUrl: url }, cleanUp: drop };
}

/** Opens a fresh, migrated store of the given kind. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  const { options, cleanUp } = await emptyTestDatabase(kind);
  const db = await openStore(options);
  return {
    kind,
    db,
    options,
    async close() {
      await db.destroy();
      await cleanUp();
    },
  };
}
