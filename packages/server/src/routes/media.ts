/**
 * The media plane's edges: `GET /ws/phone` (the virtual PSTN and
 * click-to-call), and the recordings REST interface
 * (`GET /api/v1/interactions/:id/recordings`, `GET /api/v1/recordings/:id`)
 * with rights checks: the agent whose call it was, or a supervisor.
 */
import { CodedError } from '@parley/protocol';
import fs from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { mayRead } from '../access/index.ts';
import { requireCaller } from '../http/index.ts';
import { findInteraction } from '../interactions/index.ts';
import type { AppContext } from '../context.ts';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }, { additionalProperties: false });

export function mediaRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/ws/phone', { websocket: true }, (socket, request) => {
      if (!ctx.sockets.admit(socket, 'phone', request.ip, request.ip)) return;
      ctx.media.pstn(request.tenant.id).accept(socket, request.ip);
    });

    /** The interaction's recordings (every leg of the call it belongs to that the caller may see). */
    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/interactions/:id/recordings',
      { schema: { params: IdParams } },
      async (request) => {
        const caller = await requireCaller(ctx, request);
        const found = await findInteraction(ctx.db, request.tenant.id, request.params.id);
        if (!found) throw new CodedError('not_found', `No interaction ${request.params.id}.`);
        if (!mayRead(caller.user, found))
          throw CodedError.forbidden('Only the agent who had the call, or a supervisor, may list its recordings.');
        const list = await ctx.recorder.list(request.tenant.id, [found.id]);
        return list.map((r) => ({ ...r, url: `api/v1/recordings/${r.id}` }));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/recordings/:id',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const caller = await requireCaller(ctx, request);
        const found = await ctx.recorder.find(request.tenant.id, request.params.id);
        if (!found) throw new CodedError('not_found', `No recording ${request.params.id}.`);
        if (!mayRead(caller.user, { agentId: found.row.agent_id }))
          throw CodedError.forbidden('Only the agent who had the call, or a supervisor, may listen to it.');
        let stream: fs.ReadStream;
        try {
          await fs.promises.access(found.path, fs.constants.R_OK);
          stream = fs.createReadStream(found.path);
        } catch {
          throw new CodedError('not_found', `The file of recording ${request.params.id} is missing.`);
        }
        return reply
          .header('content-type', 'audio/wav')
          .header('content-disposition', `attachment; filename="${found.row.interaction_id}-${found.row.id}.wav"`)
          .header('cache-control', 'private, no-store')
          .send(stream);
      },
    );
  };
}
