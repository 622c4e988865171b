/**
 * Which tenant a request is for. The default tenant is served at `/`; another
 * tenant at `/t/{slug}/`, which Fastify's rewriteUrl strips before routing so
 * every route is tenant-agnostic and reads `request.tenant`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.ts';
import { DEFAULT_TENANT_SLUG, findTenantBySlug, type Tenant } from './tenants.ts';

const PREFIX = /^\/t\/([a-z0-9][a-z0-9-]{0,62})(\/.*)?$/;

/** Splits `/t/{slug}/rest` into the slug and the rest; other URLs belong to the default tenant. */
export function splitTenantUrl(url: string): { slug: string; url: string } {
  const match = PREFIX.exec(url);
  if (!match?.[1]) return { slug: DEFAULT_TENANT_SLUG, url };
  return { slug: match[1], url: match[2] ?? '/' };
}

/** The base path of a tenant: `/` or `/t/{slug}/`. */
export function tenantBasePath(slug: string): string {
  return slug === DEFAULT_TENANT_SLUG ? '/' : `/t/${slug}/`;
}

/** Caches tenants by slug; refreshed when an admin changes one. */
export class TenantRegistry {
  readonly #bySlug = new Map<string, Tenant>();
  constructor(private readonly db: Kysely<Database>) {}

  /** The tenant with that slug, or null. */
  async get(slug: string): Promise<Tenant | null> {
    const cached = this.#bySlug.get(slug);
    if (cached) return cached;
    const tenant = await findTenantBySlug(this.db, slug);
    if (tenant) this.#bySlug.set(slug, tenant);
    return tenant;
  }

  /** Replaces the cached copy after a change. */
  remember(tenant: Tenant): void {
    this.#bySlug.set(tenant.slug, tenant);
  }
}
