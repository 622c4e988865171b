import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A new random 32-hex id (128 bits). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** The current time as ISO-8601 UTC. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** True for the database's unique-constraint error (SQLite and PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return typeof e?.code === 'string' && (e.code === '23505' || e.code.startsWith('SQLITE_CONSTRAINT'));
}

/** Asks the store a trivial question (the health check); throws when it does not answer. */
export async function pingStore(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
