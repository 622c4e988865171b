/**
 * Users and presence profiles, and the User object the panel hands to hosts.
 */
import type { PresenceProfile, Role, User, UserId, WorkStatus } from '@parley/protocol';
import { ROLES, WORK_STATUSES } from '@parley/protocol';
import type { Db, UserTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

/** A stored user, without secrets. */
export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: Role;
  readonly language: string;
  readonly theme: { readonly dark: boolean; readonly primary: string };
  readonly presenceProfileId: string | null;
  readonly workStatus: WorkStatus;
}

function toRecord(row: UserTable): UserRecord {
  const theme: unknown = JSON.parse(row.theme);
  const t = (typeof theme === 'object' && theme !== null ? theme : {}) as Record<string, unknown>;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    role: (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : 'agent',
    language: row.language,
    theme: { dark: t['dark'] === true, primary: typeof t['primary'] === 'string' ? t['primary'] : '#2563eb' },
    presenceProfileId: row.presence_profile_id,
    workStatus: (WORK_STATUSES as readonly string[]).includes(row.work_status)
      ? (row.work_status as WorkStatus)
      : 'offline',
  };
}

/** Finds a user of a tenant by username; also returns the password hash for the login check. */
export async function findUserForLogin(
  db: Db,
  tenantId: string,
  username: string,
): Promise<{ user: UserRecord; passwordHash: string | null } | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? { user: toRecord(row), passwordHash: row.password_hash } : null;
}

/** Finds a user by id within a tenant. */
export async function findUser(db: Db, tenantId: string, id: string): Promise<UserRecord | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** Lists a tenant's presence profiles in display order. */
export async function listPresenceProfiles(db: Db, tenantId: string): Promise<PresenceProfile[]> {
  const rows = await db
    .selectFrom('presence_profiles')
    .select(['id', 'name', 'ready'])
    .where('tenant_id', '=', tenantId)
    .orderBy('sort')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, ready: r.ready === 1 }));
}

/** Builds the wire User object (PROTOCOL.md §1.5). */
export function toWireUser(user: UserRecord, profiles: readonly PresenceProfile[]): User {
  const rights: Role[] =
    user.role === 'admin'
      ? ['agent', 'supervisor', 'admin']
      : user.role === 'supervisor'
        ? ['agent', 'supervisor']
        : ['agent'];
  return {
    id: user.id as UserId,
    username: user.username,
    display_name: user.displayName,
    email: user.email,
    presence: user.presenceProfileId ?? profiles[0]?.id ?? '',
    presence_profiles: profiles,
    work_status: user.workStatus,
    language: user.language,
    theme: user.theme,
    rights,
  };
}

/** Input for {@link upsertUser}. */
export interface UserInput {
  readonly tenantId: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: Role;
  readonly passwordHash: string | null;
  readonly presenceProfileId?: string | null;
}

/** Creates a user, or updates name, email, role and password hash of the existing one. */
export async function upsertUser(db: Db, input: UserInput): Promise<string> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', input.tenantId)
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('users')
      .set({ display_name: input.displayName, email: input.email, role: input.role, password_hash: input.passwordHash })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      tenant_id: input.tenantId,
      username: input.username,
      display_name: input.displayName,
      email: input.email,
      role: input.role,
      password_hash: input.passwordHash,
      oauth_subject: null,
      language: 'en',
      theme: JSON.stringify({ dark: false, primary: '#2563eb' }),
      presence_profile_id: input.presenceProfileId ?? null,
      work_status: 'offline',
      created_at: nowIso(),
    })
    .execute();
  return id;
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

/** Returns the stored password hash of a user, or null. */
export async function getPasswordHash(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row?.password_hash ?? null;
}

/** Sets a user's work status (login → not_ready, logout → offline). */
export async function setWorkStatus(db: Db, userId: string, status: WorkStatus): Promise<void> {
  await db.updateTable('users').set({ work_status: status }).where('id', '=', userId).execute();
}
