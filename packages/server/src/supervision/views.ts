/**
 * The wallboard's tiles and the agent grid's rows, read from the store and
 * a tenant's day board. Thin: the numbers come from the board (pure), the
 * "now" from the store.
 */
import { OPEN_STATES } from '@parley/protocol';
import type {
  AgentRow,
  AgentWork,
  ChannelType,
  MonitorMode,
  QueueBoard,
  WaitingRow,
  WorkStatus,
} from '@parley/protocol';
import { queueLoads } from '../realtime/index.ts';
import type { Db } from '../store/index.ts';
import type { Scope } from './scope.ts';
import { dayStats, type DayBoard } from './wallboard.ts';

/** Every queue in scope, now and today, by name; `staff` counts each queue's serving members by status. */
export async function wallboardTiles(
  db: Db,
  tenantId: string,
  scope: Scope,
  board: DayBoard,
  staff: (queueId: string) => QueueBoard['agents'],
): Promise<QueueBoard[]> {
  const [queues, loads] = await Promise.all([
    db
      .selectFrom('queues')
      .select(['id', 'name', 'channel', 'sl_threshold_s'])
      .where('tenant_id', '=', tenantId)
      .orderBy('name')
      .execute(),
    queueLoads(db, tenantId),
  ]);
  return queues
    .filter((q) => scope.all || scope.queues.has(q.id))
    .map((q) => {
      const load = loads.get(q.id);
      return {
        queue_id: q.id,
        name: q.name,
        channel: q.channel as ChannelType,
        sl_threshold_s: q.sl_threshold_s,
        waiting: load?.waiting ?? 0,
        oldest_waiting_since: load?.oldest_waiting_since ?? null,
        today: dayStats(board.queue(q.id)),
        agents: staff(q.id),
      };
    });
}

/**
 * The grid's rows for the agents in scope (or only `only`), by display name:
 * state and reason, who changed it, teams, queues, open interactions, today.
 */
export async function agentRows(
  db: Db,
  tenantId: string,
  scope: Scope,
  board: DayBoard,
  online: ReadonlySet<string>,
  only?: string,
): Promise<AgentRow[]> {
  let users = db
    .selectFrom('users')
    .leftJoin('presence_profiles as p', 'p.id', 'users.presence_profile_id')
    .leftJoin('reason_codes as r', 'r.id', 'users.not_ready_reason_id')
    .leftJoin('users as c', 'c.id', 'users.state_changed_by')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.work_status',
      'users.role',
      'users.state_changed_at',
      'users.status_since',
      'p.name as presence',
      'r.code as reason_code',
      'r.label as reason_label',
      'c.display_name as changed_by',
    ])
    .where('users.tenant_id', '=', tenantId);
  if (only !== undefined) users = users.where('users.id', '=', only);
  const rows = (await users.orderBy('users.display_name').execute()).filter((u) => scope.all || scope.agents.has(u.id));
  if (rows.length === 0) return [];
  const ids = rows.map((u) => u.id);
  const [teams, queues, work, monitors] = await Promise.all([
    db
      .selectFrom('team_members')
      .select(['user_id', 'team_id'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', ids)
      .execute(),
    db
      .selectFrom('queue_members')
      .select(['user_id', 'queue_id'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', ids)
      .where('can_serve', '=', 1)
      .execute(),
    db
      .selectFrom('interactions as i')
      .leftJoin('customers as k', 'k.id', 'i.customer_id')
      .select([
        'i.id',
        'i.agent_id',
        'i.channel',
        'i.state',
        'i.queue_id',
        'i.remote_address',
        'i.accepted_at',
        'i.created_at',
        'k.name as customer',
      ])
      .where('i.tenant_id', '=', tenantId)
      .where('i.agent_id', 'in', ids)
      .where('i.state', 'in', [...OPEN_STATES])
      .orderBy('i.created_at')
      .execute(),
    db
      .selectFrom('interaction_monitors as m')
      .innerJoin('interactions as i', 'i.id', 'm.interaction_id')
      .innerJoin('users as s', 's.id', 'm.supervisor_id')
      .select(['m.interaction_id', 'm.supervisor_id', 'm.mode', 's.display_name'])
      .where('m.tenant_id', '=', tenantId)
      .where('i.agent_id', 'in', ids)
      .where('i.state', 'in', ['accepted', 'held'])
      .orderBy('m.started_at')
      .execute(),
  ]);
  const monitorsOf = new Map<string, AgentWork['monitors'][number][]>();
  for (const m of monitors)
    monitorsOf.set(m.interaction_id, [
      ...(monitorsOf.get(m.interaction_id) ?? []),
      { supervisor_id: m.supervisor_id, supervisor_name: m.display_name, mode: m.mode as MonitorMode },
    ]);
  const group = <T extends { user_id: string }>(list: readonly T[], pick: (t: T) => string) => {
    const map = new Map<string, string[]>();
    for (const t of list) map.set(t.user_id, [...(map.get(t.user_id) ?? []), pick(t)]);
    return map;
  };
  const teamsOf = group(teams, (t) => t.team_id);
  const queuesOf = group(queues, (q) => q.queue_id);
  const workOf = new Map<string, AgentWork[]>();
  for (const w of work) {
    if (!w.agent_id) continue;
    workOf.set(w.agent_id, [
      ...(workOf.get(w.agent_id) ?? []),
      {
        id: w.id,
        channel: w.channel as ChannelType,
        state: w.state,
        customer: w.customer ?? w.remote_address,
        queue_id: w.queue_id,
        since: w.accepted_at ?? w.created_at,
        monitors: monitorsOf.get(w.id) ?? [],
      },
    ]);
  }
  return rows.map((u) => {
    const day = board.agent(u.id);
    return {
      id: u.id,
      username: u.username,
      display_name: u.display_name,
      work_status: u.work_status as WorkStatus,
      presence: u.presence ?? null,
      reason: u.reason_code ? { code: u.reason_code, label: u.reason_label ?? u.reason_code } : null,
      state_since: later(u.status_since, u.state_changed_at),
      changed_by: u.changed_by ?? null,
      connected: online.has(u.id),
      team_ids: teamsOf.get(u.id) ?? [],
      queue_ids: queuesOf.get(u.id) ?? [],
      interactions: workOf.get(u.id) ?? [],
      answered_today: day.answered,
      handled_today: day.handled,
      handle_ms_today: day.handleMs,
    };
  });
}

/** The later of two ISO-8601 instants (either may be missing). */
function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** The contacts waiting in the queues in scope, by priority then longest first. */
export async function waitingRows(db: Db, tenantId: string, scope: Scope): Promise<WaitingRow[]> {
  const rows = await db
    .selectFrom('interactions as i')
    .innerJoin('queues as q', 'q.id', 'i.queue_id')
    .leftJoin('customers as k', 'k.id', 'i.customer_id')
    .leftJoin('users as u', 'u.id', 'i.agent_id')
    .select([
      'i.id',
      'i.channel',
      'i.queue_id',
      'q.name as queue_name',
      'i.remote_address',
      'k.name as customer',
      'i.waiting_since',
      'i.created_at',
      'i.priority',
      'i.state',
      'i.agent_id',
      'u.display_name as agent_name',
    ])
    .where('i.tenant_id', '=', tenantId)
    .where('i.state', 'in', ['incoming', 'alerting'])
    .where('i.direction', '=', 'inbound')
    .where('i.consultation_of', 'is', null)
    .execute();
  return rows
    .filter((r) => r.queue_id !== null && (scope.all || scope.queues.has(r.queue_id)))
    .map((r) => ({
      id: r.id,
      channel: r.channel as ChannelType,
      queue_id: r.queue_id ?? '',
      queue_name: r.queue_name,
      customer: r.customer ?? r.remote_address,
      waiting_since: r.waiting_since ?? r.created_at,
      priority: r.priority,
      offered_to: r.state === 'alerting' && r.agent_id ? { id: r.agent_id, name: r.agent_name ?? r.agent_id } : null,
    }))
    .sort((a, b) => b.priority - a.priority || Date.parse(a.waiting_since) - Date.parse(b.waiting_since));
}
