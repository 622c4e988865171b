/**
 * Teams: agents belong to teams and supervisors supervise them (Webex CC's
 * `teams[{teamId, teamName}]` and the `teamId` of a station login). A team
 * is a name and its members; a member may be marked as its supervisor.
 */
import type { Db } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

export interface TeamMember {
  readonly userId: string;
  readonly supervisor: boolean;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly members: readonly TeamMember[];
}

/**
 * The tenant's teams with their members, by name: only those `filter.userId`
 * belongs to or supervises, or only the one `filter.id`, when given.
 */
export async function listTeams(
  db: Db,
  tenantId: string,
  filter: { userId?: string; id?: string } = {},
): Promise<Team[]> {
  let query = db.selectFrom('teams').select(['id', 'name']).where('tenant_id', '=', tenantId);
  const { userId, id } = filter;
  if (id !== undefined) query = query.where('id', '=', id);
  if (userId !== undefined)
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('team_members').select('team_id').where('tenant_id', '=', tenantId).where('user_id', '=', userId),
    );
  const teams = await query.orderBy('name').execute();
  if (teams.length === 0) return [];
  const members = await db
    .selectFrom('team_members')
    .select(['team_id', 'user_id', 'supervisor'])
    .where('tenant_id', '=', tenantId)
    .where(
      'team_id',
      'in',
      teams.map((t) => t.id),
    )
    .orderBy('user_id')
    .execute();
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    members: members
      .filter((m) => m.team_id === t.id)
      .map((m) => ({ userId: m.user_id, supervisor: m.supervisor === 1 })),
  }));
}

/** One team of the tenant, or null. */
export async function findTeam(db: Db, tenantId: string, id: string): Promise<Team | null> {
  return (await listTeams(db, tenantId, { id }))[0] ?? null;
}

/** Whether another team of the tenant has this name. */
export async function teamNameTaken(db: Db, tenantId: string, name: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('teams').select('id').where('tenant_id', '=', tenantId).where('name', '=', name);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createTeam(db: Db, tenantId: string, name: string): Promise<Team> {
  const id = newId();
  await db.insertInto('teams').values({ id, tenant_id: tenantId, name, created_at: nowIso() }).execute();
  return { id, name, members: [] };
}

export async function renameTeam(db: Db, tenantId: string, id: string, name: string): Promise<void> {
  await db.updateTable('teams').set({ name }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Deletes a team and its memberships; false when there was none. */
export async function deleteTeam(db: Db, tenantId: string, id: string): Promise<boolean> {
  await db.deleteFrom('team_members').where('tenant_id', '=', tenantId).where('team_id', '=', id).execute();
  const r = await db.deleteFrom('teams').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Adds a member or changes whether they supervise the team. */
export async function setTeamMember(
  db: Db,
  tenantId: string,
  teamId: string,
  userId: string,
  supervisor: boolean,
): Promise<void> {
  await db
    .insertInto('team_members')
    .values({ tenant_id: tenantId, team_id: teamId, user_id: userId, supervisor: supervisor ? 1 : 0 })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ supervisor: supervisor ? 1 : 0 }))
    .execute();
}

/** Removes a member; false when they were not one. */
export async function removeTeamMember(db: Db, tenantId: string, teamId: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('team_members')
    .where('tenant_id', '=', tenantId)
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The members of every team `supervisorId` supervises (themself included when they are one). */
export async function supervisedAgentIds(db: Db, tenantId: string, supervisorId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('team_members')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('team_id', 'in', (eb) =>
      eb
        .selectFrom('team_members')
        .select('team_id')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', supervisorId)
        .where('supervisor', '=', 1),
    )
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
