/**
 * Presence profiles (Available, Lunch, …) and reason codes (not-ready reasons,
 * wrap-up codes).
 */
import type { PresenceProfile } from '@parley/protocol';
import type { Db } from '../store/index.ts';
import { newId } from '../store/index.ts';

export const REASON_KINDS = ['not_ready', 'wrap_up'] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

/** A reason code. */
export interface ReasonCode {
  readonly id: string;
  readonly kind: ReasonKind;
  readonly code: string;
  readonly label: string;
}

/** Lists a tenant's presence profiles in display order. */
export async function listPresenceProfiles(db: Db, tenantId: string): Promise<PresenceProfile[]> {
  const rows = await db
    .selectFrom('presence_profiles')
    .select(['id', 'name', 'ready'])
    .where('tenant_id', '=', tenantId)
    .orderBy('sort')
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, ready: r.ready === 1 }));
}

/** Finds a profile by id or by exact name. */
export async function findPresenceProfile(db: Db, tenantId: string, idOrName: string): Promise<PresenceProfile | null> {
  const profiles = await listPresenceProfiles(db, tenantId);
  return profiles.find((p) => p.id === idOrName) ?? profiles.find((p) => p.name === idOrName) ?? null;
}

/** Ensures a presence profile with that name exists; returns its id. */
export async function ensurePresenceProfile(
  db: Db,
  tenantId: string,
  name: string,
  ready: boolean,
  sort: number,
): Promise<string> {
  const existing = await db
    .selectFrom('presence_profiles')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = newId();
  await db
    .insertInto('presence_profiles')
    .values({ id, tenant_id: tenantId, name, ready: ready ? 1 : 0, sort })
    .execute();
  return id;
}

/** Lists reason codes of a tenant, optionally of one kind. */
export async function listReasonCodes(db: Db, tenantId: string, kind?: ReasonKind): Promise<ReasonCode[]> {
  let query = db.selectFrom('reason_codes').selectAll().where('tenant_id', '=', tenantId);
  if (kind) query = query.where('kind', '=', kind);
  const rows = await query.orderBy('kind').orderBy('sort').orderBy('code').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as ReasonKind, code: r.code, label: r.label }));
}

/** Finds a reason code of a kind by id or code. */
export async function findReasonCode(
  db: Db,
  tenantId: string,
  kind: ReasonKind,
  idOrCode: string,
): Promise<ReasonCode | null> {
  const codes = await listReasonCodes(db, tenantId, kind);
  return codes.find((c) => c.id === idOrCode) ?? codes.find((c) => c.code === idOrCode) ?? null;
}

/** Ensures a reason code exists; returns its id. */
export async function ensureReasonCode(
  db: Db,
  tenantId: string,
  input: { kind: ReasonKind; code: string; label: string; sort: number },
): Promise<string> {
  const existing = await db
    .selectFrom('reason_codes')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', input.kind)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = newId();
  await db
    .insertInto('reason_codes')
    .values({ id, tenant_id: tenantId, ...input })
    .execute();
  return id;
}

/**
 * The presence that goes with not ready: the profile named like the reason
 * (Lunch for "Lunch"), else the current one when it does not count as ready,
 * else the first that does not (a forced not-ready never leaves "Available" showing).
 */
export function notReadyPresence(
  profiles: readonly PresenceProfile[],
  currentId: string | null,
  reasonLabel: string | null,
): string | null {
  const away = profiles.filter((p) => !p.ready);
  const named = reasonLabel ? away.find((p) => p.name.toLowerCase() === reasonLabel.toLowerCase()) : undefined;
  if (named) return named.id;
  const current = profiles.find((p) => p.id === currentId);
  if (current && !current.ready) return current.id;
  return away[0]?.id ?? currentId;
}
