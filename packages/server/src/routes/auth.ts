/**
 * Login and logout: the CPC-compatible form endpoint (PROTOCOL.md §3), a JSON
 * login for Parley's own panel, and `GET/PATCH /api/v1/me`.
 */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { audit } from '../store/index.ts';
import { tenantBasePath, type Tenant } from '../tenants/index.ts';
import { wireUser, type UserRecord } from '../users/index.ts';
import {
  createSession,
  deleteSession,
  findSession,
  hasSession,
  parseBasicAuthorization,
  SESSION_COOKIE,
  type Session,
} from '../auth/index.ts';
import { assertSameSiteWrite, requireCaller, sessionToken } from '../http/index.ts';

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

/** Registers the authentication routes. */
export function authRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const cookieOptions = (tenant: Tenant) =>
      ({
        path: tenantBasePath(tenant.slug),
        httpOnly: true,
        secure: true,
        sameSite: 'none',
        partitioned: true,
      }) as const;

    const startSession = async (
      request: FastifyRequest,
      reply: FastifyReply,
      login: { user: UserRecord; token: string; session: Session },
    ): Promise<UserRecord> => {
      void reply.setCookie(SESSION_COOKIE, login.token, {
        ...cookieOptions(request.tenant),
        expires: new Date(login.session.expiresAt),
      });
      // A fresh login is present but not ready: the agent decides when work may be offered.
      return ctx.agents.loggedIn(request.tenant, login.user);
    };

    const userBody = (user: UserRecord) => wireUser(ctx.db, user);

    const bearerOf = (request: FastifyRequest): string | null => {
      const header = request.headers.authorization;
      return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    };
    const checkScheme = async (request: FastifyRequest) => {
      // The header decides the login kind, so it is checked before the body.
      if (bearerOf(request) !== null) return;
      if (request.headers.authorization?.trim() !== 'ECFAuth') {
        throw CodedError.invalidArgument(
          'header Authorization: ECFAuth is required for basic login (or use Authorization: Bearer <token>)',
        );
      }
    };

    {
      const url = '/ecfs/authentication/';
      // No body schema: a bearer login has no body, and parseBasicAuthorization checks the one field a basic login has.
      app.post(url, { preValidation: checkScheme }, async (request, reply) => {
        const bearer = bearerOf(request);
        if (bearer !== null) {
          if (bearer.length === 0 || bearer.length > 16_384)
            throw CodedError.unauthorized('The bearer token is empty or too long.');
          const login = await ctx.auth.loginWithToken(request.tenant, { token: bearer, ip: request.ip });
          // The session token too, for panels where the cookie is refused (the caller holds the OAuth token already).
          const user = await userBody(await startSession(request, reply, login));
          return { user, token: login.token, expires_at: login.session.expiresAt };
        }
        const form: unknown = request.body;
        const field =
          typeof form === 'object' && form !== null ? (form as Record<string, unknown>)['Authorization'] : undefined;
        const parsed = parseBasicAuthorization(field);
        if (!parsed.ok) throw CodedError.invalidArgument(parsed.message);
        const login = await ctx.auth.loginWithPassword(request.tenant, {
          username: parsed.username,
          password: parsed.password,
          ip: request.ip,
        });
        return { user: await userBody(await startSession(request, reply, login)) };
      });
      app.delete(url, async (request, reply) => logout(request, reply));
    }

    app.post<{ Body: Static<typeof LoginBody> }>(
      '/api/v1/auth/login',
      { schema: { body: LoginBody }, preValidation: async (request) => assertLoginSource(request) },
      async (request, reply) => {
        const login = await ctx.auth.loginWithPassword(request.tenant, { ...request.body, ip: request.ip });
        const user = await startSession(request, reply, login);
        return { user: await userBody(user), token: login.token, expires_at: login.session.expiresAt };
      },
    );

    app.post('/api/v1/auth/logout', async (request, reply) => logout(request, reply));

    // A second session for the panel's own pop-out window. A top-level window cannot see the
    // iframe's partitioned cookie, so the panel hands it this token over postMessage (same
    // origin only). Only Parley's own pages may ask: a host page never gets a session token.
    app.post('/api/v1/auth/popout', async (request, reply) => {
      const caller = await requireCaller(ctx, request);
      if (caller.via === 'cookie' && request.headers.origin !== ctx.selfOrigin)
        throw CodedError.forbidden('Only the panel itself may open a pop-out session.');
      const { token, session } = await createSession(
        ctx.db,
        { tenantId: request.tenant.id, userId: caller.user.id },
        ctx.lifetimes,
      );
      await audit(ctx.db, { tenantId: request.tenant.id, actorId: caller.user.id, action: 'popout_session' });
      return reply.header('cache-control', 'no-store').send({ token, expires_at: session.expiresAt });
    });

    /**
     * Login CSRF: a cross-site form could post credentials of the attacker's and plant their session.
     * The JSON login takes JSON only (a form cannot send it without a CORS preflight), and a browser's
     * Origin must be Parley's own or the tenant's allowlist.
     */
    function assertLoginSource(request: FastifyRequest): void {
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase();
      if (type !== 'application/json')
        throw CodedError.invalidArgument('header Content-Type: this login takes application/json only');
      const origin = request.headers.origin;
      const own = `${request.protocol}://${request.headers.host ?? ''}`;
      if (
        origin !== undefined &&
        origin !== ctx.selfOrigin &&
        origin !== own &&
        !ctx.isAllowedOrigin(request.tenant, origin)
      )
        throw CodedError.forbidden(
          `Logins from ${JSON.stringify(origin)} are not accepted: it is not on the allowlist.`,
        );
    }

    async function logout(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const found = sessionToken(request);
      const session = found ? await findSession(ctx.db, found.token, ctx.lifetimes) : null;
      if (session && session.tenantId === request.tenant.id) {
        if (found?.via === 'cookie') assertSameSiteWrite(ctx, request);
        await deleteSession(ctx.db, session.tokenHash);
        await audit(ctx.db, { tenantId: session.tenantId, actorId: session.userId, action: 'logout' });
        ctx.bus.publish('session.ended', {
          tenantId: session.tenantId,
          tokenHash: session.tokenHash,
          reason: 'logged out',
        });
        if (!(await hasSession(ctx.db, session.userId))) await ctx.agents.loggedOut(request.tenant, session.userId);
        ctx.log.info({ userId: session.userId }, 'logout');
      }
      // Ending another session by its token leaves this browser's own cookie alone.
      if (found?.via !== 'bearer' || !request.cookies[SESSION_COOKIE])
        void reply.clearCookie(SESSION_COOKIE, cookieOptions(request.tenant));
      void reply.code(204).send();
    }
  };
}
