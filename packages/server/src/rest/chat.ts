/**
 * The public start of a web chat: `POST {base}api/v1/chat` from the widget on
 * any site. No cookies: the answer's token is the conversation's only key
 * (kept hashed). Rate-limited per address. CORS is open (no credentials).
 */
import { CodedError } from '@parley/protocol';
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { findQueueByAddress, listQueues, servingUserIds, type QueueRecord } from '../queues/index.ts';
import { hashConversationToken } from '../realtime/index.ts';
import { Attributes, Id } from './schemas.ts';

const LeaveMessage = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.String({ maxLength: 254, pattern: '^[^\\s@<>,]+@[^\\s@<>,]+$' }),
    message: Type.String({ minLength: 1, maxLength: 4000 }),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  },
  { additionalProperties: false },
);
const AvailabilityQuery = Type.Object(
  { address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })) },
  { additionalProperties: false },
);

const ChatStart = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' })),
    queue_id: Type.Optional(Id),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
    fields: Type.Optional(Attributes),
  },
  { additionalProperties: false },
);

export function chatRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const starts = new Map<string, number[]>();
    /** Counts one public request of the address; 429 over the limit. */
    const limit = (ip: string) => {
      const now = Date.now();
      const recent = (starts.get(ip) ?? []).filter((t) => now - t < 60_000);
      if (recent.length >= ctx.config.channels.chatStartsPerMinute)
        throw CodedError.rateLimited(60, 'Too many chats and messages from this address');
      starts.set(ip, [...recent, now]);
      // Forget addresses that went quiet, so the table does not grow without end.
      if (starts.size > 10_000)
        for (const [key, times] of starts) if (times.every((t) => now - t >= 60_000)) starts.delete(key);
    };
    /** The chat queue an address names, or the tenant's first. */
    const chatQueue = async (tenantId: string, address: string | undefined): Promise<QueueRecord> => {
      if (address !== undefined) {
        const queue = await findQueueByAddress(ctx.db, tenantId, address);
        if (!queue || queue.channel !== 'chat')
          throw new CodedError('not_found', `No chat queue has the address ${address}.`);
        return queue;
      }
      const queue = (await listQueues(ctx.db, tenantId, 'chat'))[0];
      if (!queue) throw new CodedError('not_found', 'This contact center has no chat queue.');
      return queue;
    };

    // Whether someone is there to chat now; if not, the widget offers to leave a message.
    app.get<{ Querystring: Static<typeof AvailabilityQuery> }>(
      '/api/v1/chat/availability',
      { schema: { querystring: AvailabilityQuery, security: [] } },
      async (request, reply) => {
        const queue = await chatQueue(request.tenant.id, request.query.address);
        const members = await servingUserIds(ctx.db, queue.id);
        const available = members.some((id) => ctx.gateway.isOnline(request.tenant.id, id));
        const email = (await listQueues(ctx.db, request.tenant.id, 'email')).length > 0;
        return reply.header('cache-control', 'no-store').send({ available, leave_message: email });
      },
    );

    // "Leave a message" when nobody is there: it becomes an email interaction, answered by email.
    app.post<{ Body: Static<typeof LeaveMessage> }>(
      '/api/v1/chat/messages',
      { schema: { body: LeaveMessage, security: [] } },
      async (request, reply) => {
        limit(request.ip);
        const b = request.body;
        const queue = (await listQueues(ctx.db, request.tenant.id, 'email'))[0];
        const to = queue?.addresses[0];
        if (!queue || !to) throw new CodedError('not_found', 'This contact center takes no messages (no email queue).');
        const stored = await ctx.interactions.inboundMessage(request.tenant.id, {
          channel: 'email',
          queueId: queue.id,
          from: b.email.toLowerCase(),
          name: b.name,
          to,
          subject: `Message from the web chat${b.address ? ` (${b.address})` : ''}`,
          content: b.message,
        });
        return reply.code(201).send({ received: true, message_id: stored.message.id });
      },
    );

    app.post<{ Body: Static<typeof ChatStart> }>(
      '/api/v1/chat',
      { schema: { body: ChatStart, security: [] } },
      async (request, reply) => {
        limit(request.ip);
        const b = request.body;
        const tenantId = request.tenant.id;
        let queueId = b.queue_id;
        if (b.address !== undefined) {
          const queue = await findQueueByAddress(ctx.db, tenantId, b.address);
          if (!queue) throw new CodedError('not_found', `No queue has the address ${b.address}.`);
          queueId = queue.id;
        }
        if (queueId === undefined) {
          const chatQueues = await listQueues(ctx.db, tenantId, 'chat');
          queueId = chatQueues[0]?.id;
          if (!queueId) throw new CodedError('not_found', 'This contact center has no chat queue.');
        }
        const token = randomBytes(32).toString('base64url');
        const started = await ctx.interactions.startChat(tenantId, {
          queueId,
          name: b.name,
          email: b.email ?? null,
          tokenHash: hashConversationToken(token),
          ...(b.fields ? { attributes: b.fields } : {}),
        });
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({ conversation_id: started.conversationId, token, state: 'waiting' });
      },
    );
  };
}
