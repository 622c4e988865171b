/**
 * A supervisor on an agent's call: `PUT …/monitor {mode}` joins or changes
 * (monitor, whisper, barge), `DELETE …/monitor` leaves, `POST …/intercept`
 * takes the call over; `GET supervision/waiting` and `PATCH
 * supervision/waiting/{id}` list and move waiting contacts. Only a supervisor of one of the agent's teams, or an
 * admin; the agent learns of it only where the tenant allows
 * (`settings.monitoring_notice`).
 */
import { CodedError, MONITOR_MODES } from '@parley/protocol';
import type { MonitorMode } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mayManageAgent } from '../access/index.ts';
import { requireRole, supervisedBy } from '../agents/index.ts';
import type { AppContext } from '../context.ts';
import { findInteraction, type DispatchOp, type SuperviseOp } from '../interactions/index.ts';
import { supervisionScope } from '../supervision/index.ts';
import { findUser } from '../users/index.ts';
import { restHelpers } from './helpers.ts';
import { Id, IdParams } from './schemas.ts';

const MonitorBody = Type.Object(
  {
    mode: Type.Union(
      MONITOR_MODES.map((m) => Type.Literal(m)),
      { description: 'monitor: you hear both, nobody hears you; whisper: the agent hears you; barge: everyone does' },
    ),
  },
  { additionalProperties: false },
);

const WaitingPatch = Type.Union(
  [
    Type.Object({ queue_id: Id }, { additionalProperties: false }),
    Type.Object({ agent_id: Id }, { additionalProperties: false }),
    Type.Object({ priority: Type.Integer({ minimum: -100, maximum: 100 }) }, { additionalProperties: false }),
  ],
  { description: 'exactly one of: queue_id (move it there), agent_id (offer it to them), priority' },
);

export function superviseRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller } = restHelpers(ctx);

    /** Checks the caller may be on this call, then does `op`. */
    const supervise = async (request: FastifyRequest, id: string, op: SuperviseOp) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'supervisor');
      const tenantId = request.tenant.id;
      const call = await findInteraction(ctx.db, tenantId, id);
      if (!call) throw new CodedError('not_found', `No interaction ${id}.`);
      if (call.agentId && !mayManageAgent(actor, call.agentId, await supervisedBy(ctx.db, tenantId, actor))) {
        const agent = await findUser(ctx.db, tenantId, call.agentId);
        throw CodedError.forbidden(
          `${agent?.displayName ?? 'Its agent'} is in no team you supervise; ask an admin to add them to one.`,
        );
      }
      return ctx.interactions.supervise(
        tenantId,
        { id: actor.id, username: actor.username, displayName: actor.displayName },
        id,
        op,
      );
    };
    const notify = (request: FastifyRequest) => request.tenant.settings['monitoring_notice'] === true;

    app.get('/api/v1/supervision/waiting', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'supervisor');
      return ctx.supervision.waiting(request.tenant.id, await supervisionScope(ctx.db, request.tenant.id, actor));
    });

    app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof WaitingPatch> }>(
      '/api/v1/supervision/waiting/:id',
      { schema: { params: IdParams, body: WaitingPatch } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'supervisor');
        const tenantId = request.tenant.id;
        const scope = await supervisionScope(ctx.db, tenantId, actor);
        const contact = await findInteraction(ctx.db, tenantId, request.params.id);
        if (!contact) throw new CodedError('not_found', `No contact ${request.params.id}.`);
        const outside = (queueId: string | null) => !scope.all && (queueId === null || !scope.queues.has(queueId));
        if (outside(contact.queueId))
          throw CodedError.forbidden('That contact waits in a queue none of your teams serves.');
        const b = request.body;
        let op: DispatchOp;
        if ('queue_id' in b) {
          if (outside(b.queue_id)) throw CodedError.forbidden('queue_id: none of your teams serves that queue.');
          op = { kind: 'queue', queueId: b.queue_id };
        } else if ('agent_id' in b) {
          const agent = await findUser(ctx.db, tenantId, b.agent_id);
          if (!agent) throw new CodedError('not_found', `No user ${b.agent_id}.`);
          if (!scope.all && !scope.agents.has(agent.id))
            throw CodedError.forbidden(`${agent.displayName} is in no team you supervise.`);
          if (agent.workStatus === 'offline')
            throw new CodedError('invalid_state', `${agent.displayName} is offline; offer it to someone signed in.`);
          op = { kind: 'agent', agentId: agent.id };
        } else op = { kind: 'priority', priority: b.priority };
        return ctx.interactions.dispatch(tenantId, { id: actor.id, username: actor.username }, contact.id, op);
      },
    );

    app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof MonitorBody> }>(
      '/api/v1/interactions/:id/monitor',
      { schema: { params: IdParams, body: MonitorBody } },
      async (request) =>
        supervise(request, request.params.id, {
          kind: 'monitor',
          mode: request.body.mode as MonitorMode,
          notify: notify(request),
        }),
    );
    app.delete<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/monitor',
      { schema: { params: IdParams } },
      async (request) =>
        supervise(request, request.params.id, { kind: 'monitor', mode: null, notify: notify(request) }),
    );
    app.post<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/intercept',
      { schema: { params: IdParams } },
      async (request, reply) =>
        reply.code(201).send(await supervise(request, request.params.id, { kind: 'intercept' })),
    );
  };
}
