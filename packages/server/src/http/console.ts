/**
 * Serves the console (`{base}console/`): a full-page app for supervisors and
 * admins on Parley's own origin. It is never framed (`frame-ancestors
 * 'none'`): it acts with supervisor rights, so no other page may overlay it.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { appCsp } from './panel.ts';

/** The Content-Security-Policy of the console page: framable by nobody. */
export function consoleCsp(selfOrigin: string): string {
  return appCsp(selfOrigin, "'none'");
}

export function consoleRoutes(ctx: AppContext, dist: string) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const indexFile = path.join(dist, 'index.html');
    // `/console` too (trailing slashes are ignored); the <base> keeps the assets' relative paths right.
    app.get('/console/', { schema: { hide: true } }, async (request, reply) => {
      if (!fs.existsSync(indexFile))
        return reply
          .code(503)
          .type('text/plain')
          .send('The console is not built. Run `npm run build` (npm start does this).');
      const base = ctx.baseUrlOf(request.tenant);
      // `<` is escaped so no value can close the script element.
      const json = JSON.stringify({ baseUrl: base, tenantName: request.tenant.name }).replace(/</g, '\\u003c');
      const head = `<base href="${base}console/"><link rel="icon" href="${base}favicon.svg"><script type="application/json" id="parley-config">${json}</script>`;
      return reply
        .header('content-security-policy', consoleCsp(ctx.selfOrigin))
        .header('x-content-type-options', 'nosniff')
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'same-origin')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(fs.readFileSync(indexFile, 'utf8').replace('<head>', `<head>${head}`));
    });
    if (fs.existsSync(path.join(dist, 'assets'))) {
      await app.register(fastifyStatic, {
        root: path.join(dist, 'assets'),
        prefix: '/console/assets/',
        decorateReply: false,
        immutable: true,
        maxAge: '365d',
      });
    }
  };
}
