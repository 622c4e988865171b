/**
 * The server's front door: `GET /` (and `/t/{slug}/`) is a page that says
 * what this is and where to go — the agent panel, the API reference, the
 * scripts integrators load, and in demo mode the demo's own pages — instead
 * of a JSON 404. And a favicon, so no page of Parley's logs a 404 for it.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Parley's mark: a speech bubble in the brand blue. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2563eb"/><path d="M8 9h16a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-8l-5 4v-4H8a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2z" fill="#fff"/></svg>`;

/**
 * The same mark as a 16×16 ICO (one 32-bit BMP image), for browsers that ask
 * for `/favicon.ico` whatever the page says. Drawn, not stored: a blue
 * rounded square with a white bubble.
 */
export function faviconIco(): Buffer {
  const size = 16;
  const pixels = Buffer.alloc(size * size * 4);
  const inBubble = (x: number, y: number) =>
    (x >= 3 && x <= 12 && y >= 4 && y <= 9) || (x >= 5 && x <= 6 && y >= 10 && y <= 12);
  const corner = (x: number, y: number) => {
    const cx = x < 3 ? 3 : x > 12 ? 12 : x;
    const cy = y < 3 ? 3 : y > 12 ? 12 : y;
    return (x - cx) ** 2 + (y - cy) ** 2 > 9;
  };
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      // BMP rows run bottom-up; pixels are BGRA.
      const at = ((size - 1 - y) * size + x) * 4;
      if (corner(x, y)) continue;
      const [r, g, b] = inBubble(x, y) ? [255, 255, 255] : [0x25, 0x63, 0xeb];
      pixels.writeUInt8(b, at);
      pixels.writeUInt8(g, at + 1);
      pixels.writeUInt8(r, at + 2);
      pixels.writeUInt8(255, at + 3);
    }
  const mask = Buffer.alloc(size * 4); // 1-bit AND mask, rows padded to 32 bits: all opaque (alpha decides)
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour and mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([header, pixels, mask]);
  const dir = Buffer.alloc(6 + 16);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // icon
  dir.writeUInt16LE(1, 4); // one image
  dir.writeUInt8(size, 6);
  dir.writeUInt8(size, 7);
  dir.writeUInt16LE(1, 10);
  dir.writeUInt16LE(32, 12);
  dir.writeUInt32LE(image.length, 14);
  dir.writeUInt32LE(dir.length, 18);
  return Buffer.concat([dir, image]);
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function homeRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const ico = faviconIco();
    app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('image/x-icon').header('cache-control', 'public, max-age=86400').send(ico),
    );
    app.get('/favicon.svg', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG),
    );
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const base = ctx.baseUrlOf(request.tenant);
      const link = (path: string, label: string, what: string) =>
        `<li><a href="${escape(base + path)}">${escape(label)}</a> — ${escape(what)}</li>`;
      const demo = ctx.config.demo
        ? `<h2>Demo</h2><ul>
${link('phone', 'Virtual phone', 'call a queue (the support line is +15555550100) or wait for an agent to call')}
${link('handset', 'SMS and WhatsApp handset', 'text the demo numbers')}
${link('mailbox', 'Mailbox', 'what customers received by email')}
</ul>${
            ctx.config.playgroundPort === null
              ? ''
              : `<p>The playground, a CRM on its own origin, is at <a href="http://${escape(ctx.config.playgroundHost)}:${ctx.config.playgroundPort}/">http://${escape(ctx.config.playgroundHost)}:${ctx.config.playgroundPort}/</a>. Demo users: agent1…agent5, supervisor, admin.</p>`
          }`
        : '';
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(request.tenant.name)} — Parley</title><link rel="icon" href="${escape(base)}favicon.svg">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#0f172a}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin-top:2rem}a{color:#1d4ed8}code{background:#f1f5f9;padding:0 .25rem;border-radius:3px}
@media (prefers-color-scheme: dark){body{background:#0f172a;color:#e2e8f0}a{color:#93c5fd}code{background:#1e293b}}</style></head>
<body><main><h1>${escape(request.tenant.name)}</h1><p>A Parley contact center.</p>
<h2>Agents</h2><ul>
${link('panel/embedded', 'Communication Panel', 'sign in and take calls, chats, SMS, WhatsApp and email')}
</ul>
<h2>Supervisors and admins</h2><ul>
${link('console/', 'Console', 'live wallboard and agent grid: who waits, who works, force states')}
</ul>
<h2>Integrators</h2><ul>
${link('docs', 'API reference', 'every REST route, with its schema (OpenAPI)')}
${link('sdk/parley.js', 'sdk/parley.js', 'embed the panel in your page (Parley.load, window.CPC)')}
${link('sdk/parley-agent.js', 'sdk/parley-agent.js', 'the headless agent client (ParleyAgent.connect)')}
${link('sdk/webex.js', 'sdk/webex.js', 'the Webex Contact Center dialect (webex.cc)')}
${link('widget.js', 'widget.js', 'web chat and click-to-call for your customers')}
</ul>${demo}</main></body></html>`;
      return reply
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .type('text/html; charset=utf-8')
        .send(html);
    });
  };
}
