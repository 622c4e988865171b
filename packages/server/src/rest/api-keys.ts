/**
 * API keys and agent tokens (docs/headless.md). An admin creates a tenant
 * API key (shown once); the integrator's backend trades it for a
 * short-lived agent token for one agent or supervisor, which their page
 * hands to the headless client (`ParleyAgent.connect({ getToken })`). The
 * token is a session like a login's, limited in time; a key never is one.
 */
import { CodedError, isHexId } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireRole } from '../agents/index.ts';
import { createApiKey, createSession, findApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../auth/index.ts';
import type { AppContext } from '../context.ts';
import { audit } from '../store/index.ts';
import { findUser, findUserForLogin } from '../users/index.ts';
import { restHelpers } from './helpers.ts';
import { IdParams } from './schemas.ts';

/** How long an agent token lives at most; the client asks for a new one before it runs out. */
export const AGENT_TOKEN_MAX_SECONDS = 3600;

const KeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for, e.g. "CRM backend"' }) },
  { additionalProperties: false },
);
const TokenBody = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 64, description: "The agent's username or user id" }),
    ttl_s: Type.Optional(
      Type.Integer({
        minimum: 60,
        maximum: AGENT_TOKEN_MAX_SECONDS,
        description: 'Lifetime, seconds (3600 by default)',
      }),
    ),
  },
  { additionalProperties: false },
);

const wireKey = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  created_by: k.createdBy,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  revoked_at: k.revokedAt,
});

/** The API key in `Authorization: Bearer pk_…`, checked against the tenant. */
async function keyOf(ctx: AppContext, request: FastifyRequest): Promise<ApiKey> {
  const header = request.headers.authorization;
  const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!presented) throw CodedError.unauthorized('Send the tenant API key as Authorization: Bearer pk_….');
  const key = await findApiKey(ctx.db, request.tenant.id, presented);
  if (!key) throw CodedError.unauthorized('This API key is unknown, revoked or of another tenant.');
  return key;
}

export function apiKeyRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller } = restHelpers(ctx);

    app.post<{ Body: Static<typeof KeyBody> }>(
      '/api/v1/api-keys',
      { schema: { body: KeyBody } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const created = await createApiKey(ctx.db, {
          tenantId: request.tenant.id,
          name: request.body.name,
          createdBy: actor.id,
        });
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'api_key_created',
          detail: { target: created.id, name: created.name },
        });
        // The only answer that carries the key: it is not stored and cannot be shown again.
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({ ...wireKey(created), key: created.key });
      },
    );

    app.get('/api/v1/api-keys', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'admin');
      return (await listApiKeys(ctx.db, request.tenant.id)).map(wireKey);
    });

    app.delete<{ Params: Static<typeof IdParams> }>(
      '/api/v1/api-keys/:id',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        if (!(await revokeApiKey(ctx.db, request.tenant.id, request.params.id)))
          throw new CodedError('not_found', `No live API key ${request.params.id}.`);
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'api_key_revoked',
          detail: { target: request.params.id },
        });
        return reply.code(204).send();
      },
    );

    app.post<{ Body: Static<typeof TokenBody> }>(
      '/api/v1/agent-tokens',
      { schema: { body: TokenBody, security: [{ apiKey: [] }] } },
      async (request, reply) => {
        const key = await keyOf(ctx, request);
        const { user: who, ttl_s } = request.body;
        const user = isHexId(who)
          ? await findUser(ctx.db, request.tenant.id, who)
          : ((await findUserForLogin(ctx.db, request.tenant.id, who))?.user ?? null);
        if (!user) throw new CodedError('not_found', `No user ${JSON.stringify(who)} in this tenant.`);
        // A key in a backend must not become an administrator's session.
        if (user.role === 'admin')
          throw CodedError.forbidden('Agent tokens are for agents and supervisors; an admin signs in.');
        const seconds = Math.min(ttl_s ?? AGENT_TOKEN_MAX_SECONDS, AGENT_TOKEN_MAX_SECONDS, ctx.lifetimes.maxSeconds);
        const { token, session } = await createSession(
          ctx.db,
          { tenantId: request.tenant.id, userId: user.id },
          { idleSeconds: ctx.lifetimes.idleSeconds, maxSeconds: seconds },
        );
        // A token is a login of that agent, as a password's is: offline becomes not ready.
        await ctx.agents.loggedIn(request.tenant, user);
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: null,
          action: 'agent_token_issued',
          detail: { api_key: key.id, target: user.id, seconds },
        });
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({ token, expires_at: session.expiresAt, user_id: user.id });
      },
    );
  };
}
