/**
 * Interactions (docs/rest-api.md): the caller's own, their actions, outbound
 * contacts, the picklist of waiting contacts, and — only with PARLEY_DEMO —
 * endpoints that play the customer for tests, the playground and the simulator.
 */
import { idFrom, parseInteractionId, parseQueueId } from '@parley/protocol';
import { CHANNEL_TRAITS, CodedError } from '@parley/protocol';
import type { Contact } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { hasRole, mayRead } from '../access/index.ts';
import { requireRole } from '../agents/index.ts';
import { whatsappTemplates } from '../channels/index.ts';
import {
  eventLog,
  findInteraction,
  type AgentAction,
  type TargetInput,
  type WaitingEntry,
} from '../interactions/index.ts';
import { findQueueByAddress, listQueuesOfUser } from '../queues/index.ts';
import { findTenant } from '../tenants/index.ts';
import { findUser, type UserRecord } from '../users/index.ts';
import { restHelpers } from './helpers.ts';
import {
  ActionBody,
  Address,
  Attributes,
  Id,
  IdParams,
  MessageBody,
  OutboundBody,
  PickBody,
  ReadBody,
} from '@parley/protocol/rest';

type MessageBodyInput = Static<typeof MessageBody>;

/** A message body in the desk's terms (the desk applies the per-channel rules). */
function toMessageInput(b: MessageBodyInput) {
  return {
    content: b.content,
    ...(b.client_message_id ? { clientMessageId: b.client_message_id } : {}),
    ...(b.subject ? { subject: b.subject } : {}),
    ...(b.to ? { to: b.to } : {}),
    ...(b.cc ? { cc: b.cc } : {}),
    ...(b.template_id ? { templateId: b.template_id } : {}),
    ...(b.attachment_ids ? { attachmentIds: b.attachment_ids } : {}),
  };
}
const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('all')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
const PicklistQuery = Type.Object(
  {
    queue_id: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{32}(,[0-9a-f]{32}){0,99}$',
        description: 'One queue id or several, comma-separated',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const DemoContactBody = Type.Object(
  {
    queue_id: Type.Optional(Id),
    to: Type.Optional(Address),
    from: Type.String({ minLength: 1, maxLength: 320 }),
    subject: Type.Optional(Type.String({ maxLength: 998 })),
    preferred_agent_id: Type.Optional(Id),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The customer's name" })),
    attributes: Type.Optional(Attributes),
  },
  { additionalProperties: false },
);
const RemoteBody = Type.Object(
  {
    event: Type.Union(
      (['answer', 'hangup', 'reject', 'no_answer', 'fail'] as const).map((e) => Type.Literal(e)),
      { description: 'What the customer or the far end does' },
    ),
  },
  { additionalProperties: false },
);

type ActionInput = Static<typeof ActionBody>;

/** Turns the request body into an action, refusing fields the action does not take. */
function toAction(body: ActionInput): AgentAction {
  const extra = (allowed: readonly string[]) => {
    const stray = Object.keys(body).filter((k) => k !== 'action' && k !== 'request_id' && !allowed.includes(k));
    if (stray.length > 0) throw CodedError.invalidArgument(`${stray[0]}: not a field of the ${body.action} action`);
  };
  switch (body.action) {
    case 'handle':
      extra(['code', 'notes']);
      return { type: 'handle', ...pick(body, ['code', 'notes']) };
    case 'wrapup':
      extra(['code', 'notes', 'extend_seconds']);
      if (body.code === undefined && body.notes === undefined && body.extend_seconds === undefined)
        throw CodedError.invalidArgument('wrapup: give code, notes or extend_seconds');
      return {
        type: 'wrapup',
        ...pick(body, ['code', 'notes']),
        ...(body.extend_seconds === undefined ? {} : { extendSeconds: body.extend_seconds }),
      };
    case 'transfer':
    case 'consult': {
      extra(['to']);
      if (!body.to) throw CodedError.invalidArgument(`to: ${body.action} needs a target`);
      const to: TargetInput = {
        ...(body.to.queue_id ? { queueId: body.to.queue_id } : {}),
        ...(body.to.agent_id ? { agentId: body.to.agent_id } : {}),
        ...(body.to.number ? { number: body.to.number } : {}),
        ...(body.to.address ? { address: body.to.address } : {}),
      };
      return { type: body.action, to };
    }
    case 'dtmf':
      extra(['digits']);
      if (!body.digits) throw CodedError.invalidArgument('digits: dtmf needs the tones to send (0-9 * # A-D)');
      return { type: 'dtmf', digits: body.digits };
    case 'drop':
      extra(['party']);
      if (!body.party)
        throw CodedError.invalidArgument('party: drop needs the interaction id of the party to hang up on');
      return { type: 'drop', party: body.party };
    default:
      extra([]);
      return { type: body.action };
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): { [P in K]?: Exclude<T[P], undefined> } {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as { [P in K]?: Exclude<T[P], undefined> };
}

/** The request id from the body, else from an `Idempotency-Key` header. */
function requestIdOf(request: FastifyRequest, body: { request_id?: string } | undefined): string | undefined {
  if (body?.request_id) return body.request_id;
  const header = request.headers['idempotency-key'];
  if (typeof header !== 'string') return undefined;
  if (!/^[\x21-\x7e]{1,64}$/.test(header))
    throw CodedError.invalidArgument('Idempotency-Key: 1–64 visible ASCII characters');
  return header;
}

export function interactionRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller } = restHelpers(ctx);
    const actor = (user: UserRecord) => ({ id: user.id, username: user.username });

    app.get<{ Querystring: Static<typeof ListQuery> }>(
      '/api/v1/interactions',
      { schema: { querystring: ListQuery } },
      async (request) => {
        const { user } = await caller(request);
        return ctx.interactions.list(request.tenant.id, actor(user), {
          open: (request.query.state ?? 'open') === 'open',
          limit: request.query.limit ?? 100,
        });
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        return ctx.interactions.get(request.tenant.id, actor(user), request.params.id);
      },
    );

    app.post<{ Body: Static<typeof OutboundBody> }>(
      '/api/v1/interactions',
      { schema: { body: OutboundBody } },
      async (request, reply) => {
        const { user } = await caller(request);
        const b = request.body;
        const sending = b.content !== undefined || b.template_id !== undefined;
        if (sending && !CHANNEL_TRAITS[b.channel].external)
          throw CodedError.invalidArgument(`content: a ${b.channel} interaction starts without a message`);
        const created = await ctx.interactions.outbound(
          request.tenant.id,
          actor(user),
          {
            channel: b.channel,
            to: b.to,
            ...pick(b, ['from', 'subject', 'attributes']),
            ...(b.queue_id ? { queueId: b.queue_id } : {}),
            ...(sending
              ? {
                  message: toMessageInput({
                    content: b.content ?? '',
                    ...pick(b, ['subject', 'cc', 'template_id']),
                    ...(CHANNEL_TRAITS[b.channel].subject ? { to: [b.to] } : {}),
                  }),
                }
              : {}),
          },
          requestIdOf(request, b),
        );
        return reply.code(201).send(created);
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: ActionInput }>(
      '/api/v1/interactions/:id/actions',
      { schema: { params: IdParams, body: ActionBody } },
      async (request) => {
        const { user } = await caller(request);
        return ctx.interactions.act(
          request.tenant.id,
          actor(user),
          request.params.id,
          toAction(request.body),
          requestIdOf(request, request.body),
        );
      },
    );

    /** The interaction's event log: every transition and what came with it (keys pressed, transfers…). */
    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/events',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        const found = await findInteraction(ctx.db, request.tenant.id, request.params.id);
        if (!found) throw new CodedError('not_found', `No interaction ${request.params.id}.`);
        if (!mayRead(user, found)) throw CodedError.forbidden(`Interaction ${request.params.id} is not yours.`);
        const events = await eventLog(ctx.db, request.tenant.id, request.params.id);
        return events.map(({ actorId, ...e }) => ({
          seq: e.seq,
          type: e.type,
          at: e.at,
          actor_id: actorId,
          detail: e.detail,
        }));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/messages',
      { schema: { params: IdParams } },
      async (request) => {
        const { user } = await caller(request);
        return ctx.interactions.messages(request.tenant.id, actor(user), request.params.id);
      },
    );
    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof MessageBody> }>(
      '/api/v1/interactions/:id/messages',
      { schema: { params: IdParams, body: MessageBody } },
      async (request, reply) => {
        const { user } = await caller(request);
        const message = await ctx.interactions.agentMessage(
          request.tenant.id,
          actor(user),
          request.params.id,
          toMessageInput(request.body),
        );
        return reply.code(201).send(message);
      },
    );

    // The agent saw the customer's messages up to this one (web chat read receipts).
    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ReadBody> }>(
      '/api/v1/interactions/:id/read',
      { schema: { params: IdParams, body: ReadBody } },
      async (request) => {
        const { user } = await caller(request);
        const read = await ctx.interactions.markRead(
          request.tenant.id,
          { agentId: user.id, interactionId: request.params.id },
          request.body.message_id,
        );
        return { read };
      },
    );

    // WhatsApp templates the tenant may send outside the 24-hour window.
    app.get('/api/v1/whatsapp/templates', async (request) => {
      await caller(request);
      // Read fresh: an admin's change of the templates counts at once.
      const tenant = await findTenant(ctx.db, request.tenant.id);
      return whatsappTemplates(tenant?.settings ?? {});
    });

    /** Contacts waiting in queues the caller serves (all of them, or those asked for). */
    const picklist = async (tenantId: string, user: UserRecord, queueIds: readonly string[] | null, limit: number) => {
      const served = await listQueuesOfUser(ctx.db, tenantId, user.id, true);
      const names = new Map(served.map((q) => [q.id, q.name]));
      if (queueIds) {
        const foreign = queueIds.find((id) => !names.has(id));
        if (foreign) throw CodedError.forbidden(`You do not serve queue ${foreign}.`);
      }
      const entries = await ctx.interactions.waiting(tenantId, queueIds ?? [...names.keys()], limit);
      return entries.map((e) => toContact(e, names.get(e.queueId) ?? null));
    };

    app.get<{ Querystring: Static<typeof PicklistQuery> }>(
      '/api/v1/contacts',
      { schema: { querystring: PicklistQuery } },
      async (request) => {
        const { user } = await caller(request);
        const ids = request.query.queue_id ? [...new Set(request.query.queue_id.split(','))] : null;
        return picklist(request.tenant.id, user, ids, request.query.limit ?? 100);
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof PicklistQuery> }>(
      '/api/v1/queues/:id/contacts',
      { schema: { params: IdParams, querystring: Type.Omit(PicklistQuery, ['queue_id']) } },
      async (request) => {
        const { user } = await caller(request);
        return picklist(request.tenant.id, user, [request.params.id], request.query.limit ?? 100);
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof PickBody> | undefined }>(
      '/api/v1/contacts/:id/pick',
      { schema: { params: IdParams, body: Type.Optional(PickBody) } },
      async (request) => {
        const { user } = await caller(request);
        const served = await listQueuesOfUser(ctx.db, request.tenant.id, user.id, true);
        return ctx.interactions.pick(
          request.tenant.id,
          actor(user),
          request.params.id,
          served.map((q) => q.id),
          requestIdOf(request, request.body),
        );
      },
    );

    if (!ctx.config.demo) return;

    // ── demo only: play the customer ─────────────────────────────────────────

    app.post<{ Body: Static<typeof DemoContactBody> }>(
      '/api/v1/demo/contacts',
      { schema: { body: DemoContactBody } },
      async (request, reply) => {
        // Making up customers is a supervisor's test tool, not an agent's.
        requireRole((await caller(request)).user, 'supervisor');
        const b = request.body;
        if ((b.queue_id === undefined) === (b.to === undefined))
          throw CodedError.invalidArgument('give queue_id or to (a queue address), not both');
        let queueId = b.queue_id;
        if (b.to !== undefined) {
          const queue = await findQueueByAddress(ctx.db, request.tenant.id, b.to);
          if (!queue) throw new CodedError('not_found', `No queue has the address ${b.to}.`);
          queueId = queue.id;
        }
        if (b.preferred_agent_id) {
          const agent = await findUser(ctx.db, request.tenant.id, b.preferred_agent_id);
          if (!agent) throw new CodedError('not_found', `No user ${b.preferred_agent_id}.`);
        }
        const created = await ctx.interactions.inbound(request.tenant.id, {
          queueId: queueId as string,
          from: b.from,
          ...pick(b, ['to', 'subject', 'name', 'attributes']),
          ...(b.preferred_agent_id ? { preferredAgentId: b.preferred_agent_id } : {}),
        });
        return reply.code(201).send(created);
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RemoteBody> }>(
      '/api/v1/demo/interactions/:id/remote',
      { schema: { params: IdParams, body: RemoteBody } },
      async (request) => {
        // The far party of an agent's own call, as for every other action; a supervisor may play any.
        const { user } = await caller(request);
        if (!hasRole(user, 'supervisor')) {
          const found = await findInteraction(ctx.db, request.tenant.id, request.params.id);
          if (!found) throw new CodedError('not_found', `No interaction ${request.params.id}.`);
          if (!mayRead(user, found))
            throw CodedError.forbidden("Only the interaction's own agent, or a supervisor, may play its far party.");
        }
        return ctx.interactions.remote(request.tenant.id, request.params.id, request.body.event);
      },
    );
  };
}

/** A picklist entry (PROTOCOL.md §1.5 Contact), with what else a picker wants to see. */
export function toContact(e: WaitingEntry, queueName: string | null): Contact & Record<string, unknown> {
  return {
    id: idFrom(parseInteractionId, e.contactId, 'contactId'),
    channel_type: e.channel ?? 'phone',
    queue_id: idFrom(parseQueueId, e.queueId, 'queueId'),
    remote_address: e.remoteAddress ?? '',
    waiting_since: new Date(e.arrivedAt).toISOString(),
    queue_name: queueName,
    priority: e.priority,
    offered: e.offeredTo !== null,
  };
}
