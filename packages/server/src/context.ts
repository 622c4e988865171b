/**
 * What every route plugin gets: configuration, store, logger, the tenant and
 * the services. Built once by buildApp().
 */
import type { Kysely } from 'kysely';
import type { AuthService } from './auth/service.ts';
import type { SessionLifetimes } from './auth/sessions.ts';
import type { Config } from './config/index.ts';
import type { Logger } from './log/index.ts';
import type { AgentGateway } from './realtime/gateway.ts';
import type { Database } from './store/index.ts';
import type { Tenant } from './tenants/index.ts';

export interface AppContext {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  /** The tenant served at the base URL. */
  readonly tenant: Tenant;
  /** The origin of the base URL (where the panel and the API live). */
  readonly selfOrigin: string;
  readonly lifetimes: SessionLifetimes;
  readonly auth: AuthService;
  readonly gateway: AgentGateway;
  /** Origins allowed to embed the panel: the tenant's stored list plus PARLEY_ALLOWED_ORIGINS. */
  allowedOrigins(): readonly string[];
  /** True when `origin` may embed the panel and call the API with credentials. */
  isAllowedOrigin(origin: string | undefined): boolean;
}
