import { randomBytes } from 'node:crypto';

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
