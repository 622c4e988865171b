/**
 * Serves the panel: the same app at Parley's path and at the CPC
 * compatibility paths, framable only by allowlisted origins.
 */
import { CodedError } from '@parley/protocol';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';

/** The config the panel reads at start, embedded in its HTML (no extra round trip). */
export interface PanelBootConfig {
  readonly baseUrl: string;
  readonly tenantName: string;
  readonly allowedOrigins: readonly string[];
  /** True on the SSO pages: the panel waits for a token from the host instead of showing the form. */
  readonly sso: boolean;
}

/** The panel pages and what they are. */
export const PANEL_PAGES: ReadonlyArray<{ readonly url: string; readonly sso: boolean }> = [
  { url: '/panel/embedded', sso: false },
  { url: '/panel/embedded_sso', sso: true },
  { url: '/ecf/latest/communicationpanel/embedded.html', sso: false },
  { url: '/ecf/latest/communicationpanel/embedded_sso.html', sso: true },
];

/** Builds the Content-Security-Policy of panel pages: `frame-ancestors` is the allowlist. */
export function panelCsp(selfOrigin: string, allowedOrigins: readonly string[]): string {
  return appCsp(selfOrigin, `'self' ${allowedOrigins.join(' ')}`.trim());
}

/** The Content-Security-Policy of Parley's own app pages (panel, console): only `frame-ancestors` differs. */
export function appCsp(selfOrigin: string, frameAncestors: string): string {
  const ws = selfOrigin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** Puts the boot config and a `<base>` into the built index.html. */
export function renderPanelHtml(template: string, config: PanelBootConfig): string {
  // `<` is escaped so no value can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const head = `<base href="${config.baseUrl}panel/"><link rel="icon" href="${config.baseUrl}favicon.svg"><script type="application/json" id="parley-config">${json}</script>`;
  return template.replace('<head>', `<head>${head}`);
}

/** Registers the panel pages, their assets and the SDK files. */
export function panelRoutes(
  ctx: AppContext,
  dist: { panel: string; sdk: string; widget: string; agent: string; webex: string },
) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const indexFile = path.join(dist.panel, 'index.html');
    // Read per request (a few hundred bytes): a rebuild of the panel never leaves a stale page behind.
    const loadTemplate = (): string | null => (fs.existsSync(indexFile) ? fs.readFileSync(indexFile, 'utf8') : null);

    const send = (request: FastifyRequest, reply: FastifyReply, sso: boolean) => {
      const html = loadTemplate();
      if (html === null) {
        return reply
          .code(503)
          .type('text/plain')
          .send('The panel is not built. Run `npm run build` (npm start does this).');
      }
      const tenant = request.tenant;
      const allowed = ctx.allowedOrigins(tenant);
      return reply
        .header('content-security-policy', panelCsp(ctx.selfOrigin, allowed))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(
          renderPanelHtml(html, {
            baseUrl: ctx.baseUrlOf(tenant),
            tenantName: tenant.name,
            allowedOrigins: allowed,
            sso,
          }),
        );
    };
    for (const page of PANEL_PAGES)
      app.get(page.url, { schema: { hide: true } }, (request, reply) => send(request, reply, page.sso));
    // Whether the asking page may frame the panel: the SDK asks before framing, so a refused
    // embed fails at once with a reason instead of leaving the host waiting on a blank frame.
    // Readable from any origin (it says only whether that origin is on the list), never with credentials.
    app.get('/panel/embed-check', { schema: { hide: true } }, async (request, reply) => {
      const origin = request.headers['origin'];
      const allowed =
        origin === undefined || origin === ctx.selfOrigin || ctx.allowedOrigins(request.tenant).includes(origin);
      return reply.header('cache-control', 'no-store').send({ origin: origin ?? null, allowed });
    });

    if (fs.existsSync(path.join(dist.panel, 'assets'))) {
      await app.register(fastifyStatic, {
        root: path.join(dist.panel, 'assets'),
        prefix: '/panel/assets/',
        decorateReply: false,
        immutable: true,
        maxAge: '365d',
      });
    }
    // The customer chat widget, for a <script> tag on the business's own site.
    app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) => {
      const file = path.join(dist.widget, 'widget.js');
      if (!fs.existsSync(file)) throw new CodedError('not_found', 'The widget is not built: run npm run build.');
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('access-control-allow-origin', '*')
        .header('cache-control', 'public, max-age=300')
        .send(fs.readFileSync(file));
    });
    // The virtual PSTN's softphone: a customer's telephone in the browser (demo, tests).
    if (ctx.config.voice.virtualPstn) {
      app.get('/phone', { schema: { hide: true } }, async (_request, reply) =>
        reply
          .header('content-security-policy', PHONE_CSP)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(PHONE_PAGE),
      );
      app.get('/phone.js', { schema: { hide: true } }, async (_request, reply) => {
        const file = path.join(dist.widget, 'phone.js');
        if (!fs.existsSync(file)) throw new CodedError('not_found', 'The phone is not built: run npm run build.');
        return reply
          .header('content-type', 'text/javascript; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(fs.readFileSync(file));
      });
    }
    // The headless agent client and the Webex CC dialect on it, beside the SDK: loaded by host pages on other
    // origins with a plain <script> tag.
    const files = (stem: string) => [`${stem}.js`, `${stem}.js.map`, `${stem}.mjs`, `${stem}.mjs.map`, `${stem}.d.ts`];
    const headless: Array<readonly [string, string]> = [
      ...files('parley-agent').map((n) => [n, dist.agent] as const),
      ...files('webex').map((n) => [n, dist.webex] as const),
    ];
    for (const [name, dir] of headless) {
      app.get(`/sdk/${name}`, { schema: { hide: true } }, async (_request, reply) => {
        const file = path.join(dir, name);
        if (!fs.existsSync(file)) throw new CodedError('not_found', `${name} is not built: run npm run build.`);
        return reply
          .header(
            'content-type',
            name.endsWith('.map')
              ? 'application/json'
              : name.endsWith('.d.ts')
                ? 'text/plain; charset=utf-8'
                : 'text/javascript; charset=utf-8',
          )
          .header('cache-control', 'no-cache')
          .header('cross-origin-resource-policy', 'cross-origin')
          .header('access-control-allow-origin', '*')
          .send(fs.readFileSync(file));
      });
    }
    if (fs.existsSync(dist.sdk)) {
      // The SDK is loaded by host pages on other origins with a plain <script> tag.
      await app.register(fastifyStatic, {
        root: dist.sdk,
        prefix: '/sdk/',
        decorateReply: false,
        setHeaders: (res) => {
          res.setHeader('cross-origin-resource-policy', 'cross-origin');
          res.setHeader('access-control-allow-origin', '*');
        },
      });
    }
  };
}

const PHONE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "media-src 'self' blob: mediastream:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const PHONE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Phone — Parley virtual PSTN</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 420px; margin: 24px auto; padding: 0 12px; color: #0f172a; }
form { display: flex; gap: 6px; margin: 8px 0; }
input { flex: 1; font: inherit; padding: 6px 8px; }
button { font: inherit; padding: 6px 12px; cursor: pointer; }
#keys { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; margin: 8px 0; }
#status { font-weight: 600; min-height: 1.4em; }
[hidden] { display: none !important; }
ol { font-size: 13px; color: #475569; padding-left: 18px; }
</style>
</head>
<body data-call="idle">
<h1>Phone</h1>
<p>A telephone on Parley's virtual PSTN: take a number, call a queue's number (the demo's support line is +15555550100), or wait for an agent to call you.</p>
<form id="register"><label for="number">My number</label><input id="number" name="number" placeholder="+15555550111" autocomplete="off"><button>Register</button></form>
<form id="dial"><label for="to">Call</label><input id="to" name="to" placeholder="+15555550100" autocomplete="off"><button>Call</button></form>
<p id="status" role="status" aria-live="polite"></p>
<button id="answer" type="button" hidden>Answer</button>
<button id="reject" type="button" hidden>Decline</button>
<button id="hangup" type="button" hidden>Hang up</button>
<div id="keys" hidden aria-label="Keypad"></div>
<ol id="log" aria-label="Call log"></ol>
<script src="phone.js"></script>
</body>
</html>
`;
