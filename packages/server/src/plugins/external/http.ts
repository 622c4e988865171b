/**
 * What every request goes through: the error answers (a code becomes its
 * catalogue status), the input guards, cookies and form bodies (provider
 * webhooks).
 */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fp from 'fastify-plugin';
import { installErrorHandlers, installInputGuards } from '../../http/index.ts';
import { PLUGIN } from '../decorations.ts';

export const httpPlugin = fp(
  async (app) => {
    installErrorHandlers(app);
    installInputGuards(app);
    await app.register(fastifyCookie);
    await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  },
  { name: PLUGIN.http },
);
