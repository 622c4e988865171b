/**
 * Who is calling: a session from the `parley_session` cookie or from an
 * `Authorization: Bearer <session token>` header (for panels where cookies are
 * blocked). Cookie-authenticated state-changing requests must come from an
 * allowed Origin (CSRF defence); bearer requests carry no ambient credential.
 */
import { CodedError } from '@parley/protocol';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { UserRecord } from '../users/index.ts';
import { findUser } from '../users/index.ts';
import { findSession, SESSION_COOKIE, type Session } from '../auth/index.ts';

export interface Caller {
  readonly session: Session;
  readonly user: UserRecord;
  readonly via: 'cookie' | 'bearer';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The WebSocket subprotocol that carries a session token, for browsers that cannot send cookies or headers. */
export const BEARER_PROTOCOL_PREFIX = 'parley.bearer.';
/** The subprotocol the server answers with. */
export const WS_PROTOCOL = 'parley.v1';

/**
 * Reads the session token from the request. Explicit credentials win over
 * the ambient cookie: `Authorization: Bearer` (the default tenant's cookie,
 * `Path=/`, also rides along to `/t/{slug}/`, and a panel ending its
 * pop-out's session sends that session's token beside its own cookie), then
 * (WebSocket upgrades) a `parley.bearer.<token>` subprotocol (a headless
 * client on a host page that also embeds the panel gets the panel's cookie
 * on its upgrade too), then the cookie.
 */
export function sessionToken(request: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
  if (bearer) return { token: bearer, via: 'bearer' };
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    const entry = protocols
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
    if (entry) return { token: entry.slice(BEARER_PROTOCOL_PREFIX.length), via: 'bearer' };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return { token: cookie, via: 'cookie' };
  return null;
}

/** Returns the caller, or null when the request carries no valid session of this tenant. */
export async function findCaller(ctx: AppContext, request: FastifyRequest): Promise<Caller | null> {
  const found = sessionToken(request);
  if (!found) return null;
  const session = await findSession(ctx.db, found.token, ctx.lifetimes);
  if (!session || session.tenantId !== request.tenant.id) return null;
  const user = await findUser(ctx.db, session.tenantId, session.userId);
  return user ? { session, user, via: found.via } : null;
}

/** Like {@link findCaller} but answers 401 when nobody is logged in and 403 on a cross-site cookie write. */
export async function requireCaller(ctx: AppContext, request: FastifyRequest): Promise<Caller> {
  const caller = await findCaller(ctx, request);
  if (!caller) throw new CodedError('not_logged_in', 'Log in first: no valid session on this request.');
  if (caller.via === 'cookie' && !SAFE_METHODS.has(request.method)) assertSameSiteWrite(ctx, request);
  return caller;
}

/** Refuses a cookie-authenticated write whose Origin is neither Parley itself nor allowlisted. */
export function assertSameSiteWrite(ctx: AppContext, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined || origin === ctx.selfOrigin || ctx.isAllowedOrigin(request.tenant, origin)) return;
  throw CodedError.forbidden(`Origin ${JSON.stringify(origin)} may not change state with a session cookie.`);
}
