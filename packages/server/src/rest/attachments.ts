/**
 * Attachments: agents download a conversation's files (`GET
 * api/v1/attachments/{id}`, if they served it or supervise); a web chat
 * customer uploads a file with its conversation token
 * (`POST api/v1/chat/attachments?name=…`, the raw file as the body, its type
 * as Content-Type) and sends it with their next message. Types and sizes are
 * checked (channels/attachments.ts); files are served as downloads that
 * never run in Parley's origin.
 */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { refuseAttachment, safeFileName } from '../channels/index.ts';
import type { AppContext } from '../context.ts';
import { hashConversationToken } from '../realtime/index.ts';
import { restHelpers } from './helpers.ts';
import { IdParams } from './schemas.ts';

/** The header that carries a web chat customer's conversation token. */
export const CONVERSATION_HEADER = 'x-parley-conversation';

const UploadQuery = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, description: 'The file name' }) },
  { additionalProperties: false },
);

function sendFile(reply: FastifyReply, file: { name: string; contentType: string; data: Buffer }) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${safeFileName(file.name)}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, no-store')
    .send(file.data);
}

export function attachmentRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller, seesDetail } = restHelpers(ctx);
    const maxBytes = ctx.config.channels.attachmentMaxBytes;

    /** The conversation a customer's token opens (401 without one that works). */
    const conversationOf = async (tenantId: string, header: string | string[] | undefined): Promise<string> => {
      const token = typeof header === 'string' ? header : '';
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token))
        throw CodedError.unauthorized(`Send the conversation token in the ${CONVERSATION_HEADER} header.`);
      const id = await ctx.interactions.conversationIdByToken(tenantId, hashConversationToken(token));
      if (!id) throw CodedError.unauthorized('Unknown conversation token.');
      return id;
    };

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/attachments/:id',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const { user } = await caller(request);
        const file = await ctx.interactions.attachment(request.tenant.id, request.params.id, {
          userId: user.id,
          supervisor: seesDetail(user),
        });
        if (!file) throw new CodedError('not_found', `No attachment ${request.params.id}.`);
        return sendFile(reply, file);
      },
    );

    // Every type (text and JSON too) is read as bytes here; the handler decides what is allowed, with a reason.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
      done(null, body),
    );
    app.post<{ Querystring: Static<typeof UploadQuery> }>(
      '/api/v1/chat/attachments',
      { schema: { querystring: UploadQuery, security: [] }, bodyLimit: maxBytes },
      async (request, reply) => {
        const conversationId = await conversationOf(request.tenant.id, request.headers[CONVERSATION_HEADER]);
        const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const file = {
          name: safeFileName(request.query.name),
          contentType: (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
          data,
        };
        const refused = refuseAttachment(file, maxBytes);
        if (refused) throw CodedError.invalidArgument(refused);
        const stored = await ctx.interactions.addAttachment(request.tenant.id, conversationId, file);
        return reply.code(201).send(stored);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/chat/attachments/:id',
      { schema: { params: IdParams, security: [] } },
      async (request, reply) => {
        const conversationId = await conversationOf(request.tenant.id, request.headers[CONVERSATION_HEADER]);
        const file = await ctx.interactions.attachment(request.tenant.id, request.params.id, { conversationId });
        if (!file) throw new CodedError('not_found', `No attachment ${request.params.id} in this conversation.`);
        return sendFile(reply, file);
      },
    );
  };
}
