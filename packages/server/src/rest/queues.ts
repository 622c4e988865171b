/** Queues, their members and their statistics. */
import { CodedError } from '@parley/protocol';
import type { ChannelType } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../agents/index.ts';
import {
  createQueue,
  listMembers,
  listQueues,
  queueNameTaken,
  removeMembership,
  servingMembers,
  setMembership,
  setQueueAddresses,
  updateQueue,
} from '../queues/index.ts';
import { audit } from '../store/index.ts';
import { supervisionScope } from '../supervision/index.ts';
import { findUser } from '../users/index.ts';
import { queueDetail } from './dto.ts';
import { Address, Channel, Id, IdParams } from './schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { restHelpers } from './helpers.ts';

const QueueCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    type: Channel,
    addresses: Type.Optional(Type.Array(Address, { maxItems: 50, uniqueItems: true })),
    priority: Type.Optional(Type.Integer({ minimum: -100, maximum: 100 })),
    offer_timeout_s: Type.Optional(Type.Integer({ minimum: 5, maximum: 900 })),
    wrapup_s: Type.Optional(Type.Integer({ minimum: 0, maximum: 900 })),
    skills: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20, uniqueItems: true }),
    ),
    overflow_queue_id: Type.Optional(Type.Union([Id, Type.Null()])),
    overflow_after_s: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 86400 }), Type.Null()])),
    sl_threshold_s: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
  },
  { additionalProperties: false },
);
const QueuePatch = Type.Partial(Type.Omit(QueueCreate, ['type']), { additionalProperties: false, minProperties: 1 });
const MemberParams = Type.Object({ id: Id, userId: Id });
const MemberBody = Type.Object(
  { can_serve: Type.Boolean(), proficiency: Type.Integer({ minimum: 1, maximum: 5 }) },
  { additionalProperties: false },
);

export function queueRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller, queueOr404 } = restHelpers(ctx);
    const QueueQuery = Type.Object({ type: Type.Optional(Channel) }, { additionalProperties: false });
    app.get<{ Querystring: Static<typeof QueueQuery> }>(
      '/api/v1/queues',
      { schema: { querystring: QueueQuery } },
      async (request) => {
        await caller(request);
        return (await listQueues(ctx.db, request.tenant.id, request.query.type as ChannelType | undefined)).map(
          queueDetail,
        );
      },
    );

    // Registered before /queues/:id so "stats" is never read as an id.
    app.get('/api/v1/queues/stats', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'supervisor');
      const scope = await supervisionScope(ctx.db, request.tenant.id, actor);
      const queues = (await listQueues(ctx.db, request.tenant.id)).filter((q) => scope.all || scope.queues.has(q.id));
      const members = await servingMembers(ctx.db, request.tenant.id);
      const online = ctx.gateway.onlineUsers(request.tenant.id);
      const now = Date.now();
      const waiting = new Map(
        await Promise.all(
          queues.map(async (q) => [q.id, await ctx.interactions.queueStats(request.tenant.id, q.id)] as const),
        ),
      );
      return queues.map((q) => {
        const w = waiting.get(q.id);
        const serving = members.filter((m) => m.queueId === q.id);
        const count = (status: string) => serving.filter((m) => m.workStatus === status).length;
        return {
          queue_id: q.id,
          name: q.name,
          type: q.channel,
          agents_serving: serving.length,
          agents_logged_in: serving.filter((m) => m.workStatus !== 'offline').length,
          agents_connected: serving.filter((m) => online.has(m.userId)).length,
          agents_ready: count('ready'),
          agents_not_ready: count('not_ready'),
          agents_busy: count('busy'),
          agents_wrap_up: count('wrap_up'),
          contacts_waiting: w?.waiting ?? 0,
          longest_wait_s: w?.oldestArrivedAt ? Math.max(0, Math.round((now - w.oldestArrivedAt) / 1000)) : 0,
        };
      });
    });

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/queues/:id',
      { schema: { params: IdParams } },
      async (request) => {
        await caller(request);
        return queueDetail(await queueOr404(request.tenant.id, request.params.id));
      },
    );

    app.post<{ Body: Static<typeof QueueCreate> }>(
      '/api/v1/queues',
      { schema: { body: QueueCreate } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const b = request.body;
        if (b.overflow_queue_id) await queueOr404(request.tenant.id, b.overflow_queue_id);
        const created = await ctx.db.transaction().execute(async (trx) => {
          if (await queueNameTaken(trx, request.tenant.id, b.name))
            throw new CodedError('invalid_state', `A queue named ${JSON.stringify(b.name)} exists already.`);
          const q = await createQueue(trx, request.tenant.id, {
            name: b.name,
            channel: b.type,
            ...(b.addresses === undefined ? {} : { addresses: b.addresses }),
            ...(b.priority === undefined ? {} : { priority: b.priority }),
            ...(b.offer_timeout_s === undefined ? {} : { offerTimeoutSeconds: b.offer_timeout_s }),
            ...(b.wrapup_s === undefined ? {} : { wrapupSeconds: b.wrapup_s }),
            ...(b.skills === undefined ? {} : { skills: b.skills }),
            overflowQueueId: b.overflow_queue_id ?? null,
            overflowAfterSeconds: b.overflow_after_s ?? null,
            ...(b.sl_threshold_s === undefined ? {} : { slThresholdSeconds: b.sl_threshold_s }),
          });
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'queue_created',
            detail: { target: q.id, name: q.name },
          });
          return q;
        });
        ctx.bus.publish('queue.changed', { tenantId: request.tenant.id, queueId: created.id });
        return reply.code(201).send(queueDetail(created));
      },
    );

    app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof QueuePatch> }>(
      '/api/v1/queues/:id',
      { schema: { params: IdParams, body: QueuePatch } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const queue = await queueOr404(request.tenant.id, request.params.id);
        const b = request.body;
        if (b.overflow_queue_id) {
          if (b.overflow_queue_id === queue.id)
            throw CodedError.invalidArgument('overflow_queue_id: a queue cannot overflow into itself');
          await queueOr404(request.tenant.id, b.overflow_queue_id);
        }
        await ctx.db.transaction().execute(async (trx) => {
          const set = {
            ...(b.name === undefined ? {} : { name: b.name }),
            ...(b.priority === undefined ? {} : { priority: b.priority }),
            ...(b.offer_timeout_s === undefined ? {} : { offer_timeout_s: b.offer_timeout_s }),
            ...(b.wrapup_s === undefined ? {} : { wrapup_s: b.wrapup_s }),
            ...(b.skills === undefined ? {} : { skills: JSON.stringify(b.skills) }),
            ...(b.overflow_queue_id === undefined ? {} : { overflow_queue_id: b.overflow_queue_id }),
            ...(b.overflow_after_s === undefined ? {} : { overflow_after_s: b.overflow_after_s }),
            ...(b.sl_threshold_s === undefined ? {} : { sl_threshold_s: b.sl_threshold_s }),
          };
          if (b.name !== undefined) {
            if (await queueNameTaken(trx, request.tenant.id, b.name, queue.id))
              throw new CodedError('invalid_state', `A queue named ${JSON.stringify(b.name)} exists already.`);
          }
          await updateQueue(trx, request.tenant.id, queue.id, set);
          if (b.addresses !== undefined)
            await setQueueAddresses(trx, request.tenant.id, queue.id, queue.channel, b.addresses);
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'queue_updated',
            detail: { target: queue.id, fields: Object.keys(b) },
          });
        });
        ctx.bus.publish('queue.changed', { tenantId: request.tenant.id, queueId: queue.id });
        return queueDetail(await queueOr404(request.tenant.id, queue.id));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/queues/:id/members',
      { schema: { params: IdParams } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'supervisor');
        await queueOr404(request.tenant.id, request.params.id);
        return (await listMembers(ctx.db, request.tenant.id, request.params.id)).map((m) => ({
          user_id: m.userId,
          can_serve: m.canServe,
          proficiency: m.proficiency,
        }));
      },
    );

    app.put<{ Params: Static<typeof MemberParams>; Body: Static<typeof MemberBody> }>(
      '/api/v1/queues/:id/members/:userId',
      { schema: { params: MemberParams, body: MemberBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        await queueOr404(request.tenant.id, request.params.id);
        const member = await findUser(ctx.db, request.tenant.id, request.params.userId);
        if (!member) throw new CodedError('not_found', `No user ${request.params.userId}.`);
        await ctx.db.transaction().execute(async (trx) => {
          await setMembership(trx, request.tenant.id, {
            queueId: request.params.id,
            userId: member.id,
            canServe: request.body.can_serve,
            proficiency: request.body.proficiency,
          });
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'queue_member_set',
            detail: { queue: request.params.id, target: member.id },
          });
        });
        // The member's queues changed: routing and their panels hear of it.
        ctx.bus.publish('user.changed', { tenantId: request.tenant.id, userId: member.id });
        return { user_id: member.id, can_serve: request.body.can_serve, proficiency: request.body.proficiency };
      },
    );

    app.delete<{ Params: Static<typeof MemberParams> }>(
      '/api/v1/queues/:id/members/:userId',
      { schema: { params: MemberParams } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const removed = await removeMembership(ctx.db, request.tenant.id, request.params.id, request.params.userId);
        if (!removed) throw new CodedError('not_found', 'No such membership.');
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'queue_member_removed',
          detail: { queue: request.params.id, target: request.params.userId },
        });
        ctx.bus.publish('user.changed', { tenantId: request.tenant.id, userId: request.params.userId });
        return reply.code(204).send();
      },
    );
  };
}
