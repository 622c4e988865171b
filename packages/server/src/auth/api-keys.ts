/**
 * Tenant API keys: random 32 bytes behind a `pk_` prefix (so secret
 * scanners know them), shown once, stored as SHA-256 (a key is
 * high-entropy, so a slow hash buys nothing). A key only mints agent tokens
 * (auth/agent-tokens.ts); it is never a session itself.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';
import { hashToken } from './sessions.ts';

export const API_KEY_PREFIX = 'pk_';

/** An API key as an admin sees it: never the key itself after it was created. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

type Row = {
  id: string;
  name: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

const toKey = (r: Row): ApiKey => ({
  id: r.id,
  name: r.name,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** Creates a key; the returned `key` is the only time it is seen. */
export async function createApiKey(
  db: Db,
  input: { tenantId: string; name: string; createdBy: string | null },
  now: Date = new Date(),
): Promise<ApiKey & { readonly key: string }> {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const row = {
    id: newId(),
    tenant_id: input.tenantId,
    name: input.name,
    key_hash: hashToken(key),
    created_by: input.createdBy,
    created_at: nowIso(now),
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { ...toKey(row), key };
}

export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
  return rows.map(toKey);
}

/** Revokes a key; false when the tenant has no such key or it was revoked already. */
export async function revokeApiKey(db: Db, tenantId: string, id: string, now: Date = new Date()): Promise<boolean> {
  const done = await db
    .updateTable('api_keys')
    .set({ revoked_at: nowIso(now) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** The live key a caller presented, for this tenant (and its use noted), or null. */
export async function findApiKey(
  db: Db,
  tenantId: string,
  key: string,
  now: Date = new Date(),
): Promise<ApiKey | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'created_by', 'created_at', 'last_used_at', 'revoked_at', 'tenant_id'])
    .where('key_hash', '=', hashToken(key))
    .executeTakeFirst();
  if (!row || row.tenant_id !== tenantId || row.revoked_at !== null) return null;
  await db
    .updateTable('api_keys')
    .set({ last_used_at: nowIso(now) })
    .where('id', '=', row.id)
    .execute();
  return toKey(row);
}
