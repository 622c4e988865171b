/** Me: the caller's own user, state, queues and password. */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import { changePassword, verifyPassword } from '../auth/index.ts';
import { listMissed } from '../interactions/index.ts';
import { listQueuesOfUser, toWireQueue } from '../queues/index.ts';
import { passwordHashOf, updateUser } from '../users/index.ts';
import { PreferencesBody } from '@parley/protocol/rest';
import { Language, OwnPasswordBody, PresenceBody, StateBody, Theme } from './schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { restHelpers } from './helpers.ts';

const MePatch = Type.Object(
  {
    display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    language: Type.Optional(Language),
    theme: Type.Optional(Theme),
    preferences: Type.Optional(PreferencesBody),
  },
  { additionalProperties: false, minProperties: 1 },
);

export function meRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller, wire } = restHelpers(ctx);
    app.get('/api/v1/me', async (request) => wire((await caller(request)).user));

    app.patch<{ Body: Static<typeof MePatch> }>('/api/v1/me', { schema: { body: MePatch } }, async (request) => {
      const { user } = await caller(request);
      const body = request.body;
      const updated = await updateUser(ctx.db, request.tenant.id, user.id, {
        ...(body.display_name === undefined ? {} : { displayName: body.display_name }),
        ...(body.language === undefined ? {} : { language: body.language }),
        ...(body.theme === undefined ? {} : { theme: body.theme }),
        ...(body.preferences === undefined ? {} : { preferences: { ...user.preferences, ...body.preferences } }),
      });
      ctx.bus.publish('user.changed', { tenantId: request.tenant.id, userId: user.id });
      return wire(updated ?? user);
    });

    app.put<{ Body: Static<typeof StateBody> }>(
      '/api/v1/me/state',
      { schema: { body: StateBody } },
      async (request) => {
        const { user } = await caller(request);
        return wire(await ctx.agents.setReady(request.tenant, user, user.id, request.body.ready, request.body.reason));
      },
    );

    app.put<{ Body: Static<typeof PresenceBody> }>(
      '/api/v1/me/presence',
      { schema: { body: PresenceBody } },
      async (request) => {
        const { user } = await caller(request);
        return wire(await ctx.agents.setPresence(request.tenant, user, user.id, request.body.profile));
      },
    );

    /** The caller's missed offers and their queues' abandoned contacts of the last 24 hours, newest first. */
    app.get('/api/v1/me/missed', async (request) => {
      const { user } = await caller(request);
      const queues = await listQueuesOfUser(ctx.db, request.tenant.id, user.id);
      const since = new Date(ctx.interactions.now() - 24 * 3600_000).toISOString();
      return listMissed(
        ctx.db,
        request.tenant.id,
        user.id,
        queues.map((q) => q.id),
        since,
      );
    });

    app.get('/api/v1/me/queues', async (request) => {
      const { user } = await caller(request);
      return (await listQueuesOfUser(ctx.db, request.tenant.id, user.id)).map(toWireQueue);
    });

    app.put<{ Body: Static<typeof OwnPasswordBody> }>(
      '/api/v1/me/password',
      { schema: { body: OwnPasswordBody } },
      async (request, reply) => {
        const { user, session } = await caller(request);
        const hash = await passwordHashOf(ctx.db, user.id);
        const current = request.body.current_password;
        if (!hash || !(await verifyPassword(hash, current))) {
          throw CodedError.unauthorized('current_password is wrong.');
        }
        await changePassword(ctx.db, {
          tenantId: request.tenant.id,
          userId: user.id,
          password: request.body.password,
          actorId: user.id,
          keepSessionHash: session.tokenHash,
          bus: ctx.bus,
        });
        return reply.code(204).send();
      },
    );
  };
}
