/**
 * Parley's REST API under `/api/v1` (docs/rest-api.md). Every route validates
 * its input by schema, resolves the caller from the session, checks rights
 * explicitly and never reaches another tenant's data: every query is scoped
 * by `request.tenant`.
 */
import type { ChannelType } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireRole } from '../agents/index.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { requireCaller, type Caller } from '../auth/request.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import {
  ensurePresenceProfile,
  ensureReasonCode,
  findPresenceProfile,
  findReasonCode,
  listPresenceProfiles,
  listReasonCodes,
  REASON_KINDS,
  type ReasonKind,
} from '../presence/index.ts';
import {
  AddressTakenError,
  createQueue,
  findQueue,
  listMembers,
  listQueues,
  listQueuesOfUser,
  removeMembership,
  setMembership,
  setQueueAddresses,
  toWireQueue,
} from '../queues/index.ts';
import { audit } from '../store/index.ts';
import { updateTenant } from '../tenants/index.ts';
import {
  createUser,
  findUser,
  listUsers,
  toWireUser,
  updateUser,
  UsernameTakenError,
  type UserRecord,
} from '../users/index.ts';
import { directoryEntry, queueDetail, tenantDetail, userDetail } from './dto.ts';
import {
  Address,
  Capacity,
  Channel,
  Id,
  IdParams,
  Language,
  Origin,
  Password,
  PresenceBody,
  Role,
  StateBody,
  Theme,
} from './schemas.ts';

const MePatch = Type.Object(
  {
    display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    language: Type.Optional(Language),
    theme: Type.Optional(Theme),
  },
  { additionalProperties: false, minProperties: 1 },
);

const UserCreate = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._@-]+$' }),
    display_name: Type.String({ minLength: 1, maxLength: 128 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    role: Role,
    password: Type.Optional(Password),
    oauth_subject: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    language: Type.Optional(Language),
    capacity: Type.Optional(Capacity),
  },
  { additionalProperties: false },
);

const UserPatchBody = Type.Object(
  {
    display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    role: Type.Optional(Role),
    oauth_subject: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
    language: Type.Optional(Language),
    capacity: Type.Optional(Capacity),
  },
  { additionalProperties: false, minProperties: 1 },
);

const PasswordBody = Type.Object(
  { password: Password, current_password: Type.Optional(Type.String({ maxLength: 1024 })) },
  { additionalProperties: false },
);

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
  },
  { additionalProperties: false },
);
const QueuePatch = Type.Partial(Type.Omit(QueueCreate, ['type']), { additionalProperties: false, minProperties: 1 });

const MemberParams = Type.Object({ id: Id, userId: Id });
const MemberBody = Type.Object(
  { can_serve: Type.Boolean(), proficiency: Type.Integer({ minimum: 1, maximum: 5 }) },
  { additionalProperties: false },
);

const TenantPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    allowed_origins: Type.Optional(Type.Array(Origin, { maxItems: 100, uniqueItems: true })),
    oauth_issuers: Type.Optional(
      Type.Array(Type.String({ pattern: '^https?://\\S+$', maxLength: 500 }), { maxItems: 20, uniqueItems: true }),
    ),
    settings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Registers `/api/v1/*` (besides the auth routes). */
export function restRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const caller = (request: FastifyRequest): Promise<Caller> => requireCaller(ctx, request);
    const wire = async (user: UserRecord) => toWireUser(user, await listPresenceProfiles(ctx.db, user.tenantId));
    const seesDetail = (user: UserRecord) => user.role === 'supervisor' || user.role === 'admin';
    const conflictsToHttp = (err: unknown): never => {
      if (err instanceof UsernameTakenError || err instanceof AddressTakenError)
        throw new HttpError('invalid_state', err.message);
      throw err;
    };
    const queueOr404 = async (tenantId: string, id: string) => {
      const queue = await findQueue(ctx.db, tenantId, id);
      if (!queue) throw new HttpError('not_found', `No queue ${id}.`);
      return queue;
    };

    // ── me ────────────────────────────────────────────────────────────────
    app.get('/api/v1/me', async (request) => wire((await caller(request)).user));

    app.patch<{ Body: Static<typeof MePatch> }>('/api/v1/me', { schema: { body: MePatch } }, async (request) => {
      const { user } = await caller(request);
      const body = request.body;
      const updated = await updateUser(ctx.db, request.tenant.id, user.id, {
        ...(body.display_name === undefined ? {} : { displayName: body.display_name }),
        ...(body.language === undefined ? {} : { language: body.language }),
        ...(body.theme === undefined ? {} : { theme: body.theme }),
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

    app.get('/api/v1/me/queues', async (request) => {
      const { user } = await caller(request);
      return (await listQueuesOfUser(ctx.db, request.tenant.id, user.id)).map(toWireQueue);
    });

    app.put<{ Body: Static<typeof PasswordBody> }>(
      '/api/v1/me/password',
      { schema: { body: PasswordBody } },
      async (request, reply) => {
        const { user } = await caller(request);
        const row = await ctx.db
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', user.id)
          .executeTakeFirst();
        const current = request.body.current_password ?? '';
        if (!row?.password_hash || !(await verifyPassword(row.password_hash, current))) {
          throw HttpError.unauthorized('current_password is wrong.');
        }
        await updateUser(ctx.db, request.tenant.id, user.id, {
          passwordHash: await hashPassword(request.body.password),
        });
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: user.id,
          action: 'password_changed',
          detail: { target: user.id },
        });
        return reply.code(204).send();
      },
    );

    // ── directory and presence configuration ──────────────────────────────
    app.get('/api/v1/users', async (request) => {
      const { user } = await caller(request);
      const users = await listUsers(ctx.db, request.tenant.id);
      return users.map((u) => (seesDetail(user) ? userDetail(u) : directoryEntry(u)));
    });

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/users/:id',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        const found = await findUser(ctx.db, request.tenant.id, request.params.id);
        if (!found) throw new HttpError('not_found', `No user ${request.params.id}.`);
        return seesDetail(user) || found.id === user.id ? userDetail(found) : directoryEntry(found);
      },
    );

    app.post<{ Body: Static<typeof UserCreate> }>(
      '/api/v1/users',
      { schema: { body: UserCreate } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const body = request.body;
        if (body.password === undefined && body.oauth_subject === undefined) {
          throw HttpError.invalidArgument('body: a user needs a password or an oauth_subject to log in');
        }
        const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
        const profiles = await listPresenceProfiles(ctx.db, request.tenant.id);
        const created = await ctx.db
          .transaction()
          .execute(async (trx) => {
            const u = await createUser(trx, request.tenant.id, {
              username: body.username,
              displayName: body.display_name,
              email: body.email,
              role: body.role,
              passwordHash,
              oauthSubject: body.oauth_subject ?? null,
              ...(body.language === undefined ? {} : { language: body.language }),
              ...(body.capacity === undefined ? {} : { capacity: body.capacity }),
              presenceProfileId: profiles[0]?.id ?? null,
            });
            await audit(trx, {
              tenantId: request.tenant.id,
              actorId: actor.id,
              action: 'user_created',
              detail: { target: u.id, username: u.username },
            });
            return u;
          })
          .catch(conflictsToHttp);
        return reply.code(201).send(userDetail(created));
      },
    );

    app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof UserPatchBody> }>(
      '/api/v1/users/:id',
      { schema: { params: IdParams, body: UserPatchBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const b = request.body;
        const updated = await ctx.db.transaction().execute(async (trx) => {
          const u = await updateUser(trx, request.tenant.id, request.params.id, {
            ...(b.display_name === undefined ? {} : { displayName: b.display_name }),
            ...(b.email === undefined ? {} : { email: b.email }),
            ...(b.role === undefined ? {} : { role: b.role }),
            ...(b.oauth_subject === undefined ? {} : { oauthSubject: b.oauth_subject }),
            ...(b.language === undefined ? {} : { language: b.language }),
            ...(b.capacity === undefined ? {} : { capacity: b.capacity }),
          });
          if (!u) throw new HttpError('not_found', `No user ${request.params.id}.`);
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'user_updated',
            detail: { target: u.id, fields: Object.keys(b) },
          });
          return u;
        });
        ctx.bus.publish('user.changed', { tenantId: request.tenant.id, userId: updated.id });
        return userDetail(updated);
      },
    );

    app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof PasswordBody> }>(
      '/api/v1/users/:id/password',
      { schema: { params: IdParams, body: PasswordBody } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const target = await findUser(ctx.db, request.tenant.id, request.params.id);
        if (!target) throw new HttpError('not_found', `No user ${request.params.id}.`);
        await updateUser(ctx.db, request.tenant.id, target.id, {
          passwordHash: await hashPassword(request.body.password),
        });
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'password_changed',
          detail: { target: target.id },
        });
        return reply.code(204).send();
      },
    );

    app.get('/api/v1/presence-profiles', async (request) => {
      await caller(request);
      return listPresenceProfiles(ctx.db, request.tenant.id);
    });

    const ProfileCreate = Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 64 }),
        ready: Type.Boolean(),
        sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
      },
      { additionalProperties: false },
    );
    app.post<{ Body: Static<typeof ProfileCreate> }>(
      '/api/v1/presence-profiles',
      { schema: { body: ProfileCreate } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const existing = await findPresenceProfile(ctx.db, request.tenant.id, request.body.name);
        if (existing?.name === request.body.name)
          throw new HttpError(
            'invalid_state',
            `A presence profile named ${JSON.stringify(request.body.name)} exists already.`,
          );
        const id = await ctx.db.transaction().execute(async (trx) => {
          const created = await ensurePresenceProfile(
            trx,
            request.tenant.id,
            request.body.name,
            request.body.ready,
            request.body.sort ?? 100,
          );
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'presence_profile_created',
            detail: { target: created, name: request.body.name },
          });
          return created;
        });
        return reply.code(201).send({ id, name: request.body.name, ready: request.body.ready });
      },
    );

    const ReasonCreate = Type.Object(
      {
        kind: Type.Union(REASON_KINDS.map((k) => Type.Literal(k))),
        code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_-]+$' }),
        label: Type.String({ minLength: 1, maxLength: 128 }),
        sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
      },
      { additionalProperties: false },
    );
    app.post<{ Body: Static<typeof ReasonCreate> }>(
      '/api/v1/reason-codes',
      { schema: { body: ReasonCreate } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const b = request.body;
        if (await findReasonCode(ctx.db, request.tenant.id, b.kind, b.code)) {
          throw new HttpError('invalid_state', `A ${b.kind} reason code ${JSON.stringify(b.code)} exists already.`);
        }
        const id = await ctx.db.transaction().execute(async (trx) => {
          const created = await ensureReasonCode(trx, request.tenant.id, {
            kind: b.kind,
            code: b.code,
            label: b.label,
            sort: b.sort ?? 100,
          });
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'reason_code_created',
            detail: { target: created, kind: b.kind, code: b.code },
          });
          return created;
        });
        return reply.code(201).send({ id, kind: b.kind, code: b.code, label: b.label });
      },
    );

    const ReasonQuery = Type.Object(
      { kind: Type.Optional(Type.Union(REASON_KINDS.map((k) => Type.Literal(k)))) },
      { additionalProperties: false },
    );
    app.get<{ Querystring: Static<typeof ReasonQuery> }>(
      '/api/v1/reason-codes',
      { schema: { querystring: ReasonQuery } },
      async (request) => {
        await caller(request);
        return listReasonCodes(ctx.db, request.tenant.id, request.query.kind as ReasonKind | undefined);
      },
    );

    // ── queues ─────────────────────────────────────────────────────────────
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
      const queues = await listQueues(ctx.db, request.tenant.id);
      const members = await ctx.db
        .selectFrom('queue_members')
        .innerJoin('users', 'users.id', 'queue_members.user_id')
        .select(['queue_members.queue_id', 'queue_members.user_id', 'users.work_status'])
        .where('queue_members.tenant_id', '=', request.tenant.id)
        .where('queue_members.can_serve', '=', 1)
        .execute();
      const online = ctx.gateway.onlineUsers(request.tenant.id);
      return queues.map((q) => {
        const serving = members.filter((m) => m.queue_id === q.id);
        const count = (status: string) => serving.filter((m) => m.work_status === status).length;
        return {
          queue_id: q.id,
          name: q.name,
          type: q.channel,
          agents_serving: serving.length,
          agents_logged_in: serving.filter((m) => m.work_status !== 'offline').length,
          agents_connected: serving.filter((m) => online.has(m.user_id)).length,
          agents_ready: count('ready'),
          agents_not_ready: count('not_ready'),
          agents_busy: count('busy'),
          agents_wrap_up: count('wrap_up'),
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
        const created = await ctx.db
          .transaction()
          .execute(async (trx) => {
            const existing = await trx
              .selectFrom('queues')
              .select('id')
              .where('tenant_id', '=', request.tenant.id)
              .where('name', '=', b.name)
              .executeTakeFirst();
            if (existing)
              throw new HttpError('invalid_state', `A queue named ${JSON.stringify(b.name)} exists already.`);
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
            });
            await audit(trx, {
              tenantId: request.tenant.id,
              actorId: actor.id,
              action: 'queue_created',
              detail: { target: q.id, name: q.name },
            });
            return q;
          })
          .catch(conflictsToHttp);
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
            throw HttpError.invalidArgument('overflow_queue_id: a queue cannot overflow into itself');
          await queueOr404(request.tenant.id, b.overflow_queue_id);
        }
        await ctx.db
          .transaction()
          .execute(async (trx) => {
            const set = {
              ...(b.name === undefined ? {} : { name: b.name }),
              ...(b.priority === undefined ? {} : { priority: b.priority }),
              ...(b.offer_timeout_s === undefined ? {} : { offer_timeout_s: b.offer_timeout_s }),
              ...(b.wrapup_s === undefined ? {} : { wrapup_s: b.wrapup_s }),
              ...(b.skills === undefined ? {} : { skills: JSON.stringify(b.skills) }),
              ...(b.overflow_queue_id === undefined ? {} : { overflow_queue_id: b.overflow_queue_id }),
              ...(b.overflow_after_s === undefined ? {} : { overflow_after_s: b.overflow_after_s }),
            };
            if (b.name !== undefined) {
              const clash = await trx
                .selectFrom('queues')
                .select('id')
                .where('tenant_id', '=', request.tenant.id)
                .where('name', '=', b.name)
                .where('id', '!=', queue.id)
                .executeTakeFirst();
              if (clash)
                throw new HttpError('invalid_state', `A queue named ${JSON.stringify(b.name)} exists already.`);
            }
            if (Object.keys(set).length)
              await trx
                .updateTable('queues')
                .set(set)
                .where('tenant_id', '=', request.tenant.id)
                .where('id', '=', queue.id)
                .execute();
            if (b.addresses !== undefined) await setQueueAddresses(trx, request.tenant.id, queue.id, b.addresses);
            await audit(trx, {
              tenantId: request.tenant.id,
              actorId: actor.id,
              action: 'queue_updated',
              detail: { target: queue.id, fields: Object.keys(b) },
            });
          })
          .catch(conflictsToHttp);
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
        if (!member) throw new HttpError('not_found', `No user ${request.params.userId}.`);
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
        if (!removed) throw new HttpError('not_found', 'No such membership.');
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'queue_member_removed',
          detail: { queue: request.params.id, target: request.params.userId },
        });
        return reply.code(204).send();
      },
    );

    // ── agents (supervision) ───────────────────────────────────────────────
    app.get('/api/v1/agents', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'supervisor');
      const users = await listUsers(ctx.db, request.tenant.id);
      const online = ctx.gateway.onlineUsers(request.tenant.id);
      return users.map((u) => ({
        ...directoryEntry(u),
        role: u.role,
        presence: u.presenceProfileId,
        not_ready_reason: u.notReadyReasonId,
        connected: online.has(u.id),
      }));
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

    // ── tenant (admin) ─────────────────────────────────────────────────────
    app.get('/api/v1/tenant', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'admin');
      return tenantDetail(request.tenant, ctx.baseUrlOf(request.tenant));
    });

    app.patch<{ Body: Static<typeof TenantPatchBody> }>(
      '/api/v1/tenant',
      { schema: { body: TenantPatchBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const b = request.body;
        const updated = await ctx.db.transaction().execute(async (trx) => {
          const t = await updateTenant(trx, request.tenant.id, {
            ...(b.name === undefined ? {} : { name: b.name }),
            ...(b.allowed_origins === undefined ? {} : { allowedOrigins: b.allowed_origins }),
            ...(b.oauth_issuers === undefined ? {} : { oauthIssuers: b.oauth_issuers }),
            ...(b.settings === undefined ? {} : { settings: b.settings }),
          });
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'tenant_updated',
            detail: { fields: Object.keys(b) },
          });
          return t;
        });
        if (!updated) throw new HttpError('not_found', 'The tenant vanished.');
        ctx.tenants.remember(updated);
        return tenantDetail(updated, ctx.baseUrlOf(updated));
      },
    );

    const AuditQuery = Type.Object(
      { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
      { additionalProperties: false },
    );
    app.get<{ Querystring: Static<typeof AuditQuery> }>(
      '/api/v1/audit',
      { schema: { querystring: AuditQuery } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const rows = await ctx.db
          .selectFrom('audit_log')
          .selectAll()
          .where('tenant_id', '=', request.tenant.id)
          .orderBy('seq', 'desc')
          .limit(request.query.limit ?? 100)
          .execute();
        return rows.map((r) => ({
          seq: Number(r.seq),
          actor_id: r.actor_id,
          action: r.action,
          detail: JSON.parse(r.detail) as unknown,
          created_at: r.created_at,
        }));
      },
    );
  };
}
