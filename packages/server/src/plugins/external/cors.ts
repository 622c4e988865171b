/**
 * CORS: only the tenant's allowlisted host origins, with credentials (CPC
 * clients log in from the host page); the web chat's public routes from any
 * site, without credentials (its token is its only key).
 */
import fastifyCors from '@fastify/cors';
import fp from 'fastify-plugin';
import type { Tenant } from '../../tenants/index.ts';
import { PLUGIN } from '../decorations.ts';

const PUBLIC_CHAT = /\/api\/v1\/chat(\/(attachments(\/[0-9a-f]{32})?|availability|messages|transcript))?$/;

export const corsPlugin = fp(
  async (app) => {
    const { origins } = app;
    await app.register(fastifyCors, {
      delegator: (request, cb) => {
        const req = request as unknown as {
          tenant?: Tenant;
          headers: Record<string, string | undefined>;
          url?: string;
        };
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (PUBLIC_CHAT.test(path) || path.endsWith('/panel/embed-check')) {
          cb(null, {
            origin: true,
            credentials: false,
            methods: ['GET', 'POST'],
            allowedHeaders: ['Content-Type', 'X-Parley-Conversation'],
            maxAge: 600,
          });
          return;
        }
        cb(null, {
          origin: req.tenant ? origins.isAllowedOrigin(req.tenant, req.headers['origin']) : false,
          credentials: true,
          methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
          allowedHeaders: ['Authorization', 'Content-Type'],
          maxAge: 600,
        });
      },
    });
  },
  { name: PLUGIN.cors, dependencies: [PLUGIN.tenants] },
);
