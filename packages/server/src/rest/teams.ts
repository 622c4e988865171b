/**
 * Teams (docs/rest-api.md): everyone reads the teams they belong to or
 * supervise (supervisors and admins may read all); admins create, rename
 * and delete teams and set their members.
 */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../agents/index.ts';
import type { AppContext } from '../context.ts';
import { audit, isUniqueViolation } from '../store/index.ts';
import {
  createTeam,
  deleteTeam,
  findTeam,
  listTeams,
  removeTeamMember,
  renameTeam,
  setTeamMember,
  teamNameTaken,
  type Team,
} from '../teams/index.ts';
import { findUser } from '../users/index.ts';
import { restHelpers } from './helpers.ts';
import { Id, IdParams } from './schemas.ts';

const TeamBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the tenant' }) },
  { additionalProperties: false },
);
const TeamQuery = Type.Object(
  { mine: Type.Optional(Type.Boolean({ description: 'Only the teams the caller belongs to or supervises' })) },
  { additionalProperties: false },
);
const MemberParams = Type.Object({ id: Id, userId: Id });
const MemberBody = Type.Object(
  { supervisor: Type.Optional(Type.Boolean({ description: 'Supervises the team (default false)' })) },
  { additionalProperties: false },
);

export const teamDetail = (t: Team) => ({
  id: t.id,
  name: t.name,
  members: t.members.map((m) => ({ user_id: m.userId, supervisor: m.supervisor })),
});

export function teamRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller, seesDetail } = restHelpers(ctx);
    const teamOr404 = async (tenantId: string, id: string) => {
      const team = await findTeam(ctx.db, tenantId, id);
      if (!team) throw new CodedError('not_found', `No team ${id}.`);
      return team;
    };
    const nameFree = async (tenantId: string, name: string, exceptId?: string) => {
      if (await teamNameTaken(ctx.db, tenantId, name, exceptId))
        throw new CodedError('conflict', `A team named ${JSON.stringify(name)} exists; choose another name.`);
    };

    app.get<{ Querystring: Static<typeof TeamQuery> }>(
      '/api/v1/teams',
      { schema: { querystring: TeamQuery } },
      async (request) => {
        const { user } = await caller(request);
        const all = seesDetail(user) && request.query.mine !== true;
        return (await listTeams(ctx.db, request.tenant.id, all ? {} : { userId: user.id })).map(teamDetail);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/teams/:id',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        const team = await teamOr404(request.tenant.id, request.params.id);
        if (!seesDetail(user) && !team.members.some((m) => m.userId === user.id))
          throw new CodedError('not_found', `No team ${request.params.id}.`);
        return teamDetail(team);
      },
    );

    app.post<{ Body: Static<typeof TeamBody> }>(
      '/api/v1/teams',
      { schema: { body: TeamBody } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        await nameFree(request.tenant.id, request.body.name);
        const team = await ctx.db.transaction().execute(async (trx) => {
          const created = await createTeam(trx, request.tenant.id, request.body.name);
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'team_created',
            detail: { target: created.id, name: created.name },
          });
          return created;
        });
        return reply.code(201).send(teamDetail(team));
      },
    );

    app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof TeamBody> }>(
      '/api/v1/teams/:id',
      { schema: { params: IdParams, body: TeamBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        await teamOr404(request.tenant.id, request.params.id);
        await nameFree(request.tenant.id, request.body.name, request.params.id);
        try {
          await renameTeam(ctx.db, request.tenant.id, request.params.id, request.body.name);
        } catch (err) {
          if (isUniqueViolation(err)) throw new CodedError('conflict', 'That team name was just taken.');
          throw err;
        }
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'team_renamed',
          detail: { target: request.params.id, name: request.body.name },
        });
        return teamDetail(await teamOr404(request.tenant.id, request.params.id));
      },
    );

    app.delete<{ Params: Static<typeof IdParams> }>(
      '/api/v1/teams/:id',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const team = await teamOr404(request.tenant.id, request.params.id);
        await ctx.db.transaction().execute(async (trx) => {
          await deleteTeam(trx, request.tenant.id, team.id);
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'team_deleted',
            detail: { target: team.id, name: team.name },
          });
        });
        return reply.code(204).send();
      },
    );

    app.put<{ Params: Static<typeof MemberParams>; Body: Static<typeof MemberBody> }>(
      '/api/v1/teams/:id/members/:userId',
      { schema: { params: MemberParams, body: MemberBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        await teamOr404(request.tenant.id, request.params.id);
        const member = await findUser(ctx.db, request.tenant.id, request.params.userId);
        if (!member) throw new CodedError('not_found', `No user ${request.params.userId}.`);
        const supervisor = request.body.supervisor ?? false;
        await ctx.db.transaction().execute(async (trx) => {
          await setTeamMember(trx, request.tenant.id, request.params.id, member.id, supervisor);
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'team_member_set',
            detail: { team: request.params.id, target: member.id, supervisor },
          });
        });
        return { user_id: member.id, supervisor };
      },
    );

    app.delete<{ Params: Static<typeof MemberParams> }>(
      '/api/v1/teams/:id/members/:userId',
      { schema: { params: MemberParams } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const removed = await removeTeamMember(ctx.db, request.tenant.id, request.params.id, request.params.userId);
        if (!removed) throw new CodedError('not_found', 'No such team membership.');
        await audit(ctx.db, {
          tenantId: request.tenant.id,
          actorId: actor.id,
          action: 'team_member_removed',
          detail: { team: request.params.id, target: request.params.userId },
        });
        return reply.code(204).send();
      },
    );
  };
}
