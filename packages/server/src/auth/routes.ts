/**
 * Login and logout: the CPC-compatible form endpoint (PROTOCOL.md §3), a JSON
 * login for Parley's own panel, and `GET /api/v1/me`.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { listPresenceProfiles, setWorkStatus, toWireUser, type UserRecord } from '../users/index.ts';
import { audit } from '../store/index.ts';
import { parseBasicAuthorization } from './basic.ts';
import { requireCaller, sessionToken } from './request.ts';
import { deleteSession, findSession, SESSION_COOKIE, type Session } from './sessions.ts';

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const FormBody = Type.Object({ Authorization: Type.Optional(Type.String({ maxLength: 1024 })) });

/** Registers the authentication routes. */
export function authRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const setSessionCookie = (reply: FastifyReply, token: string, session: Session): void => {
      void reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'none',
        partitioned: true,
        expires: new Date(session.expiresAt),
      });
    };

    const userBody = async (user: UserRecord) => toWireUser(user, await listPresenceProfiles(ctx.db, user.tenantId));

    for (const url of ['/ecfs/authentication/', '/ecfs/authentication']) {
      const checkScheme = async (request: FastifyRequest) => {
        // The header decides the login kind, so it is checked before the body.
        const header = request.headers.authorization;
        if (header?.startsWith('Bearer ')) {
          throw HttpError.unauthorized('OAuth bearer login is not enabled: this tenant accepts no OAuth issuers.');
        }
        if (header?.trim() !== 'ECFAuth') {
          throw HttpError.invalidArgument(
            'header Authorization: ECFAuth is required for basic login (or use Authorization: Bearer <token>)',
          );
        }
      };
      app.post<{ Body: Static<typeof FormBody> }>(
        url,
        { schema: { body: FormBody }, preValidation: checkScheme },
        async (request, reply) => {
          const parsed = parseBasicAuthorization(request.body.Authorization);
          if (!parsed.ok) throw HttpError.invalidArgument(parsed.message);
          const { user, token, session } = await ctx.auth.loginWithPassword(ctx.tenant, {
            username: parsed.username,
            password: parsed.password,
            ip: request.ip,
          });
          setSessionCookie(reply, token, session);
          return { user: await userBody(user) };
        },
      );

      app.delete(url, async (request, reply) => logout(request.headers.origin, sessionToken(request)?.token, reply));
    }

    app.post<{ Body: Static<typeof LoginBody> }>(
      '/api/v1/auth/login',
      { schema: { body: LoginBody } },
      async (request, reply) => {
        const { user, token, session } = await ctx.auth.loginWithPassword(ctx.tenant, {
          ...request.body,
          ip: request.ip,
        });
        setSessionCookie(reply, token, session);
        return { user: await userBody(user), token, expires_at: session.expiresAt };
      },
    );

    app.post('/api/v1/auth/logout', async (request, reply) =>
      logout(request.headers.origin, sessionToken(request)?.token, reply),
    );

    app.get('/api/v1/me', async (request) => {
      const caller = await requireCaller(ctx, request);
      return userBody(caller.user);
    });

    async function logout(origin: string | undefined, token: string | undefined, reply: FastifyReply): Promise<void> {
      if (token) {
        const session = await findSession(ctx.db, token, ctx.lifetimes);
        if (session) {
          if (origin !== undefined && origin !== ctx.selfOrigin && !ctx.isAllowedOrigin(origin)) {
            throw HttpError.forbidden(`Origin ${JSON.stringify(origin)} may not log this session out.`);
          }
          await deleteSession(ctx.db, session.tokenHash);
          const remaining = await ctx.db
            .selectFrom('sessions')
            .select('token_hash')
            .where('user_id', '=', session.userId)
            .executeTakeFirst();
          if (!remaining) await setWorkStatus(ctx.db, session.userId, 'offline');
          await audit(ctx.db, { tenantId: session.tenantId, actorId: session.userId, action: 'logout' });
          ctx.gateway.closeSession(session.tokenHash, 'logged out');
          ctx.log.info({ userId: session.userId }, 'logout');
        }
      }
      void reply.clearCookie(SESSION_COOKIE, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'none',
        partitioned: true,
      });
      void reply.code(204).send();
    }
  };
}
