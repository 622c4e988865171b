/**
 * buildApp(): the whole server without listening, so tests use inject() and
 * real sockets alike. main.ts adds listen() and signal handling. The server
 * is composed of plugins (plugins/): the outside libraries, then the
 * services in dependency order, then the routes with the context.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DestinationStream } from 'pino';
import type { Dispatcher } from './channels/index.ts';
import type { Config } from './config/index.ts';
import type { AppContext } from './context.ts';
import { demoPageRoutes, demoProviderRoutes, mailboxRoutes } from './demo/index.ts';
import { buildPlayground, consoleRoutes, DEFAULT_DIST, homeRoutes, panelRoutes, type DistPaths } from './http/index.ts';
import type { InteractionServiceOptions } from './interactions/index.ts';
import { createLogger, type Logger } from './log/index.ts';
import {
  authPlugin,
  busPlugin,
  channelsPlugin,
  configPlugin,
  contextPlugin,
  corsPlugin,
  httpPlugin,
  interactionsPlugin,
  mediaPlugin,
  realtimePlugin,
  rewriteTenantUrl,
  storePlugin,
  swaggerPlugin,
  tenantsPlugin,
  websocketPlugin,
} from './plugins/index.ts';
import {
  authRoutes,
  customerRoutes,
  mediaRoutes,
  realtimeRoutes,
  webhookRoutes,
  WS_MAX_PAYLOAD,
} from './routes/index.ts';
import { restRoutes } from './rest/index.ts';
import { riRoutes } from './ri/index.ts';
import { pingStore, type Database } from './store/index.ts';
import type { Tenant } from './tenants/index.ts';

export interface AppOptions {
  readonly config: Config;
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logStream?: DestinationStream;
  /** Where the built panel, SDK and playground are; the workspace's dist folders by default. */
  readonly dist?: Partial<DistPaths>;
  /** SQLite file; `{dataDir}/parley.sqlite` by default. Ignored when DATABASE_URL is set. */
  readonly sqliteFile?: string;
  /** Routing clock and timers (tests drive time themselves). */
  readonly interactions?: Pick<InteractionServiceOptions, 'clock' | 'timers' | 'routing'>;
  /**
   * Voice in tests: with `scriptedFarParty`, calls to numbers no phone has
   * registered are not refused; the demo REST API plays the far party
   * (`POST /api/v1/demo/interactions/:id/remote`) instead of the virtual PSTN.
   */
  readonly voice?: { readonly scriptedFarParty?: boolean };
  /** How often every open socket's session is checked in full (15 s by default; tests of idle lifetimes want less). */
  readonly sessionSweepMs?: number;
  /** The login limits' clock, in ms (tests hold time still so a delay cannot run out under a slow machine). */
  readonly authClock?: () => number;
}

export interface ParleyApp {
  /** The Parley server: panel, REST, WebSocket. */
  readonly app: FastifyInstance;
  /** The playground host page on its own origin, or null when turned off. */
  readonly playground: FastifyInstance | null;
  readonly db: Kysely<Database>;
  /** The default tenant (served at `/`). */
  readonly tenant: Tenant;
  readonly ctx: AppContext;
  readonly log: Logger;
  /** The inbound SMTP server's port, or null when it is off. */
  readonly smtpPort: number | null;
  /** Sends stored SMS, WhatsApp and email messages (tests wait for it with idle()). */
  readonly dispatcher: Dispatcher;
  /** Stops accepting, closes sockets and the store. */
  close(): Promise<void>;
}

/** The playground's origin for a configuration, or null when it is off. */
export function playgroundOrigin(config: Config): string | null {
  return config.playgroundPort === null ? null : `http://${config.playgroundHost}:${config.playgroundPort}`;
}

/** Builds the server (and the playground) from a validated configuration. */
export async function buildApp(options: AppOptions): Promise<ParleyApp> {
  const { config } = options;
  const dist: DistPaths = { ...DEFAULT_DIST, ...options.dist };
  const log = createLogger(config.logLevel, options.logStream);
  const playOrigin = playgroundOrigin(config);

  const app = Fastify({
    loggerInstance: log.child({ subsystem: 'http' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Only the configured proxies' X-Forwarded-For counts: request.ip is what every per-address limit uses.
    trustProxy: config.trustProxy.length ? [...config.trustProxy] : false,
    routerOptions: { ignoreTrailingSlash: true },
    // Unknown properties are an error the caller must see, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    // `/t/{slug}/rest` is routed as `/rest` for tenant {slug}.
    rewriteUrl: rewriteTenantUrl,
  });

  // The outside libraries, then the services in dependency order (each plugin names its own).
  await app.register(configPlugin, { config, log });
  await app.register(httpPlugin);
  await app.register(storePlugin, { sqliteFile: options.sqliteFile });
  await app.register(busPlugin);
  await app.register(tenantsPlugin, { playgroundOrigin: playOrigin });
  await app.register(corsPlugin);
  await app.register(websocketPlugin, { maxPayload: WS_MAX_PAYLOAD });
  await app.register(swaggerPlugin);
  await app.register(authPlugin, { clock: options.authClock });
  await app.register(interactionsPlugin, options.interactions ?? {});
  await app.register(mediaPlugin, { scriptedFarParty: options.voice?.scriptedFarParty === true });
  await app.register(realtimePlugin, { sessionSweepMs: options.sessionSweepMs });
  await app.register(channelsPlugin);
  await app.register(contextPlugin);

  const { db, parley: ctx, gateway, interactions, media, dispatcher, relay, defaultTenant: tenant } = app;
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await pingStore(db);
    } catch (err) {
      // What load balancers and orchestrators read as "take me out of rotation", not a crash.
      log.warn({ err }, 'health check: the database does not answer');
      return reply.code(503).send({ status: 'unavailable', message: 'The database does not answer.' });
    }
    return reply.send({ status: 'ok', agents_online: gateway.size });
  });
  await app.register(authRoutes(ctx));
  await app.register(realtimeRoutes(ctx));
  await app.register(customerRoutes(ctx));
  await app.register(restRoutes(ctx));
  await app.register(riRoutes(ctx));
  await app.register(panelRoutes(ctx, dist));
  await app.register(consoleRoutes(ctx, dist.console));
  await app.register(homeRoutes(ctx));
  await app.register(webhookRoutes(ctx));
  await app.register(mediaRoutes(ctx));
  if (config.demo) {
    await app.register(demoProviderRoutes(ctx));
    if (relay) await app.register(mailboxRoutes(ctx, relay, () => app.smtpPort));
    await app.register(demoPageRoutes(ctx));
  }

  // Waiting contacts, offers and wrap-ups of before a restart carry on.
  await interactions.start();
  const lostCalls = await media.recover();
  if (lostCalls > 0) log.warn({ calls: lostCalls }, 'calls in progress when the last process stopped were ended');
  // Messages stored but not sent when the last process stopped go out now.
  await dispatcher.start(await interactions.tenantsWithQueuedMessages());

  const playground = playOrigin
    ? await buildPlayground({
        dist: dist.playground,
        baseUrl: config.publicUrl,
        log: log.child({ subsystem: 'playground' }),
      })
    : null;

  return {
    app,
    playground,
    db,
    tenant,
    ctx,
    log,
    smtpPort: app.smtpPort,
    dispatcher,
    async close() {
      // Senders and listeners first, then the services, then HTTP and the store: nothing writes to a closed store.
      dispatcher.close();
      await app.inboundSmtp?.close();
      app.mailer?.close();
      await relay?.close();
      interactions.close();
      gateway.close();
      await media.close();
      app.customers.close();
      await Promise.all([app.close(), playground?.close()]);
      await db.destroy();
    },
  };
}
