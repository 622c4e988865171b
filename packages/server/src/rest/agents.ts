/** Supervision: agents' state, changes and forced logout. */
import type { Static } from '@sinclair/typebox';
import { requireRole } from '../agents/index.ts';
import { supervisionScope } from '../supervision/index.ts';
import { listUsers } from '../users/index.ts';
import { directoryEntry } from './dto.ts';
import { IdParams, PresenceBody, StateBody } from './schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { restHelpers } from './helpers.ts';

export function agentRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller, wire } = restHelpers(ctx);
    app.get('/api/v1/agents', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'supervisor');
      const scope = await supervisionScope(ctx.db, request.tenant.id, actor);
      const users = (await listUsers(ctx.db, request.tenant.id)).filter((u) => scope.all || scope.agents.has(u.id));
      const online = ctx.gateway.onlineUsers(request.tenant.id);
      return users.map((u) => ({
        ...directoryEntry(u),
        role: u.role,
        presence: u.presenceProfileId,
        not_ready_reason: u.notReadyReasonId,
        connected: online.has(u.id),
      }));
    });

    // The console's views over REST: the same rows the console socket pushes.
    app.get('/api/v1/supervision/queues', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'supervisor');
      return ctx.supervision.wallboard(request.tenant.id, await supervisionScope(ctx.db, request.tenant.id, actor));
    });
    app.get('/api/v1/supervision/agents', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'supervisor');
      return ctx.supervision.agents(request.tenant.id, await supervisionScope(ctx.db, request.tenant.id, actor));
    });

    app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof StateBody> }>(
      '/api/v1/agents/:id/state',
      { schema: { params: IdParams, body: StateBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        return wire(
          await ctx.agents.setReady(request.tenant, actor, request.params.id, request.body.ready, request.body.reason),
        );
      },
    );

    app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof PresenceBody> }>(
      '/api/v1/agents/:id/presence',
      { schema: { params: IdParams, body: PresenceBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        return wire(await ctx.agents.setPresence(request.tenant, actor, request.params.id, request.body.profile));
      },
    );

    app.post<{ Params: Static<typeof IdParams> }>(
      '/api/v1/agents/:id/logout',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        await ctx.agents.forceLogout(request.tenant, actor, request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
