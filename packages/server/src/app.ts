/**
 * buildApp(): the whole server without listening, so tests use inject() and
 * real sockets alike. main.ts adds listen() and signal handling.
 */
import { CodedError } from '@parley/protocol';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DestinationStream } from 'pino';
import { AgentService } from './agents/index.ts';
import { AuthService, pruneSessionEnds, sessionsEndedSince, sweepSessions } from './auth/index.ts';
import { InProcessBus } from './bus/index.ts';
import type { Config } from './config/index.ts';
import type { AppContext } from './context.ts';
import { randomBytes } from 'node:crypto';
import {
  Dispatcher,
  HttpMessagingProvider,
  InboundSmtp,
  SmtpMailer,
  type Mailer,
  type MessagingProvider,
} from './channels/index.ts';
import { CaptureRelay, demoPageRoutes, demoProviderRoutes, mailboxRoutes, seedDemo } from './demo/index.ts';
import { InteractionService, type InteractionServiceOptions } from './interactions/index.ts';
import {
  buildPlayground,
  DEFAULT_DIST,
  installErrorHandlers,
  installInputGuards,
  panelRoutes,
  WS_PROTOCOL,
  type DistPaths,
} from './http/index.ts';
import { createLogger, type Logger } from './log/index.ts';
import { AgentGateway, CustomerGateway, DEFAULT_SOCKET_LIMITS, SocketLimits } from './realtime/index.ts';
import { MediaPlane, Recorder } from './media/index.ts';
import {
  authRoutes,
  customerRoutes,
  mediaRoutes,
  realtimeRoutes,
  secretOf,
  webhookRoutes,
  WS_MAX_PAYLOAD,
} from './routes/index.ts';
import { restRoutes } from './rest/index.ts';
import { riRoutes } from './ri/index.ts';
import { openStore, type Database } from './store/index.ts';
import {
  DEFAULT_TENANT_SLUG,
  ensureTenant,
  findTenant,
  setWebhookSecret,
  webhookSecret,
  splitTenantUrl,
  tenantBasePath,
  TenantRegistry,
  type Tenant,
} from './tenants/index.ts';

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

const TENANT_SLUG = Symbol('parley.tenantSlug');
type TaggedRequest = IncomingMessage & { [TENANT_SLUG]?: string };

/** Builds the server (and the playground) from a validated configuration. */
export async function buildApp(options: AppOptions): Promise<ParleyApp> {
  const { config } = options;
  const dist: DistPaths = { ...DEFAULT_DIST, ...options.dist };
  const log = createLogger(config.logLevel, options.logStream);
  const db = await openStore({
    sqliteFile: options.sqliteFile ?? path.join(config.dataDir, 'parley.sqlite'),
    databaseUrl: config.databaseUrl,
  });

  const playOrigin = playgroundOrigin(config);
  const tenant = config.demo
    ? await seedDemo(db, { password: config.demoPassword, allowedOrigins: playOrigin ? [playOrigin] : [] })
    : await ensureTenant(db, { slug: DEFAULT_TENANT_SLUG, name: 'Parley' });

  const lifetimes = { idleSeconds: config.sessionIdleSeconds, maxSeconds: config.sessionMaxSeconds };
  const bus = new InProcessBus((err, type) => log.error({ err, type }, 'bus subscriber failed'));
  const tenants = new TenantRegistry(db);
  tenants.remember(tenant);
  const agents = new AgentService(db, bus);
  const gateway: AgentGateway = new AgentGateway({
    log: log.child({ subsystem: 'realtime' }),
    bus,
    snapshot: (t, u) => agents.snapshot(t, u),
    agentState: (t, u, connected) => agents.agentState(t, u, connected),
    interactions: () => interactions,
    typing: (t, agentId, interactionId) =>
      void interactions.typing(t, { agentId, interactionId }).catch(() => undefined),
    media: {
      offer: (t, u, sdp, owner) => media.attachStation(t, u, sdp, owner),
      closed: (t, u, owner) => media.detachStation(t, u, owner),
    },
    sessions: {
      endedSince: (cursor) => sessionsEndedSince(db, cursor),
      sweep: async (hashes) => {
        await pruneSessionEnds(db);
        return sweepSessions(db, hashes, lifetimes);
      },
      // The agent's last session is over: offline, as after a logout.
      ended: async (tenantId, userId) => {
        const left = await db
          .selectFrom('sessions')
          .select('token_hash')
          .where('user_id', '=', userId)
          .executeTakeFirst();
        const t = left ? null : await findTenant(db, tenantId);
        if (t) await agents.loggedOut(t, userId);
      },
      ...(options.sessionSweepMs ? { sweepMs: options.sessionSweepMs } : {}),
    },
  });
  const interactions = new InteractionService({
    db,
    bus,
    log: log.child({ subsystem: 'routing' }),
    isOnline: (t, u) => gateway.isOnline(t, u),
    routing: config.routing,
    ...(options.voice?.scriptedFarParty ? {} : { reachable: (t: string, n: string) => media.reachable(t, n) }),
    ...options.interactions,
  });
  const recorder = new Recorder({ db, dataDir: config.dataDir, log: log.child({ subsystem: 'recorder' }) });
  const repaired = await recorder.repair();
  if (repaired > 0) log.info({ repaired }, 'recordings left open by a crash were completed');
  const media: MediaPlane = new MediaPlane({
    bus,
    db,
    log: log.child({ subsystem: 'media' }),
    interactions: () => interactions,
    recorder,
    network: {
      address: config.voice.mediaAddress,
      ...(config.voice.mediaPorts ? { ports: config.voice.mediaPorts } : {}),
    },
    virtualPstn: config.voice.virtualPstn,
    reattachSeconds: config.voice.reattachSeconds,
    ringSeconds: config.voice.ringSeconds,
    dialsPerMinute: config.voice.callsPerMinute,
    scriptedFarParty: options.voice?.scriptedFarParty === true,
    journal: path.join(config.dataDir, 'calls-in-progress.json'),
  });
  const allowedOrigins = (t: Tenant) =>
    t.slug === DEFAULT_TENANT_SLUG ? [...new Set([...t.allowedOrigins, ...config.allowedOrigins])] : t.allowedOrigins;
  const customers: { current: CustomerGateway | null } = { current: null };
  let mailer: Mailer | null = null;
  const ctx: AppContext = {
    config,
    db,
    log,
    bus,
    tenants,
    selfOrigin: new URL(config.publicUrl).origin,
    lifetimes,
    auth: new AuthService({
      db,
      log: log.child({ subsystem: 'auth' }),
      lifetimes,
      ...(options.authClock ? { now: options.authClock } : {}),
    }),
    agents,
    gateway,
    sockets: new SocketLimits(
      {
        perKey: {
          agent: config.sockets.perAgent,
          customer: config.sockets.perAddress,
          phone: config.sockets.perAddress,
        },
        total: DEFAULT_SOCKET_LIMITS.total,
        // A panel carries the host's commands (a script may send many): ten times the public sockets' rate.
        framesPerSecond: {
          agent: config.sockets.framesPerSecond * 10,
          customer: config.sockets.framesPerSecond,
          phone: config.sockets.framesPerSecond,
        },
        sendBufferBytes: config.sockets.sendBufferBytes,
      },
      log.child({ subsystem: 'sockets' }),
    ),
    interactions,
    media,
    recorder,
    get mailer(): Mailer | null {
      return mailer;
    },
    get customers(): CustomerGateway {
      if (!customers.current) throw new Error('the customer gateway starts with the app');
      return customers.current;
    },
    baseUrlOf: (t) => new URL(tenantBasePath(t.slug).slice(1), config.publicUrl).href,
    allowedOrigins,
    isAllowedOrigin: (t, origin) => origin !== undefined && allowedOrigins(t).includes(origin),
  };

  const app = Fastify({
    loggerInstance: log.child({ subsystem: 'http' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Only the configured proxies' X-Forwarded-For counts: request.ip is what every per-address limit uses.
    trustProxy: config.trustProxy.length ? [...config.trustProxy] : false,
    routerOptions: { ignoreTrailingSlash: true },
    // Unknown properties are an error the caller must see, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    // `/t/{slug}/rest` is routed as `/rest` for tenant {slug}.
    rewriteUrl: (req) => {
      const { slug, url } = splitTenantUrl(req.url ?? '/');
      (req as TaggedRequest)[TENANT_SLUG] = slug;
      return url;
    },
  });
  installErrorHandlers(app);
  installInputGuards(app);
  app.decorateRequest('tenant', null as unknown as Tenant);
  app.addHook('onRequest', async (request) => {
    const slug = (request.raw as TaggedRequest)[TENANT_SLUG] ?? DEFAULT_TENANT_SLUG;
    const found = await tenants.get(slug);
    if (!found) throw new CodedError('not_found', `No tenant ${JSON.stringify(slug)}.`);
    request.tenant = found;
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  await app.register(fastifyCors, {
    // Only the tenant's allowlisted host origins get CORS, with credentials (CPC clients log in from the host page).
    delegator: (request, cb) => {
      const req = request as unknown as { tenant?: Tenant; headers: Record<string, string | undefined>; url?: string };
      // The web chat is started from any site, without credentials: its token is its only key.
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (/\/api\/v1\/chat(\/(attachments(\/[0-9a-f]{32})?|availability|messages|transcript))?$/.test(path)) {
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
        origin: req.tenant ? ctx.isAllowedOrigin(req.tenant, req.headers['origin']) : false,
        credentials: true,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type'],
        maxAge: 600,
      });
    },
  });
  await app.register(fastifyWebsocket, {
    // A client's broken frames or dropped connection are the client's doing: info with its address, so the
    // operator's error level holds only the server's own failures.
    errorHandler: (error, socket, request) => {
      const code = (error as { code?: unknown }).code;
      const client =
        (typeof code === 'string' &&
          (code.startsWith('WS_ERR_') || ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))) ||
        error instanceof RangeError;
      if (client)
        request.log.info({ err: error, client: request.ip }, 'a WebSocket client broke the protocol or the connection');
      else request.log.error({ err: error, client: request.ip }, 'WebSocket handler failed');
      socket.terminate();
    },
    options: {
      maxPayload: WS_MAX_PAYLOAD,
      // A client that offers subprotocols (the panel's token fallback) must get one back.
      handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    },
  });

  // OpenAPI from the route schemas; the document at /docs/json, a browsable UI at /docs.
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Parley API',
        version: '0.1.0',
        description: 'REST interfaces of the Parley contact center. See docs/rest-api.md.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'parley_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'A session token from POST /api/v1/auth/login' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      // What load balancers and orchestrators read as "take me out of rotation", not a crash.
      log.warn({ err }, 'health check: the database does not answer');
      return reply.code(503).send({ status: 'unavailable', message: 'The database does not answer.' });
    }
    return reply.send({ status: 'ok', agents_online: gateway.size });
  });
  await app.register(authRoutes(ctx));
  await app.register(realtimeRoutes(ctx));
  customers.current = new CustomerGateway(ctx);
  await app.register(customerRoutes(ctx));
  await app.register(restRoutes(ctx));
  await app.register(riRoutes(ctx));
  await app.register(panelRoutes(ctx, dist));
  await app.register(webhookRoutes(ctx));
  await app.register(mediaRoutes(ctx));

  // ── channels: SMS/WhatsApp provider, email relay, inbound SMTP ──────────
  const channels = config.channels;
  // The demo signs its webhooks with a secret of its own, made once and kept.
  if (config.demo && !channels.webhookSecret && !(await webhookSecret(db, tenant.id)))
    await setWebhookSecret(db, tenant.id, randomBytes(24).toString('base64url'));
  let relay: CaptureRelay | null = null;
  if (channels.smtpRelay) mailer = new SmtpMailer(channels.smtpRelay);
  else if (config.demo) {
    relay = new CaptureRelay(db, log.child({ subsystem: 'mailbox' }));
    mailer = new SmtpMailer(await relay.start());
  }
  let sms: MessagingProvider | null = null;
  if (channels.smsProviderUrl)
    sms = new HttpMessagingProvider({
      url: channels.smsProviderUrl,
      account: channels.smsProviderAccount,
      token: channels.smsProviderToken,
    });
  else if (config.demo)
    sms = new HttpMessagingProvider({
      url: `${config.publicUrl}demo/provider/2010-04-01/Accounts/demo/Messages.json`,
      account: 'demo',
      token: await secretOf(ctx, tenant),
    });
  const dispatcher = new Dispatcher({
    bus,
    log: log.child({ subsystem: 'dispatch' }),
    interactions,
    sms,
    mail: mailer,
    statusCallback: async (tenantId, messageId) => {
      const t = await findTenant(db, tenantId);
      return `${t ? ctx.baseUrlOf(t) : config.publicUrl}webhooks/status?message=${messageId}`;
    },
  });
  let inboundSmtp: InboundSmtp | null = null;
  let smtpPort: number | null = null;
  if (channels.smtpPort !== null) {
    inboundSmtp = new InboundSmtp({
      db,
      log: log.child({ subsystem: 'smtp' }),
      interactions,
      maxBytes: channels.mailMaxBytes,
      attachmentMaxBytes: channels.attachmentMaxBytes,
      limits: {
        connections: channels.smtpMaxConnections,
        perAddress: channels.smtpConnectionsPerAddress,
        idleMs: channels.smtpIdleSeconds * 1000,
        recipients: channels.smtpMaxRecipients,
      },
    });
    smtpPort = await inboundSmtp.listen(channels.smtpPort, channels.smtpHost);
  }
  if (config.demo) {
    await app.register(demoProviderRoutes(ctx));
    if (relay) await app.register(mailboxRoutes(ctx, relay, () => smtpPort));
    await app.register(demoPageRoutes(ctx));
  }

  // Waiting contacts, offers and wrap-ups of before a restart carry on.
  await interactions.start();
  const lostCalls = await media.recover();
  if (lostCalls > 0) log.warn({ calls: lostCalls }, 'calls in progress when the last process stopped were ended');
  // Messages stored but not sent when the last process stopped go out now.
  const queuedTenants = await db
    .selectFrom('messages')
    .select('tenant_id')
    .where('status', '=', 'queued')
    .where('direction', '=', 'out')
    .groupBy('tenant_id')
    .execute();
  await dispatcher.start(queuedTenants.map((t) => t.tenant_id));

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
    smtpPort,
    dispatcher,
    async close() {
      dispatcher.close();
      await inboundSmtp?.close();
      mailer?.close();
      await relay?.close();
      interactions.close();
      gateway.close();
      await media.close();
      customers.current?.close();
      await Promise.all([app.close(), playground?.close()]);
      await db.destroy();
    },
  };
}
