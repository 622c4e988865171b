/**
 * Parley's REST API under `/api/v1` (docs/rest-api.md). Every route validates
 * its input by schema, resolves the caller from the session, checks rights
 * explicitly and never reaches another tenant's data: every query is scoped
 * by `request.tenant`.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { agentRoutes } from './agents.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { attachmentRoutes } from './attachments.ts';
import { chatRoutes } from './chat.ts';
import { clientLogRoutes } from './client-logs.ts';
import { customerRoutes } from './customers.ts';
import { transcriptRoutes } from './transcript.ts';
import { interactionRoutes } from './interactions.ts';
import { meRoutes } from './me.ts';
import { queueRoutes } from './queues.ts';
import { superviseRoutes } from './supervise.ts';
import { teamRoutes } from './teams.ts';
import { tenantRoutes } from './tenant.ts';
import { userRoutes } from './users.ts';

/** Registers `/api/v1/*` (besides the auth routes). */
export function restRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    for (const routes of [
      meRoutes,
      userRoutes,
      queueRoutes,
      teamRoutes,
      agentRoutes,
      tenantRoutes,
      interactionRoutes,
      chatRoutes,
      transcriptRoutes,
      attachmentRoutes,
      apiKeyRoutes,
      clientLogRoutes,
      customerRoutes,
      superviseRoutes,
    ])
      await app.register(routes(ctx));
  };
}
