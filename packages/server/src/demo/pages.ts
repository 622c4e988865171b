/**
 * The demo pages (demo mode only): `/handset`, a phone in the browser for
 * SMS and WhatsApp, and `/mailbox`, what customers received by email.
 * Plain HTML and script files next to this module, served with a strict CSP.
 */
import fs from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { listQueues } from '../queues/index.ts';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const file = (name: string) => fs.readFileSync(new URL(`./pages/${name}`, import.meta.url), 'utf8');

export function demoPageRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const pages: Array<[string, string, string]> = [
      ['/handset', 'handset.html', 'text/html; charset=utf-8'],
      ['/mailbox', 'mailbox.html', 'text/html; charset=utf-8'],
      ['/demo/handset.js', 'handset.js', 'text/javascript; charset=utf-8'],
      ['/demo/mailbox.js', 'mailbox.js', 'text/javascript; charset=utf-8'],
      ['/demo/pages.css', 'pages.css', 'text/css; charset=utf-8'],
    ];
    for (const [url, name, type] of pages) {
      const body = file(name);
      app.get(url, { schema: { hide: true } }, async (_request, reply) =>
        reply
          .header('content-security-policy', CSP)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-cache')
          .type(type)
          .send(body),
      );
    }

    const Query = Type.Object(
      { channel: Type.Union([Type.Literal('sms'), Type.Literal('whatsapp'), Type.Literal('email')]) },
      { additionalProperties: false },
    );
    // The queue addresses a demo customer can write to.
    app.get<{ Querystring: Static<typeof Query> }>(
      '/demo/addresses',
      { schema: { querystring: Query, hide: true } },
      async (request) => {
        const queues = await listQueues(ctx.db, request.tenant.id, request.query.channel);
        return queues.flatMap((q) => q.addresses.map((address) => ({ address, queue: q.name })));
      },
    );
  };
}
