/**
 * The playground host page, served on its own port so it is a different
 * origin from the panel, as a CRM would be.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log/index.ts';
import { FAVICON_SVG, faviconIco } from './home.ts';

/** Builds the playground server; `baseUrl` is the Parley tenant base URL it embeds. */
export async function buildPlayground(options: {
  dist: string;
  baseUrl: string;
  log: Logger;
}): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.log as FastifyBaseLogger });
  const panelOrigin = new URL(options.baseUrl).origin;
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${panelOrigin}`,
    "style-src 'self' 'unsafe-inline'",
    `frame-src ${panelOrigin}`,
    `connect-src 'self' ${panelOrigin} ${panelOrigin.replace(/^http/, 'ws')}`,
    // The Webex mode plays the caller's audio from a MediaStream.
    "media-src 'self' blob: mediastream:",
    "object-src 'none'",
  ].join('; ');
  // The two modes: the panel (SDK, CPC) at /, Webex CC (headless) at /webex.
  for (const [route, file] of [
    ['/', 'index.html'],
    ['/webex', 'webex.html'],
  ] as const) {
    const page = path.join(options.dist, file);
    app.get(route, async (_request, reply) => {
      if (!fs.existsSync(page))
        return reply.code(503).type('text/plain').send('The playground is not built. Run `npm run build`.');
      const html = injectBaseUrl(fs.readFileSync(page, 'utf8'), options.baseUrl);
      return reply.header('content-security-policy', csp).type('text/html; charset=utf-8').send(html);
    });
  }
  if (fs.existsSync(path.join(options.dist, 'assets'))) {
    await app.register(fastifyStatic, { root: path.join(options.dist, 'assets'), prefix: '/assets/' });
  }
  // A customer's view for the demo: a shop page with the web-chat widget, as a business would put it on its site.
  app.get('/shop', async (_request, reply) => {
    const src = new URL('widget.js', options.baseUrl).href.replace(/"/g, '&quot;');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem"><h1>Demo shop</h1>
<p>A customer's page. Press <strong>Chat with us</strong>; an agent who is ready in the playground gets the chat.
<strong>Call us</strong> calls the Sales line from the browser (allow the microphone).</p>
<script src="${src}" data-address="webchat" data-call="+15555550100" defer></script></body></html>`;
    return reply
      .header(
        'content-security-policy',
        `default-src 'self'; script-src ${panelOrigin}; connect-src ${panelOrigin} ${panelOrigin.replace(/^http/, 'ws')}; style-src 'unsafe-inline'`,
      )
      .type('text/html; charset=utf-8')
      .send(html);
  });
  const ico = faviconIco();
  app.get('/favicon.ico', async (_request, reply) => reply.type('image/x-icon').send(ico));
  app.get('/favicon.svg', async (_request, reply) => reply.type('image/svg+xml').send(FAVICON_SVG));
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}

const BASE_URL_META = /<meta\s+name="parley-base-url"\s+content="[^"]*"\s*\/?>/;

/** Fills the playground's `<meta name="parley-base-url">`; throws when the page lost the tag. */
export function injectBaseUrl(html: string, baseUrl: string): string {
  if (!BASE_URL_META.test(html))
    throw new Error('playground index.html has no <meta name="parley-base-url" content="">');
  const escaped = baseUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return html.replace(BASE_URL_META, `<meta name="parley-base-url" content="${escaped}" />`);
}
