/**
 * The login core shared by the CPC form endpoint and the JSON endpoint.
 */
import { CodedError } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { Database } from '../store/index.ts';
import { audit } from '../store/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { UserRecord } from '../users/index.ts';
import { findUserForLogin, findUsersByOAuth } from '../users/index.ts';
import { OAuthVerifier } from './oauth.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import { LoginGuard } from './rate-limit.ts';
import { createSession, type Session, type SessionLifetimes } from './sessions.ts';

export interface AuthServiceDeps {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly lifetimes: SessionLifetimes;
  readonly now?: () => number;
  /** The OAuth verifier (tests pass one with their own clock). */
  readonly oauth?: OAuthVerifier;
}

/** Logs users in with a password or an OAuth token, within the limits of {@link LoginGuard}. */
export class AuthService {
  readonly guard = new LoginGuard();
  readonly #deps: AuthServiceDeps;
  readonly oauth: OAuthVerifier;

  constructor(deps: AuthServiceDeps) {
    this.#deps = deps;
    this.oauth = deps.oauth ?? new OAuthVerifier();
  }

  /**
   * Logs in with an OAuth bearer token (see oauth.ts). The `{sub, email}` the
   * issuer vouches for must match exactly one user of the tenant: that user's
   * OAuth subject and email both.
   */
  async loginWithToken(
    tenant: Tenant,
    input: { token: string; ip: string },
  ): Promise<{ user: UserRecord; token: string; session: Session }> {
    const { db, log, lifetimes } = this.#deps;
    const now = this.#deps.now?.() ?? Date.now();
    // Counted before the token is checked, so parallel attempts count; a success gives it back.
    const wait = this.guard.address.reserve(input.ip, now);
    if (wait > 0) throw CodedError.rateLimited(wait);
    try {
      if (tenant.oauthIssuers.length === 0)
        throw CodedError.unauthorized('OAuth bearer login is not enabled: this tenant accepts no OAuth issuers.');
      const identity = await this.oauth.verify(input.token, tenant.oauthIssuers);
      const candidates = await findUsersByOAuth(db, tenant.id, identity.subject, identity.email);
      const matches = candidates.filter(
        (u) => u.oauthSubject === identity.subject && u.email.toLowerCase() === identity.email.toLowerCase(),
      );
      if (matches.length !== 1 || !matches[0]) {
        throw CodedError.unauthorized(
          'No user of this tenant has both the subject and the email the issuer vouched for.',
        );
      }
      const user = matches[0];
      const { token, session } = await createSession(
        db,
        { tenantId: tenant.id, userId: user.id },
        lifetimes,
        new Date(now),
      );
      await audit(db, {
        tenantId: tenant.id,
        actorId: user.id,
        action: 'login',
        detail: { ip: input.ip, via: 'oauth', issuer: identity.issuer },
      });
      log.info({ userId: user.id, username: user.username, issuer: identity.issuer }, 'login (oauth)');
      this.guard.address.release(input.ip);
      return { user, token, session };
    } catch (err) {
      if (!(err instanceof CodedError && err.code === 'unauthorized')) this.guard.address.release(input.ip);
      else {
        await audit(db, {
          tenantId: tenant.id,
          actorId: null,
          action: 'login_failed',
          detail: { ip: input.ip, via: 'oauth', reason: err.message },
        });
        log.info({ ip: input.ip, reason: err.message }, 'oauth login failed');
      }
      throw err;
    }
  }

  /** An admin lifts a user's login delays (docs/security.md). */
  unlock(tenant: Tenant, username: string): void {
    this.guard.unlock(`${tenant.id}:${username.toLowerCase()}`);
  }

  /** Checks the password; on success creates a session and returns its token. */
  async loginWithPassword(
    tenant: Tenant,
    input: { username: string; password: string; ip: string },
  ): Promise<{ user: UserRecord; token: string; session: Session }> {
    const { db, log, lifetimes } = this.#deps;
    const now = this.#deps.now?.() ?? Date.now();
    // PostgreSQL cannot even look a NUL up; no real credential has one.
    if (input.username.includes('\0') || input.password.includes('\0'))
      throw CodedError.invalidArgument('username and password may not contain NUL characters');
    const userKey = `${tenant.id}:${input.username.toLowerCase()}`;
    // Reserved before the hash is checked, in one synchronous step: parallel guesses count.
    const ticket = this.guard.begin(userKey, input.ip, now);
    if ('retryAfter' in ticket) {
      log.warn({ username: input.username, ip: input.ip }, 'login rate-limited');
      throw CodedError.rateLimited(ticket.retryAfter);
    }
    let found: Awaited<ReturnType<typeof findUserForLogin>>;
    let ok: boolean;
    try {
      found = await findUserForLogin(db, tenant.id, input.username);
      // Verify against a decoy when the user is unknown so timing does not reveal which part was wrong.
      ok = await verifyPassword(found?.passwordHash ?? (await decoyPasswordHash()), input.password);
    } catch (err) {
      // Not a guess that was judged (the store failed): give the attempt back.
      this.guard.address.release(input.ip);
      throw err;
    }
    if (!found || !found.passwordHash || !ok) {
      await audit(db, {
        tenantId: tenant.id,
        actorId: found?.user.id ?? null,
        action: 'login_failed',
        detail: { username: input.username, ip: input.ip },
      });
      log.info({ username: input.username, ip: input.ip }, 'login failed');
      throw CodedError.unauthorized();
    }
    this.guard.succeeded(ticket);
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
