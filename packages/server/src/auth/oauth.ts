/**
 * OAuth bearer login (PROTOCOL.md §3). A JWT access token (Keycloak, Entra ID,
 * …): its `iss` must be one of the tenant's accepted issuers, its signature is
 * checked against the issuer's JWKS and `exp` is honoured; then the issuer's
 * `userinfo_endpoint`, found through its discovery document, must answer 200
 * with `{sub, email}`. An opaque access token (oidc-provider's default,
 * Auth0, Google) cannot name its issuer, so the userinfo endpoints of the
 * accepted issuers are asked in order and the first 200 decides. Either way,
 * exactly one Parley user must carry that subject and that email.
 *
 * Discovery documents and key sets are cached per issuer; userinfo answers
 * are cached per token for a minute, so one token never costs more than one
 * userinfo call a minute. Only allowlisted issuers are ever fetched.
 */
import { CodedError } from '@parley/protocol';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/** What the issuer vouched for. */
export interface OAuthIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly email: string;
}

interface IssuerInfo {
  readonly userinfoEndpoint: string;
  readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly fetchedAt: number;
}

export interface OAuthVerifierOptions {
  /** The clock, in ms (tests move it). */
  readonly now?: () => number;
  /** Timeout of each call to an issuer, in ms (default 5,000). */
  readonly timeoutMs?: number;
  /** How long a discovery document is trusted, in ms (default 1 h). */
  readonly discoveryTtlMs?: number;
}

const USERINFO_TTL_MS = 60_000;

function decodeJwtOrNull(token: string): JWTPayload | null {
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

/** Thrown for every refusal; always 401, the message says what to fix. */
function refuse(message: string): CodedError {
  return CodedError.unauthorized(message);
}

export class OAuthVerifier {
  readonly #issuers = new Map<string, IssuerInfo>();
  readonly #userinfo = new Map<string, { at: number; result: { sub: string; email: string } | CodedError }>();
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #discoveryTtlMs: number;

  constructor(options: OAuthVerifierOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#discoveryTtlMs = options.discoveryTtlMs ?? 3_600_000;
  }

  /** Verifies a bearer token for a tenant; resolves with the identity or throws a 401 {@link CodedError}. */
  async verify(token: string, acceptedIssuers: readonly string[]): Promise<OAuthIdentity> {
    const claims = decodeJwtOrNull(token);
    return claims ? this.#verifyJwt(token, claims, acceptedIssuers) : this.#verifyOpaque(token, acceptedIssuers);
  }

  async #verifyJwt(token: string, claims: JWTPayload, acceptedIssuers: readonly string[]): Promise<OAuthIdentity> {
    const issuer = typeof claims.iss === 'string' ? claims.iss : '';
    if (!issuer || !acceptedIssuers.includes(issuer)) {
      throw refuse(`The token's issuer ${JSON.stringify(issuer)} is not accepted by this tenant.`);
    }
    const info = await this.#issuer(issuer);
    let verified: JWTPayload;
    try {
      ({ payload: verified } = await jwtVerify(token, info.jwks, {
        issuer,
        currentDate: new Date(this.#now()),
        clockTolerance: 30,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw refuse('The token has expired.');
      throw refuse('The token signature or claims could not be verified with the issuer keys.');
    }
    const user = await this.#userinfoFor(token, info.userinfoEndpoint);
    if (verified.sub !== undefined && verified.sub !== user.sub)
      throw refuse('The token subject and the userinfo subject differ.');
    return { issuer, subject: user.sub, email: user.email };
  }

  async #verifyOpaque(token: string, acceptedIssuers: readonly string[]): Promise<OAuthIdentity> {
    if (!/^[\x21-\x7e]+$/.test(token)) throw refuse('The bearer token has characters no token has.');
    let last: CodedError | null = null;
    for (const issuer of acceptedIssuers) {
      try {
        const info = await this.#issuer(issuer);
        const user = await this.#userinfoFor(token, info.userinfoEndpoint);
        return { issuer, subject: user.sub, email: user.email };
      } catch (err) {
        if (!(err instanceof CodedError)) throw err;
        last = err;
      }
    }
    throw last ?? refuse('No accepted issuer recognised the token.');
  }

  async #issuer(issuer: string): Promise<IssuerInfo> {
    const cached = this.#issuers.get(issuer);
    if (cached && this.#now() - cached.fetchedAt < this.#discoveryTtlMs) return cached;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let doc: Record<string, unknown>;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'error' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = (await res.json()) as Record<string, unknown>;
    } catch (err) {
      throw refuse(`The issuer's discovery document could not be read (${(err as Error).message}).`);
    }
    const userinfo = doc['userinfo_endpoint'];
    const jwksUri = doc['jwks_uri'];
    if (doc['issuer'] !== issuer || typeof userinfo !== 'string' || typeof jwksUri !== 'string') {
      throw refuse("The issuer's discovery document does not match the issuer or lacks jwks_uri/userinfo_endpoint.");
    }
    const info: IssuerInfo = {
      userinfoEndpoint: userinfo,
      jwks: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: this.#timeoutMs, cooldownDuration: 30_000 }),
      fetchedAt: this.#now(),
    };
    this.#issuers.set(issuer, info);
    return info;
  }

  async #userinfoFor(token: string, endpoint: string): Promise<{ sub: string; email: string }> {
    const key = createHash('sha256').update(token).digest('hex');
    const now = this.#now();
    const cached = this.#userinfo.get(key);
    if (cached && now - cached.at < USERINFO_TTL_MS) {
      if (cached.result instanceof CodedError) throw cached.result;
      return cached.result;
    }
    let result: { sub: string; email: string } | CodedError;
    try {
      const res = await fetch(endpoint, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'error',
      });
      if (res.status !== 200) {
        result = refuse(`The issuer's userinfo endpoint refused the token (HTTP ${res.status}).`);
      } else {
        const body = (await res.json()) as Record<string, unknown>;
        result =
          typeof body['sub'] === 'string' && typeof body['email'] === 'string'
            ? { sub: body['sub'], email: body['email'] }
            : refuse("The issuer's userinfo answer lacks sub or email (grant the email scope).");
      }
    } catch (err) {
      // A transient failure is not cached: the next attempt asks again.
      throw refuse(`The issuer's userinfo endpoint could not be reached (${(err as Error).message}).`);
    }
    this.#userinfo.set(key, { at: now, result });
    if (this.#userinfo.size > 10_000) {
      for (const [k, v] of this.#userinfo) if (now - v.at >= USERINFO_TTL_MS) this.#userinfo.delete(k);
    }
    if (result instanceof CodedError) throw result;
    return result;
  }
}
