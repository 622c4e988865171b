/**
 * The CPC-compatible REST interfaces under `{base}ecfs/RI/{api}/…` (PROTOCOL.md
 * §3), in the current user's context. They map onto the same services as
 * `/api/v1`, so rights and tenant scoping are the same.
 */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireCaller } from '../http/index.ts';
import type { AppContext } from '../context.ts';
import { listPresenceProfiles } from '../presence/index.ts';
import { listQueues, listQueuesOfUser, toWireQueue } from '../queues/index.ts';
import { directoryEntry, toContact, IdParams, Id } from '../rest/index.ts';
import { findUser, listUsers, wireUser } from '../users/index.ts';

/** The RI APIs that exist, and their resources (told to callers of an unknown one). */
export const RI_APIS = {
  rci: ['GET /queues', 'GET /users', 'GET /users/{id}'],
  rmi: [
    'GET /agents/{id}/presences/',
    'PUT /agents/{id}/presences/{presenceId}',
    'PUT /agents/{id}/readyState/',
    'GET /contacts',
  ],
} as const;

const ReadyStateBody = Type.Object(
  {
    readyState: Type.Union([Type.Literal('Ready'), Type.Literal('NotReady')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
const PresenceParams = Type.Object({ id: Id, presenceId: Type.String({ minLength: 1, maxLength: 64 }) });

export function riRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const wire = async (tenantId: string, userId: string) => {
      const user = await findUser(ctx.db, tenantId, userId);
      if (!user) throw new CodedError('not_found', `No user ${userId}.`);
      return wireUser(ctx.db, user);
    };

    app.get('/ecfs/RI/rci/queues', async (request) => {
      await requireCaller(ctx, request);
      return (await listQueues(ctx.db, request.tenant.id)).map(toWireQueue);
    });

    app.get('/ecfs/RI/rci/users', async (request) => {
      await requireCaller(ctx, request);
      return (await listUsers(ctx.db, request.tenant.id)).map(directoryEntry);
    });

    app.get<{ Params: Static<typeof IdParams> }>(
      '/ecfs/RI/rci/users/:id',
      { schema: { params: IdParams } },
      async (request) => {
        await requireCaller(ctx, request);
        const user = await findUser(ctx.db, request.tenant.id, request.params.id);
        if (!user) throw new CodedError('not_found', `No user ${request.params.id}.`);
        return directoryEntry(user);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/ecfs/RI/rmi/agents/:id/presences/',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await requireCaller(ctx, request);
        const target = await ctx.agents.target(request.tenant, user, request.params.id);
        return {
          current: target.presenceProfileId,
          work_status: target.workStatus,
          presences: await listPresenceProfiles(ctx.db, request.tenant.id),
        };
      },
    );

    app.put<{ Params: Static<typeof PresenceParams> }>(
      '/ecfs/RI/rmi/agents/:id/presences/:presenceId',
      { schema: { params: PresenceParams } },
      async (request) => {
        const { user } = await requireCaller(ctx, request);
        await ctx.agents.setPresence(request.tenant, user, request.params.id, request.params.presenceId);
        return wire(request.tenant.id, request.params.id);
      },
    );

    app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof ReadyStateBody> }>(
      '/ecfs/RI/rmi/agents/:id/readyState/',
      { schema: { params: IdParams, body: ReadyStateBody } },
      async (request) => {
        const { user } = await requireCaller(ctx, request);
        await ctx.agents.setReady(
          request.tenant,
          user,
          request.params.id,
          request.body.readyState === 'Ready',
          request.body.reason,
        );
        return wire(request.tenant.id, request.params.id);
      },
    );

    // Contacts waiting in the caller's queues (the picklist), oldest first.
    app.get('/ecfs/RI/rmi/contacts', async (request) => {
      const { user } = await requireCaller(ctx, request);
      const served = await listQueuesOfUser(ctx.db, request.tenant.id, user.id, true);
      const names = new Map(served.map((q) => [q.id, q.name]));
      const entries = await ctx.interactions.waiting(request.tenant.id, [...names.keys()], 100);
      return entries.map((e) => toContact(e, names.get(e.queueId) ?? null));
    });

    app.all('/ecfs/RI/*', { schema: { hide: true } }, async (request) => {
      const api = request.url.split('?')[0]?.split('/')[3] ?? '';
      const known = Object.entries(RI_APIS)
        .map(([name, resources]) => `${name} (${resources.join(', ')})`)
        .join('; ');
      const what =
        api in RI_APIS
          ? `No resource ${request.method} ${request.url.split('?')[0]}`
          : `No RI API ${JSON.stringify(api)}`;
      throw new CodedError('not_found', `${what}. APIs: ${known}.`);
    });
  };
}
