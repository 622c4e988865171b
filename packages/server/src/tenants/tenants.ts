/**
 * Tenants: who may embed the panel and how users of a tenant log in.
 */
import type { Db, TenantTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

/** A tenant as the rest of the server sees it. */
export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** Origins allowed to embed the panel, as stored. */
  readonly allowedOrigins: readonly string[];
  readonly oauthIssuers: readonly string[];
}

function toTenant(row: TenantTable): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    allowedOrigins: parseStringArray(row.allowed_origins),
    oauthIssuers: parseStringArray(row.oauth_issuers),
  };
}

function parseStringArray(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Finds a tenant by slug. */
export async function findTenantBySlug(db: Db, slug: string): Promise<Tenant | null> {
  const row = await db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toTenant(row) : null;
}

/** Creates a tenant, or returns the existing one with that slug. */
export async function ensureTenant(
  db: Db,
  input: { slug: string; name: string; allowedOrigins?: readonly string[] },
): Promise<Tenant> {
  const existing = await findTenantBySlug(db, input.slug);
  if (existing) return existing;
  const row: TenantTable = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    allowed_origins: JSON.stringify(input.allowedOrigins ?? []),
    oauth_issuers: '[]',
    settings: '{}',
    created_at: nowIso(),
  };
  await db.insertInto('tenants').values(row).execute();
  return toTenant(row);
}

/** Adds origins to a tenant's stored allowlist (no duplicates). */
export async function addAllowedOrigins(db: Db, tenant: Tenant, origins: readonly string[]): Promise<Tenant> {
  const merged = [...new Set([...tenant.allowedOrigins, ...origins])];
  if (merged.length === tenant.allowedOrigins.length) return tenant;
  await db
    .updateTable('tenants')
    .set({ allowed_origins: JSON.stringify(merged) })
    .where('id', '=', tenant.id)
    .execute();
  return { ...tenant, allowedOrigins: merged };
}
