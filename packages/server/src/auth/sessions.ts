/**
 * Sessions: opaque random tokens; only their SHA-256 is stored. A session
 * expires after an idle period and after an absolute lifetime.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/index.ts';
import { nowIso } from '../store/index.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'parley_session';

/** A live session. */
export interface Session {
  readonly tokenHash: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly expiresAt: string;
}

export interface SessionLifetimes {
  readonly idleSeconds: number;
  readonly maxSeconds: number;
}

/** SHA-256 of a token, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a session and returns its token (shown to the client once, never stored). */
export async function createSession(
  db: Db,
  input: { tenantId: string; userId: string },
  lifetimes: SessionLifetimes,
  now: Date = new Date(),
): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const session: Session = {
    tokenHash: hashToken(token),
    tenantId: input.tenantId,
    userId: input.userId,
    expiresAt: nowIso(new Date(now.getTime() + lifetimes.maxSeconds * 1000)),
  };
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      tenant_id: session.tenantId,
      user_id: session.userId,
      created_at: nowIso(now),
      last_seen_at: nowIso(now),
      expires_at: session.expiresAt,
    })
    .execute();
  return { token, session };
}

/**
 * Looks a token up. Returns `null` for unknown, idle-expired or expired
 * sessions (and deletes expired ones); otherwise refreshes `last_seen_at`.
 */
export async function findSession(
  db: Db,
  token: string,
  lifetimes: SessionLifetimes,
  now: Date = new Date(),
): Promise<Session | null> {
  if (token.length === 0 || token.length > 128) return null;
  const tokenHash = hashToken(token);
  const row = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!row) return null;
  const idleDeadline = Date.parse(row.last_seen_at) + lifetimes.idleSeconds * 1000;
  if (now.getTime() >= Date.parse(row.expires_at) || now.getTime() >= idleDeadline) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return null;
  }
  // A busy panel must not write on every request, yet the refresh must come well within the idle window.
  const refreshAfterMs = Math.min(60_000, (lifetimes.idleSeconds * 1000) / 4);
  if (now.getTime() - Date.parse(row.last_seen_at) >= refreshAfterMs) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso(now) })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return { tokenHash, tenantId: row.tenant_id, userId: row.user_id, expiresAt: row.expires_at };
}

/** Deletes a session. */
export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Why a session a socket was opened with is over; null while it lives. */
export type SessionEnd = 'session ended' | 'session expired' | 'session idle too long';

/**
 * Checks the sessions that open sockets were authenticated with, against the
 * store (so an end written by any process counts: the CLI, another node, a
 * forced logout). A deleted row has ended; one past its absolute or idle
 * lifetime has expired and is deleted, as {@link findSession} would. An open
 * socket is activity: the live ones are refreshed like a busy request.
 * Returns the ended ones with their reason.
 */
export async function sweepSessions(
  db: Db,
  tokenHashes: readonly string[],
  lifetimes: SessionLifetimes,
  now: Date = new Date(),
): Promise<Map<string, SessionEnd>> {
  const ended = new Map<string, SessionEnd>();
  const refreshAfterMs = Math.min(60_000, (lifetimes.idleSeconds * 1000) / 4);
  for (let i = 0; i < tokenHashes.length; i += 500) {
    const chunk = tokenHashes.slice(i, i + 500);
    const rows = await db
      .selectFrom('sessions')
      .select(['token_hash', 'last_seen_at', 'expires_at'])
      .where('token_hash', 'in', chunk)
      .execute();
    const found = new Map(rows.map((r) => [r.token_hash, r]));
    const expired: string[] = [];
    const refresh: string[] = [];
    for (const hash of chunk) {
      const row = found.get(hash);
      if (!row) {
        ended.set(hash, 'session ended');
        continue;
      }
      const lastSeen = Date.parse(row.last_seen_at);
      if (now.getTime() >= Date.parse(row.expires_at)) ended.set(hash, 'session expired');
      else if (now.getTime() >= lastSeen + lifetimes.idleSeconds * 1000) ended.set(hash, 'session idle too long');
      else {
        if (now.getTime() - lastSeen >= refreshAfterMs) refresh.push(hash);
        continue;
      }
      expired.push(hash);
    }
    if (expired.length) await db.deleteFrom('sessions').where('token_hash', 'in', expired).execute();
    if (refresh.length)
      await db
        .updateTable('sessions')
        .set({ last_seen_at: nowIso(now) })
        .where('token_hash', 'in', refresh)
        .execute();
  }
  return ended;
}

/**
 * Sessions ended since `afterSeq` (the trigger's log), and the new cursor.
 * With no cursor yet, only the cursor: what ended before a server started
 * has no socket on it.
 */
export async function sessionsEndedSince(
  db: Db,
  afterSeq: number | null,
): Promise<{ seq: number; tokenHashes: string[] }> {
  if (afterSeq === null) {
    const last = await db
      .selectFrom('session_ends')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return { seq: Number(last?.seq ?? 0), tokenHashes: [] };
  }
  const rows = await db
    .selectFrom('session_ends')
    .select(['seq', 'token_hash'])
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(10_000)
    .execute();
  const last = rows.at(-1);
  return { seq: last ? Number(last.seq) : afterSeq, tokenHashes: rows.map((r) => r.token_hash) };
}

/** Forgets ended sessions older than a day (no server's cursor is that far behind). */
export async function pruneSessionEnds(db: Db, now: Date = new Date()): Promise<void> {
  await db
    .deleteFrom('session_ends')
    .where('ended_at', '<', nowIso(new Date(now.getTime() - 86_400_000)))
    .execute();
}

/** Whether the user has any session left (their last one ending makes them offline). */
export async function hasSession(db: Db, userId: string): Promise<boolean> {
  const left = await db.selectFrom('sessions').select('token_hash').where('user_id', '=', userId).executeTakeFirst();
  return left !== undefined;
}
