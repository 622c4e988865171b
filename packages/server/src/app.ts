/**
 * buildApp(): the whole server without listening, so tests use inject() and
 * real sockets alike. main.ts adds listen() and signal handling.
 */
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyFormbody from '@fastify/formbody';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DestinationStream } from 'pino';
import { sql } from 'kysely';
import { authRoutes } from './auth/routes.ts';
import { AuthService } from './auth/service.ts';
import type { Config } from './config/index.ts';
import type { AppContext } from './context.ts';
import { seedDemo } from './demo/index.ts';
import { installErrorHandlers } from './http/errors.ts';
import { panelRoutes } from './http/panel.ts';
import { DEFAULT_DIST, type DistPaths } from './http/paths.ts';
import { buildPlayground } from './http/playground.ts';
import { createLogger, type Logger } from './log/index.ts';
import { AgentGateway, realtimeRoutes, WS_MAX_PAYLOAD } from './realtime/index.ts';
import { openStore, type Database } from './store/index.ts';
import { ensureTenant, type Tenant } from './tenants/index.ts';
import { findUser, listPresenceProfiles, toWireUser } from './users/index.ts';

export interface AppOptions {
  readonly config: Config;
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logStream?: DestinationStream;
  /** Where the built panel, SDK and playground are; the workspace's dist folders by default. */
  readonly dist?: Partial<DistPaths>;
  /** SQLite file; `{dataDir}/parley.sqlite` by default. */
  readonly sqliteFile?: string;
}

export interface ParleyApp {
  /** The Parley server: panel, REST, WebSocket. */
  readonly app: FastifyInstance;
  /** The playground host page on its own origin, or null when turned off. */
  readonly playground: FastifyInstance | null;
  readonly db: Kysely<Database>;
  readonly tenant: Tenant;
  readonly log: Logger;
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
  const db = await openStore({
    sqliteFile: options.sqliteFile ?? path.join(config.dataDir, 'parley.sqlite'),
    databaseUrl: config.databaseUrl,
  });

  const playOrigin = playgroundOrigin(config);
  const tenant = config.demo
    ? await seedDemo(db, { password: config.demoPassword, allowedOrigins: playOrigin ? [playOrigin] : [] })
    : await ensureTenant(db, { slug: 'default', name: 'Parley' });

  const allowed = [...new Set([...tenant.allowedOrigins, ...config.allowedOrigins])];
  const lifetimes = { idleSeconds: config.sessionIdleSeconds, maxSeconds: config.sessionMaxSeconds };
  const gateway = new AgentGateway({
    log: log.child({ subsystem: 'realtime' }),
    snapshot: async (userId) => {
      const user = await findUser(db, tenant.id, userId);
      return user ? toWireUser(user, await listPresenceProfiles(db, tenant.id)) : null;
    },
  });
  const ctx: AppContext = {
    config,
    db,
    log,
    tenant,
    selfOrigin: new URL(config.publicUrl).origin,
    lifetimes,
    auth: new AuthService({ db, log: log.child({ subsystem: 'auth' }), lifetimes }),
    gateway,
    allowedOrigins: () => allowed,
    isAllowedOrigin: (origin) => origin !== undefined && allowed.includes(origin),
  };

  const app = Fastify({
    loggerInstance: log.child({ subsystem: 'http' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });
  installErrorHandlers(app);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  await app.register(fastifyCors, {
    // Only allowlisted host origins get CORS, and with credentials (CPC clients log in from the host page).
    origin: (origin, cb) => cb(null, ctx.isAllowedOrigin(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: WS_MAX_PAYLOAD } });

  app.get('/healthz', async (_request, reply) => {
    await sql`select 1`.execute(db);
    return reply.header('cache-control', 'no-store').send({ status: 'ok', agents_online: gateway.size });
  });
  await app.register(authRoutes(ctx));
  await app.register(realtimeRoutes(ctx));
  await app.register(panelRoutes(ctx, dist));

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
    log,
    async close() {
      gateway.close();
      await Promise.all([app.close(), playground?.close()]);
      await db.destroy();
    },
  };
}
