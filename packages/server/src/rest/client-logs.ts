/**
 * Client logs (docs/rest-api.md): a signed-in client uploads its recent log
 * for troubleshooting (`cc.uploadLogs()`); admins list and read them, and a
 * user reads their own.
 */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { findClientLog, listClientLogs, storeClientLog } from '../diagnostics/index.ts';
import { restHelpers } from './helpers.ts';
import { Id, IdParams } from './schemas.ts';

const Entry = Type.Object(
  {
    at: Type.String({ maxLength: 40 }),
    level: Type.Union([Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
    message: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const UploadBody = Type.Object(
  {
    client: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,39}$', description: 'Which client, e.g. webex-cc' }),
    entries: Type.Array(Entry, { maxItems: 500 }),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  { user: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
  { additionalProperties: false },
);

export function clientLogRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller } = restHelpers(ctx);

    app.post<{ Body: Static<typeof UploadBody> }>(
      '/api/v1/client-logs',
      { schema: { body: UploadBody }, bodyLimit: 1_200_000 },
      async (request, reply) => {
        const { user } = await caller(request);
        const stored = await storeClientLog(ctx.db, {
          tenantId: request.tenant.id,
          userId: user.id,
          client: request.body.client,
          entries: request.body.entries,
        });
        return reply
          .code(201)
          .send({ id: stored.id, tracking_id: stored.id, created_at: stored.createdAt, count: stored.entries.length });
      },
    );

    app.get<{ Querystring: Static<typeof ListQuery> }>(
      '/api/v1/client-logs',
      { schema: { querystring: ListQuery } },
      async (request) => {
        const { user } = await caller(request);
        const admin = user.role === 'admin';
        const logs = await listClientLogs(ctx.db, request.tenant.id, {
          limit: request.query.limit ?? 50,
          ...(admin ? (request.query.user ? { userId: request.query.user } : {}) : { userId: user.id }),
        });
        return logs.map((l) => ({
          id: l.id,
          user_id: l.userId,
          client: l.client,
          created_at: l.createdAt,
          count: l.count,
        }));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/client-logs/:id',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        const log = await findClientLog(ctx.db, request.tenant.id, request.params.id);
        if (!log || (user.role !== 'admin' && log.userId !== user.id))
          throw new CodedError('not_found', `No client log ${request.params.id}.`);
        return { id: log.id, user_id: log.userId, client: log.client, created_at: log.createdAt, entries: log.entries };
      },
    );
  };
}
