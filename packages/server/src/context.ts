/**
 * What every route plugin gets: configuration, store, logger and the
 * services. Built once by buildApp(). The tenant is per request
 * (`request.tenant`).
 */
import type { Kysely } from 'kysely';
import type { AgentService } from './agents/index.ts';
import type { AuthService, SessionLifetimes } from './auth/index.ts';
import type { Bus } from './bus/index.ts';
import type { Mailer } from './channels/index.ts';
import type { Config } from './config/index.ts';
import type { InteractionService } from './interactions/index.ts';
import type { Logger } from './log/index.ts';
import type { MediaPlane, Recorder } from './media/index.ts';
import type { AgentGateway, ConsoleGateway, CustomerGateway, SocketLimits } from './realtime/index.ts';
import type { Supervision } from './supervision/index.ts';
import type { Database } from './store/index.ts';
import type { Tenant, TenantRegistry } from './tenants/index.ts';

export interface AppContext {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly bus: Bus;
  readonly tenants: TenantRegistry;
  /** The origin of the base URL (where the panel and the API live). */
  readonly selfOrigin: string;
  readonly lifetimes: SessionLifetimes;
  readonly auth: AuthService;
  readonly agents: AgentService;
  readonly gateway: AgentGateway;
  /** The console's live sockets (supervisors, admins). */
  readonly consoles: ConsoleGateway;
  /** Live wallboard and agent grid. */
  readonly supervision: Supervision;
  readonly interactions: InteractionService;
  readonly customers: CustomerGateway;
  /** Connection, frame-rate and send-buffer limits of every WebSocket. */
  readonly sockets: SocketLimits;
  /** Voice: calls, stations, the virtual PSTN. */
  readonly media: MediaPlane;
  readonly recorder: Recorder;
  /** Sends one email through the configured relay (transcripts); null when no relay is set up. */
  readonly mailer: Mailer | null;
  /** The tenant base URL: `{PARLEY_PUBLIC_URL}` or `{PARLEY_PUBLIC_URL}t/{slug}/`. */
  baseUrlOf(tenant: Tenant): string;
  /** Origins allowed to embed the tenant's panel: its stored list (plus PARLEY_ALLOWED_ORIGINS for the default tenant). */
  allowedOrigins(tenant: Tenant): readonly string[];
  /** True when `origin` may embed the tenant's panel and call its API with credentials. */
  isAllowedOrigin(tenant: Tenant, origin: string | undefined): boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant this request is for, resolved from the URL before routing. */
    tenant: Tenant;
  }
}
