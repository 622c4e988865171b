/**
 * What the plugins decorate the server with, typed once. Each decoration is
 * made by exactly one plugin (named after it), and a plugin that reads one
 * declares that plugin among its `dependencies`, so Fastify refuses to
 * start when the order is wrong instead of handing out `undefined`.
 */
import type { Kysely } from 'kysely';
import type { AgentService } from '../agents/index.ts';
import type { AuthService, SessionLifetimes } from '../auth/index.ts';
import type { Bus } from '../bus/index.ts';
import type { Dispatcher, InboundSmtp, Mailer } from '../channels/index.ts';
import type { Config } from '../config/index.ts';
import type { AppContext } from '../context.ts';
import type { CaptureRelay } from '../demo/index.ts';
import type { InteractionService } from '../interactions/index.ts';
import type { Logger } from '../log/index.ts';
import type { MediaPlane, Recorder } from '../media/index.ts';
import type { OnlineUsers } from '../presence/index.ts';
import type { AgentGateway, ConsoleGateway, CustomerGateway, SocketLimits } from '../realtime/index.ts';
import type { Supervision } from '../supervision/index.ts';
import type { Database } from '../store/index.ts';
import type { Tenant, TenantRegistry } from '../tenants/index.ts';

/** The plugins' names, which `dependencies` lists refer to. */
export const PLUGIN = {
  config: 'parley-config',
  store: 'parley-store',
  http: 'parley-http',
  websocket: 'parley-websocket',
  swagger: 'parley-swagger',
  cors: 'parley-cors',
  bus: 'parley-bus',
  tenants: 'parley-tenants',
  auth: 'parley-auth',
  interactions: 'parley-interactions',
  media: 'parley-media',
  realtime: 'parley-realtime',
  channels: 'parley-channels',
  context: 'parley-context',
} as const;

/** The tenant's origins, as the CORS plugin and every socket check them. */
export interface Origins {
  /** Origins allowed to embed the tenant's panel: its stored list (plus PARLEY_ALLOWED_ORIGINS for the default tenant). */
  allowedOrigins(tenant: Tenant): readonly string[];
  isAllowedOrigin(tenant: Tenant, origin: string | undefined): boolean;
  /** The tenant base URL: `{PARLEY_PUBLIC_URL}` or `{PARLEY_PUBLIC_URL}t/{slug}/`. */
  baseUrlOf(tenant: Tenant): string;
}

declare module 'fastify' {
  interface FastifyInstance {
    // external/config
    readonly config: Config;
    /** The process logger (subsystems take children of it); Fastify's own `log` is its `http` child. */
    readonly baseLog: Logger;
    // external/store
    readonly db: Kysely<Database>;
    // app/bus
    readonly bus: Bus;
    // app/tenants
    readonly tenants: TenantRegistry;
    /** The default tenant (served at `/`). */
    readonly defaultTenant: Tenant;
    readonly origins: Origins;
    // app/auth
    readonly lifetimes: SessionLifetimes;
    readonly auth: AuthService;
    readonly agents: AgentService;
    // app/interactions
    readonly online: OnlineUsers;
    readonly interactions: InteractionService;
    // app/media
    readonly recorder: Recorder;
    readonly media: MediaPlane;
    // app/realtime
    readonly gateway: AgentGateway;
    readonly customers: CustomerGateway;
    readonly sockets: SocketLimits;
    readonly supervision: Supervision;
    readonly consoles: ConsoleGateway;
    // app/channels
    readonly mailer: Mailer | null;
    readonly relay: CaptureRelay | null;
    readonly dispatcher: Dispatcher;
    readonly inboundSmtp: InboundSmtp | null;
    readonly smtpPort: number | null;
    // app/context
    readonly parley: AppContext;
  }
}
