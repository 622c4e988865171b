/**
 * The login core shared by the CPC form endpoint and the JSON endpoint.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import { HttpError } from '../http/errors.ts';
import type { Database } from '../store/index.ts';
import { audit } from '../store/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { UserRecord } from '../users/index.ts';
import { findUserForLogin } from '../users/index.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import { FailureLimiter } from './rate-limit.ts';
import { createSession, type Session, type SessionLifetimes } from './sessions.ts';

export interface AuthServiceDeps {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly lifetimes: SessionLifetimes;
  readonly now?: () => number;
}

/** Logs users in with a password, rate-limited per user and per IP. */
export class AuthService {
  /** 10 failures per user per 15 minutes. */
  readonly perUser = new FailureLimiter({ limit: 10, windowMs: 15 * 60_000 });
  /** 50 failures per IP per 15 minutes. */
  readonly perIp = new FailureLimiter({ limit: 50, windowMs: 15 * 60_000 });
  readonly #deps: AuthServiceDeps;

  constructor(deps: AuthServiceDeps) {
    this.#deps = deps;
  }

  /** Checks the password; on success creates a session and returns its token. */
  async loginWithPassword(
    tenant: Tenant,
    input: { username: string; password: string; ip: string },
  ): Promise<{ user: UserRecord; token: string; session: Session }> {
    const { db, log, lifetimes } = this.#deps;
    const now = this.#deps.now?.() ?? Date.now();
    const userKey = `${tenant.id}:${input.username.toLowerCase()}`;
    const wait = Math.max(this.perUser.retryAfter(userKey, now), this.perIp.retryAfter(input.ip, now));
    if (wait > 0) {
      log.warn({ username: input.username, ip: input.ip }, 'login rate-limited');
      throw HttpError.rateLimited(wait);
    }
    const found = await findUserForLogin(db, tenant.id, input.username);
    // Verify against a decoy when the user is unknown so timing does not reveal which part was wrong.
    const ok = await verifyPassword(found?.passwordHash ?? (await decoyPasswordHash()), input.password);
    if (!found || !found.passwordHash || !ok) {
      this.perUser.fail(userKey, now);
      this.perIp.fail(input.ip, now);
      await audit(db, {
        tenantId: tenant.id,
        actorId: found?.user.id ?? null,
        action: 'login_failed',
        detail: { username: input.username, ip: input.ip },
      });
      log.info({ username: input.username, ip: input.ip }, 'login failed');
      throw HttpError.unauthorized();
    }
    this.perUser.clear(userKey);
    const user = found.user;
    const { token, session } = await createSession(
      db,
      { tenantId: tenant.id, userId: found.user.id },
      lifetimes,
      new Date(now),
    );
    await audit(db, { tenantId: tenant.id, actorId: found.user.id, action: 'login', detail: { ip: input.ip } });
    log.info({ userId: found.user.id, username: found.user.username }, 'login');
    return { user, token, session };
  }
}
