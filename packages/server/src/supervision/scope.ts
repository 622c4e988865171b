/**
 * What a supervisor may see: the agents of the teams they supervise and the
 * queues those agents are members of. Admins see the whole tenant. Agents
 * see nothing (the console refuses them).
 */
import { CodedError } from '@parley/protocol';
import type { Db } from '../store/index.ts';
import { listTeams, supervisedAgentIds } from '../teams/index.ts';

export interface Scope {
  /** An admin's: every agent and queue, including ones made after the scope was read. */
  readonly all: boolean;
  readonly agents: ReadonlySet<string>;
  readonly queues: ReadonlySet<string>;
  readonly teams: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

/** The scope of a supervisor or admin; 403 for an agent. */
export async function supervisionScope(
  db: Db,
  tenantId: string,
  user: { readonly id: string; readonly role: string },
): Promise<Scope> {
  if (user.role === 'admin') {
    const [agents, queues, teams] = await Promise.all([
      db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).execute(),
      db.selectFrom('queues').select('id').where('tenant_id', '=', tenantId).execute(),
      listTeams(db, tenantId),
    ]);
    return {
      all: true,
      agents: new Set(agents.map((a) => a.id)),
      queues: new Set(queues.map((q) => q.id)),
      teams: teams.map((t) => ({ id: t.id, name: t.name })),
    };
  }
  if (user.role !== 'supervisor') throw CodedError.forbidden('This needs the supervisor role.');
  const agents = await supervisedAgentIds(db, tenantId, user.id);
  const teams = (await listTeams(db, tenantId, { userId: user.id })).filter((t) =>
    t.members.some((m) => m.userId === user.id && m.supervisor),
  );
  const queues =
    agents.size === 0
      ? []
      : await db
          .selectFrom('queue_members')
          .select('queue_id')
          .distinct()
          .where('tenant_id', '=', tenantId)
          .where('user_id', 'in', [...agents])
          .execute();
  return {
    all: false,
    agents,
    queues: new Set(queues.map((q) => q.queue_id)),
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
  };
}
