/** The directory, users (admin), presence profiles and reason codes. */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../agents/index.ts';
import { changePassword, hashPassword } from '../auth/index.ts';
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
import { audit } from '../store/index.ts';
import { createUser, findUser, listUsers, updateUser } from '../users/index.ts';
import { directoryEntry, userDetail } from './dto.ts';
import { Capacity, IdParams, Language, Password, PasswordBody, Role } from './schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { restHelpers } from './helpers.ts';

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

export function userRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller, seesDetail } = restHelpers(ctx);
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
        if (!found) throw new CodedError('not_found', `No user ${request.params.id}.`);
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
          throw CodedError.invalidArgument('body: a user needs a password or an oauth_subject to log in');
        }
        const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
        const profiles = await listPresenceProfiles(ctx.db, request.tenant.id);
        const created = await ctx.db.transaction().execute(async (trx) => {
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
        });
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
          if (!u) throw new CodedError('not_found', `No user ${request.params.id}.`);
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

    // Lifts a user's login delays, e.g. after an attack from many places (docs/security.md).
    app.post<{ Params: Static<typeof IdParams> }>(
      '/api/v1/users/:id/unlock',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const target = await findUser(ctx.db, request.tenant.id, request.params.id);
        if (!target) throw new CodedError('not_found', `No user ${request.params.id}.`);
        ctx.auth.unlock(request.tenant, target.username);
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'login_unlocked',
          detail: { target: target.id },
        });
        return reply.code(204).send();
      },
    );

    app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof PasswordBody> }>(
      '/api/v1/users/:id/password',
      { schema: { params: IdParams, body: PasswordBody } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const target = await findUser(ctx.db, request.tenant.id, request.params.id);
        if (!target) throw new CodedError('not_found', `No user ${request.params.id}.`);
        await changePassword(ctx.db, {
          tenantId: request.tenant.id,
          userId: target.id,
          password: request.body.password,
          actorId: actor.id,
          bus: ctx.bus,
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
          throw new CodedError(
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
          throw new CodedError('invalid_state', `A ${b.kind} reason code ${JSON.stringify(b.code)} exists already.`);
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
  };
}
