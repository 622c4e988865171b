/**
 * Teams over REST, on SQLite and PostgreSQL: the demo's two teams, what
 * agents and supervisors may read, admin changes with clear errors, and
 * `state_changed_by` naming the supervisor who forced an agent's state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, STORE_KINDS, type Harness } from '../testing/index.ts';

describe.each(STORE_KINDS)('teams on %s', (kind) => {
  let h: Harness;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();

  const as = (username: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    h.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens.get(username)}` },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    h = await startHarness({}, kind);
    for (const username of ['agent1', 'agent4', 'supervisor', 'admin']) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      tokens.set(username, res.json().token);
      ids.set(username, res.json().user.id);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it('gives agents their own teams and supervisors all of them', async () => {
    const mine = (await as('agent1', 'GET', '/api/v1/teams')).json() as Array<{ name: string; members: unknown[] }>;
    expect(mine.map((t) => t.name)).toEqual(['Frontline']);
    const theirs = (await as('agent4', 'GET', '/api/v1/teams')).json() as Array<{ name: string }>;
    expect(theirs.map((t) => t.name)).toEqual(['Specialists']);
    const all = (await as('supervisor', 'GET', '/api/v1/teams')).json() as Array<{
      name: string;
      members: Array<{ user_id: string; supervisor: boolean }>;
    }>;
    expect(all.map((t) => t.name)).toEqual(['Frontline', 'Specialists']);
    for (const team of all) {
      expect(team.members).toHaveLength(4);
      expect(team.members.filter((m) => m.supervisor).map((m) => m.user_id)).toEqual([ids.get('supervisor')]);
    }
    // A team the agent is not in is not theirs to read.
    const other = all.find((t) => t.name === 'Specialists') as unknown as { id: string };
    expect((await as('agent1', 'GET', `/api/v1/teams/${other.id}`)).statusCode).toBe(404);
    expect((await as('agent4', 'GET', `/api/v1/teams/${other.id}`)).statusCode).toBe(200);
  });

  it('lets admins create, rename, staff and delete teams, and nobody else', async () => {
    expect((await as('supervisor', 'POST', '/api/v1/teams', { name: 'Night shift' })).statusCode).toBe(403);
    const created = await as('admin', 'POST', '/api/v1/teams', { name: 'Night shift' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const taken = await as('admin', 'POST', '/api/v1/teams', { name: 'Frontline' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('conflict');
    expect((await as('admin', 'POST', '/api/v1/teams', { name: '' })).statusCode).toBe(400);
    expect((await as('admin', 'PATCH', `/api/v1/teams/${id}`, { name: 'Specialists' })).statusCode).toBe(409);
    expect((await as('admin', 'PATCH', `/api/v1/teams/${id}`, { name: 'Nights' })).json().name).toBe('Nights');

    const put = await as('admin', 'PUT', `/api/v1/teams/${id}/members/${ids.get('agent1')}`, {});
    expect(put.json()).toEqual({ user_id: ids.get('agent1'), supervisor: false });
    const unknown = await as('admin', 'PUT', `/api/v1/teams/${id}/members/${'f'.repeat(32)}`, {});
    expect(unknown.statusCode).toBe(404);
    const mine = (await as('agent1', 'GET', '/api/v1/teams')).json() as Array<{ name: string }>;
    expect(mine.map((t) => t.name)).toEqual(['Frontline', 'Nights']);

    const removed = await as('admin', 'DELETE', `/api/v1/teams/${id}/members/${ids.get('agent1')}`);
    expect(removed.statusCode).toBe(204);
    expect((await as('admin', 'DELETE', `/api/v1/teams/${id}/members/${ids.get('agent1')}`)).statusCode).toBe(404);
    expect((await as('admin', 'DELETE', `/api/v1/teams/${id}`)).statusCode).toBe(204);
    expect((await as('admin', 'GET', `/api/v1/teams/${id}`)).statusCode).toBe(404);
    const audit = (await as('admin', 'GET', '/api/v1/audit?limit=20')).json() as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'team_created',
        'team_renamed',
        'team_member_set',
        'team_member_removed',
        'team_deleted',
      ]),
    );
  });

  it('says who changed an agent state: the agent (null) or the supervisor who forced it', async () => {
    const own = await as('agent1', 'PUT', '/api/v1/me/state', { ready: false, reason: 'lunch' });
    expect(own.statusCode, own.body).toBe(200);
    const lunch = (await as('agent1', 'GET', '/api/v1/reason-codes?kind=not_ready')).json() as Array<{
      id: string;
      code: string;
    }>;
    expect(own.json()).toMatchObject({
      work_status: 'not_ready',
      not_ready_reason: lunch.find((r) => r.code === 'lunch')?.id,
      state_changed_by: null,
    });
    expect(Date.parse(own.json().state_changed_at)).toBeGreaterThan(Date.now() - 60_000);

    const forced = await as('supervisor', 'PUT', `/api/v1/agents/${ids.get('agent1')}/state`, { ready: true });
    expect(forced.statusCode, forced.body).toBe(200);
    const me = (await as('agent1', 'GET', '/api/v1/me')).json();
    expect(me).toMatchObject({ work_status: 'ready', not_ready_reason: null, state_changed_by: ids.get('supervisor') });
  });
});
