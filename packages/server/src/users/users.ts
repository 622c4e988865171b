/**
 * Users: identity, role, preferences, agent state and channel capacity; and
 * the User object the panel hands to hosts.
 */
import { idFrom, parseUserId } from '@parley/protocol';
import type { AgentPreferences, ChannelType, PresenceProfile, Role, User, WorkStatus } from '@parley/protocol';
import { CHANNEL_TYPES, CodedError, ROLES, WORK_STATUSES } from '@parley/protocol';
import type { Db, UserTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

/** Concurrent interactions per channel. */
export type Capacity = Readonly<Record<ChannelType, number>>;

/** What a new user may handle at once. */
export const DEFAULT_CAPACITY: Capacity = { phone: 1, chat: 3, email: 5, sms: 3, whatsapp: 3 };

export const DEFAULT_THEME = { dark: false, primary: '#2563eb' } as const;

/** A stored user, without secrets. */
export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: Role;
  readonly oauthSubject: string | null;
  readonly language: string;
  readonly theme: { readonly dark: boolean; readonly primary: string };
  readonly presenceProfileId: string | null;
  readonly notReadyReasonId: string | null;
  readonly workStatus: WorkStatus;
  /** The agent's own choice, ready for work or not (busy and wrap-up show in workStatus, not here). */
  readonly ready: boolean;
  readonly capacity: Capacity;
  /** When the agent's state last changed, and who changed it when it was not the agent (a supervisor). */
  readonly stateChangedAt: string | null;
  readonly stateChangedBy: string | null;
  /** The agent's own settings (devices, shortcuts), as the panel stored them. */
  readonly preferences: AgentPreferences;
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function toRecord(row: UserTable): UserRecord {
  const theme = parseJsonObject(row.theme);
  const capacity = parseJsonObject(row.capacity);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    role: (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : 'agent',
    oauthSubject: row.oauth_subject,
    language: row.language,
    theme: {
      dark: theme['dark'] === true,
      primary: typeof theme['primary'] === 'string' ? theme['primary'] : DEFAULT_THEME.primary,
    },
    presenceProfileId: row.presence_profile_id,
    notReadyReasonId: row.not_ready_reason_id,
    workStatus: (WORK_STATUSES as readonly string[]).includes(row.work_status)
      ? (row.work_status as WorkStatus)
      : 'offline',
    ready: row.ready === 1,
    stateChangedAt: row.state_changed_at ?? null,
    stateChangedBy: row.state_changed_by ?? null,
    preferences: parseJsonObject(row.preferences ?? '{}') as AgentPreferences,
    capacity: Object.fromEntries(
      CHANNEL_TYPES.map((c) => [c, typeof capacity[c] === 'number' ? (capacity[c] as number) : DEFAULT_CAPACITY[c]]),
    ) as Capacity,
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

/** Finds the users of a tenant whose OAuth subject or email matches (for OAuth logins). */
export async function findUsersByOAuth(
  db: Db,
  tenantId: string,
  subject: string,
  email: string,
): Promise<UserRecord[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('oauth_subject', '=', subject), eb('email', '=', email)]))
    .execute();
  return rows.map(toRecord);
}

/** Lists a tenant's users by username; optionally only some roles. */
export async function listUsers(db: Db, tenantId: string, roles?: readonly Role[]): Promise<UserRecord[]> {
  let query = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
  if (roles?.length) query = query.where('role', 'in', [...roles]);
  return (await query.orderBy('username').execute()).map(toRecord);
}

/** The rights a role carries: each role includes the ones below it. */
export function rightsOf(role: Role): Role[] {
  return role === 'admin'
    ? ['agent', 'supervisor', 'admin']
    : role === 'supervisor'
      ? ['agent', 'supervisor']
      : ['agent'];
}

/** Builds the wire User object (PROTOCOL.md §1.5). */
export function toWireUser(user: UserRecord, profiles: readonly PresenceProfile[]): User {
  return {
    id: idFrom(parseUserId, user.id, 'id'),
    username: user.username,
    display_name: user.displayName,
    email: user.email,
    presence: user.presenceProfileId ?? profiles[0]?.id ?? '',
    presence_profiles: profiles,
    work_status: user.workStatus,
    ready: user.ready && user.workStatus !== 'offline',
    language: user.language,
    theme: user.theme,
    rights: rightsOf(user.role),
    not_ready_reason: user.ready || user.workStatus === 'offline' ? null : user.notReadyReasonId,
    state_changed_at: user.stateChangedAt,
    state_changed_by:
      user.stateChangedBy === null ? null : idFrom(parseUserId, user.stateChangedBy, 'state_changed_by'),
    preferences: user.preferences,
  };
}

/** Input for {@link createUser}. */
export interface UserInput {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: Role;
  readonly passwordHash: string | null;
  readonly oauthSubject?: string | null;
  readonly language?: string;
  readonly presenceProfileId?: string | null;
  readonly capacity?: Capacity;
}

/** Thrown when a username is already taken within the tenant. */
export class UsernameTakenError extends CodedError {
  override name = 'UsernameTakenError';
  constructor(readonly username: string) {
    super('invalid_state', `username ${username} is already taken`);
  }
}

/** Creates a user; throws {@link UsernameTakenError} when the username exists. */
export async function createUser(db: Db, tenantId: string, input: UserInput): Promise<UserRecord> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (existing) throw new UsernameTakenError(input.username);
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      tenant_id: tenantId,
      username: input.username,
      display_name: input.displayName,
      email: input.email,
      role: input.role,
      password_hash: input.passwordHash,
      oauth_subject: input.oauthSubject ?? null,
      language: input.language ?? 'en',
      theme: JSON.stringify(DEFAULT_THEME),
      presence_profile_id: input.presenceProfileId ?? null,
      not_ready_reason_id: null,
      work_status: 'offline',
      ready: 0,
      capacity: JSON.stringify(input.capacity ?? DEFAULT_CAPACITY),
      preferences: '{}',
      created_at: nowIso(),
    })
    .execute();
  const created = await findUser(db, tenantId, id);
  if (!created) throw new Error('user vanished after insert');
  return created;
}

/** Fields of a user that can be changed. */
export interface UserPatch {
  readonly displayName?: string;
  readonly email?: string;
  readonly role?: Role;
  readonly oauthSubject?: string | null;
  readonly language?: string;
  readonly theme?: { readonly dark: boolean; readonly primary: string };
  readonly capacity?: Capacity;
  readonly passwordHash?: string | null;
  readonly preferences?: AgentPreferences;
}

/** Changes a user; returns the updated record, or null when there is no such user. */
export async function updateUser(db: Db, tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | null> {
  const set: Partial<UserTable> = {};
  if (patch.displayName !== undefined) set.display_name = patch.displayName;
  if (patch.email !== undefined) set.email = patch.email;
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.oauthSubject !== undefined) set.oauth_subject = patch.oauthSubject;
  if (patch.language !== undefined) set.language = patch.language;
  if (patch.theme !== undefined) set.theme = JSON.stringify(patch.theme);
  if (patch.capacity !== undefined) set.capacity = JSON.stringify(patch.capacity);
  if (patch.preferences !== undefined) set.preferences = JSON.stringify(patch.preferences);
  if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
  if (Object.keys(set).length > 0) {
    await db.updateTable('users').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
  return findUser(db, tenantId, id);
}

/** Sets a user's agent state: work status and, when given, the ready choice, presence profile and not-ready reason. */
export async function setAgentState(
  db: Db,
  tenantId: string,
  userId: string,
  state: {
    workStatus: WorkStatus;
    ready?: boolean;
    presenceProfileId?: string | null;
    notReadyReasonId?: string | null;
    /** Who changed it (null: the agent or Parley itself); with `changedAt`. */
    changedBy?: string | null;
    changedAt?: string;
  },
): Promise<void> {
  const set: Partial<UserTable> = { work_status: state.workStatus };
  if (state.changedAt !== undefined) {
    set.state_changed_at = state.changedAt;
    set.state_changed_by = state.changedBy ?? null;
  }
  if (state.ready !== undefined) set.ready = state.ready ? 1 : 0;
  if (state.presenceProfileId !== undefined) set.presence_profile_id = state.presenceProfileId;
  if (state.notReadyReasonId !== undefined) set.not_ready_reason_id = state.notReadyReasonId;
  const now = state.changedAt ?? nowIso();
  await db
    .updateTable('users')
    .set((eb) => ({
      ...set,
      // Reset only when the status changes: read in the same statement, so no race moves it.
      status_since: eb
        .case()
        .when('work_status', '!=', state.workStatus)
        .then(eb.val(now))
        .else(eb.ref('status_since'))
        .end(),
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}

/** The user's stored password hash (argon2id), or null for one who signs in another way. */
export async function passwordHashOf(db: Db, id: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash ?? null;
}
