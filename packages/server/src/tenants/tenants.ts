/**
 * Tenants: who may embed the panel and how users of a tenant log in. The
 * default tenant lives at the base URL `/`; every other one at `/t/{slug}/`.
 */
import type { Db, TenantTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

/** The slug of the tenant served at `/`. */
export const DEFAULT_TENANT_SLUG = 'default';

/** A tenant as the rest of the server sees it. */
export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** Origins allowed to embed the panel, as stored. */
  readonly allowedOrigins: readonly string[];
  /** OAuth issuers whose tokens are accepted. */
  readonly oauthIssuers: readonly string[];
  readonly settings: Readonly<Record<string, unknown>>;
}

function parseJson<T>(json: string, fallback: T, guard: (v: unknown) => v is T): T {
  try {
    const value: unknown = JSON.parse(json);
    return guard(value) ? value : fallback;
  } catch {
    return fallback;
  }
}
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toTenant(row: TenantTable): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    allowedOrigins: parseJson(row.allowed_origins, [], isStringArray),
    oauthIssuers: parseJson(row.oauth_issuers, [], isStringArray),
    settings: parseJson(row.settings, {}, isObject),
  };
}

/** Finds a tenant by slug. */
export async function findTenantBySlug(db: Db, slug: string): Promise<Tenant | null> {
  const row = await db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toTenant(row) : null;
}

/** Finds a tenant by id. */
export async function findTenant(db: Db, id: string): Promise<Tenant | null> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTenant(row) : null;
}

/** Creates a tenant, or returns the existing one with that slug. */
export async function ensureTenant(
  db: Db,
  input: { slug: string; name: string; allowedOrigins?: readonly string[]; oauthIssuers?: readonly string[] },
): Promise<Tenant> {
  const existing = await findTenantBySlug(db, input.slug);
  if (existing) return existing;
  const row: TenantTable = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    allowed_origins: JSON.stringify(input.allowedOrigins ?? []),
    oauth_issuers: JSON.stringify(input.oauthIssuers ?? []),
    settings: '{}',
    webhook_secret: null,
    created_at: nowIso(),
  };
  await db.insertInto('tenants').values(row).execute();
  return toTenant(row);
}

/** Fields of a tenant an admin may change. */
export interface TenantPatch {
  readonly name?: string;
  readonly allowedOrigins?: readonly string[];
  readonly oauthIssuers?: readonly string[];
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Changes a tenant; returns the updated tenant. */
export async function updateTenant(db: Db, id: string, patch: TenantPatch): Promise<Tenant | null> {
  const set: Partial<TenantTable> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.allowedOrigins !== undefined) set.allowed_origins = JSON.stringify([...new Set(patch.allowedOrigins)]);
  if (patch.oauthIssuers !== undefined) set.oauth_issuers = JSON.stringify([...new Set(patch.oauthIssuers)]);
  if (patch.settings !== undefined) set.settings = JSON.stringify(patch.settings);
  if (Object.keys(set).length > 0) await db.updateTable('tenants').set(set).where('id', '=', id).execute();
  return findTenant(db, id);
}

/** Adds origins to a tenant's stored allowlist (no duplicates). */
export async function addAllowedOrigins(db: Db, tenant: Tenant, origins: readonly string[]): Promise<Tenant> {
  const merged = [...new Set([...tenant.allowedOrigins, ...origins])];
  if (merged.length === tenant.allowedOrigins.length) return tenant;
  return (await updateTenant(db, tenant.id, { allowedOrigins: merged })) ?? tenant;
}

/** The secret that signs the tenant's SMS/WhatsApp webhooks, or null when none is set. */
/** The secret that verifies a tenant's webhooks: the operator's (PARLEY_WEBHOOK_SECRET) for the default tenant, else the stored one. */
export async function verifyingSecret(db: Db, tenant: Tenant, operatorSecret: string | null): Promise<string | null> {
  if (tenant.slug === DEFAULT_TENANT_SLUG && operatorSecret) return operatorSecret;
  return webhookSecret(db, tenant.id);
}

export async function webhookSecret(db: Db, tenantId: string): Promise<string | null> {
  const row = await db.selectFrom('tenants').select('webhook_secret').where('id', '=', tenantId).executeTakeFirst();
  return row?.webhook_secret ?? null;
}

/** Sets (or clears, with null) the tenant's webhook secret. */
export async function setWebhookSecret(db: Db, tenantId: string, secret: string | null): Promise<void> {
  await db.updateTable('tenants').set({ webhook_secret: secret }).where('id', '=', tenantId).execute();
}
