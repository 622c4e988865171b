/**
 * The public start of a web chat: `POST {base}api/v1/chat` from the widget on
 * any site. No cookies: the answer's token is the conversation's only key
 * (kept hashed). Rate-limited per address. CORS is open (no credentials).
 */
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { findQueueByAddress, listQueues } from '../queues/index.ts';
import { hashConversationToken } from '../realtime/customer.ts';
import { Id } from './schemas.ts';

const ChatStart = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' })),
    queue_id: Type.Optional(Id),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  },
  { additionalProperties: false },
);

/** At most this many chats per minute from one address. */
const STARTS_PER_MINUTE = 20;

export function chatRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const starts = new Map<string, number[]>();
    app.post<{ Body: Static<typeof ChatStart> }>(
      '/api/v1/chat',
      { schema: { body: ChatStart, security: [] } },
      async (request, reply) => {
        const now = Date.now();
        const recent = (starts.get(request.ip) ?? []).filter((t) => now - t < 60_000);
        if (recent.length >= STARTS_PER_MINUTE) throw HttpError.rateLimited(60);
        starts.set(request.ip, [...recent, now]);
        // Forget addresses that went quiet, so the table does not grow without end.
        if (starts.size > 10_000)
          for (const [ip, times] of starts) if (times.every((t) => now - t >= 60_000)) starts.delete(ip);
        const b = request.body;
        const tenantId = request.tenant.id;
        let queueId = b.queue_id;
        if (b.address !== undefined) {
          const queue = await findQueueByAddress(ctx.db, tenantId, b.address);
          if (!queue) throw new HttpError('not_found', `No queue has the address ${b.address}.`);
          queueId = queue.id;
        }
        if (queueId === undefined) {
          const chatQueues = await listQueues(ctx.db, tenantId, 'chat');
          queueId = chatQueues[0]?.id;
          if (!queueId) throw new HttpError('not_found', 'This contact center has no chat queue.');
        }
        const token = randomBytes(32).toString('base64url');
        const started = await ctx.interactions.startChat(tenantId, {
          queueId,
          name: b.name,
          email: b.email ?? null,
          tokenHash: hashConversationToken(token),
        });
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({ conversation_id: started.conversationId, token, state: 'waiting' });
      },
    );
  };
}
