/**
 * Supervision over real sockets: the console socket's hello, wallboard and
 * agent grid, numbers that follow real contacts and come out the same when
 * counted again from the store, forced states with who did it, and
 * supervisors held to their teams.
 */
import type { AgentRow, QueueBoard } from '@parley/protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, TestAgent, startHarness, type Frame, type Harness } from '../testing/index.ts';
import { Supervision } from './live.ts';
import { supervisionScope } from './scope.ts';

describe('supervision', () => {
  let h: Harness;
  let wsBase: string;
  let admin: TestAgent;
  let supervisor: TestAgent;
  let agent: TestAgent;
  let queueId: string;

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>, code = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(code);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects are inspected structurally
    return (code === 204 ? null : r.json()) as any;
  };
  const tile = (f: Frame): QueueBoard | undefined =>
    (f.data.queues as QueueBoard[]).find((q) => q.queue_id === queueId);

  beforeAll(async () => {
    h = await startHarness({});
    wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    admin = await TestAgent.login(h, wsBase, 'admin');
    supervisor = await TestAgent.login(h, wsBase, 'supervisor');
    agent = await TestAgent.login(h, wsBase, 'agent1');
    const created = await ok(
      admin.rest('POST', '/api/v1/queues', {
        name: 'Board watch',
        type: 'phone',
        offer_timeout_s: 20,
        wrapup_s: 30,
        sl_threshold_s: 15,
      }),
      201,
    );
    queueId = created.id;
    expect(created.sl_threshold_s).toBe(15);
    await ok(admin.rest('PUT', `/api/v1/queues/${queueId}/members/${agent.id}`, { can_serve: true, proficiency: 3 }));
    await agent.connect();
  });
  afterAll(async () => {
    await agent.disconnect();
    await supervisor.disconnect();
    await h.close();
  });

  it(
    'opens with hello, the wallboard and the agents, and counts contacts as they come and go',
    { timeout: 20_000 },
    async () => {
      const hello = await supervisor.connect('/ws/console');
      expect(hello.data.user).toMatchObject({ display_name: 'Sam Supervisor', role: 'supervisor' });
      expect(hello.data.teams.map((t: { name: string }) => t.name)).toEqual(['Frontline', 'Specialists']);
      expect(hello.data.reasons.map((r: { code: string }) => r.code)).toContain('lunch');
      const first = await supervisor.next((f) => f.type === 'wallboard');
      expect(tile(first)).toMatchObject({ name: 'Board watch', waiting: 0, sl_threshold_s: 15, today: { offered: 0 } });
      const grid = await supervisor.next((f) => f.type === 'agents');
      const names = (grid.data.agents as AgentRow[]).map((a) => a.username);
      expect(names).toEqual(expect.arrayContaining(['agent1', 'agent5']));
      expect(names).not.toContain('admin');
      // agent1 has a panel open: connected, not ready after login.
      expect((grid.data.agents as AgentRow[]).find((a) => a.username === 'agent1')).toMatchObject({
        connected: true,
        work_status: 'not_ready',
        queue_ids: expect.arrayContaining([queueId]),
      });

      // Nobody ready: a contact waits, then its caller gives up.
      const lost = await ok(
        supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: queueId, from: '+4930555001' }),
        201,
      );
      const waiting = await supervisor.next((f) => f.type === 'wallboard' && tile(f)?.waiting === 1);
      expect(tile(waiting)?.oldest_waiting_since).toMatch(/^2\d{3}-/);
      await ok(supervisor.rest('POST', `/api/v1/demo/interactions/${lost.id}/remote`, { event: 'hangup' }));
      const abandoned = await supervisor.next((f) => f.type === 'wallboard' && tile(f)?.today.abandoned === 1);
      expect(tile(abandoned)).toMatchObject({ waiting: 0, today: { offered: 1, answered: 0, service_level: 0 } });

      // agent1 gets ready and answers the next one at once, then finishes it.
      await agent.setReady(true);
      const ready = await supervisor.next((f) => f.type === 'agent' && f.data.agent.username === 'agent1');
      expect(ready.data.agent.work_status).toBe('ready');
      const contact = await ok(
        supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: queueId, from: '+4930555002' }),
        201,
      );
      expect(contact.agent_id).toBe(agent.id);
      await ok(agent.act(contact.id, 'accept'));
      const busy = await supervisor.next(
        (f) => f.type === 'agent' && f.data.agent.username === 'agent1' && f.data.agent.interactions.length === 1,
      );
      expect(busy.data.agent).toMatchObject({
        work_status: 'busy',
        interactions: [{ id: contact.id, channel: 'phone', customer: expect.any(String), queue_id: queueId }],
      });
      await ok(agent.act(contact.id, 'hangup'));
      await ok(agent.act(contact.id, 'handle', { code: 'resolved' }));
      const done = await supervisor.next((f) => f.type === 'wallboard' && tile(f)?.today.handled === 1);
      expect(tile(done)?.today).toMatchObject({
        offered: 2,
        answered: 1,
        answered_in_sl: 1,
        abandoned: 1,
        handled: 1,
        service_level: 0.5,
      });
      // The row and the board of one change go out together, in either order.
      const handledRow = () =>
        supervisor.frames.find(
          (f) => f.type === 'agent' && f.data.agent.username === 'agent1' && f.data.agent.handled_today === 1,
        );
      await expect.poll(handledRow, { timeout: 5000 }).toBeDefined();
      expect(handledRow().data.agent).toMatchObject({ answered_today: 1, interactions: [] });

      // Counted again from the stored events (a restart, or another node), the day is the same.
      const recount = new Supervision({
        db: h.db,
        bus: h.ctx.bus,
        log: h.log,
        online: () => new Set(),
        timeZone: async () => null,
      });
      try {
        const scope = await supervisionScope(h.db, h.tenant.id, { id: supervisor.id, role: 'supervisor' });
        const again = (await recount.wallboard(h.tenant.id, scope)).find((q) => q.queue_id === queueId);
        expect(again?.today).toEqual(tile(done)?.today);
        expect((await recount.agents(h.tenant.id, scope, agent.id))[0]).toMatchObject({
          answered_today: 1,
          handled_today: 1,
        });
      } finally {
        recount.close();
      }
      // The same numbers over REST.
      const rest = (await ok(supervisor.rest('GET', '/api/v1/supervision/queues'))) as QueueBoard[];
      expect(rest.find((q) => q.queue_id === queueId)?.today).toEqual(tile(done)?.today);
    },
  );

  it('shows a forced state with the reason and who set it', async () => {
    await ok(supervisor.rest('PUT', `/api/v1/agents/${agent.id}/state`, { ready: false, reason: 'meeting' }));
    const forced = await supervisor.next(
      (f) => f.type === 'agent' && f.data.agent.username === 'agent1' && f.data.agent.reason?.code === 'meeting',
    );
    expect(forced.data.agent).toMatchObject({
      work_status: 'not_ready',
      reason: { code: 'meeting', label: 'Meeting' },
      changed_by: 'Sam Supervisor',
      state_since: expect.stringMatching(/^2\d{3}-/),
    });
    // The agent's own panel is told who did it.
    const user = await agent.next((f) => f.type === 'user' && f.data.user.not_ready_reason_code === 'meeting');
    expect(user.data.user).toMatchObject({
      state_changed_by_name: 'Sam Supervisor',
      not_ready_reason_label: 'Meeting',
    });
  });

  it('holds a supervisor to their teams, and keeps agents and host pages out', async () => {
    // A second supervisor who supervises a team of agent4 only.
    const user = await ok(
      admin.rest('POST', '/api/v1/users', {
        username: 'sup2',
        display_name: 'Sue Two',
        email: 'sup2@x.example',
        role: 'supervisor',
        password: DEMO_PASSWORD,
      }),
      201,
    );
    const team = await ok(admin.rest('POST', '/api/v1/teams', { name: 'Night shift' }), 201);
    const agent4 = (await ok(admin.rest('GET', '/api/v1/users'))).find(
      (u: { username: string }) => u.username === 'agent4',
    );
    await ok(admin.rest('PUT', `/api/v1/teams/${team.id}/members/${agent4.id}`, {}));
    await ok(admin.rest('PUT', `/api/v1/teams/${team.id}/members/${user.id}`, { supervisor: true }));
    const sup2 = await TestAgent.login(h, wsBase, 'sup2');

    const refused = await sup2.rest('PUT', `/api/v1/agents/${agent.id}/state`, { ready: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe(
      'Ada Agent is in no team you supervise; ask an admin to add them to one.',
    );
    expect((await sup2.rest('POST', `/api/v1/agents/${agent.id}/logout`)).statusCode).toBe(403);
    await TestAgent.login(h, wsBase, 'agent4');
    await ok(sup2.rest('PUT', `/api/v1/agents/${agent4.id}/state`, { ready: false, reason: 'break' }));

    // Their views hold their team (and themself) only.
    const listed = (await ok(sup2.rest('GET', '/api/v1/agents'))).map((a: { username: string }) => a.username);
    expect(listed.sort()).toEqual(['agent4', 'sup2']);
    const hello = await sup2.connect('/ws/console');
    expect(hello.data.teams).toEqual([{ id: team.id, name: 'Night shift' }]);
    const board = await sup2.next((f) => f.type === 'wallboard');
    expect(tile(board)).toBeUndefined();
    const grid = await sup2.next((f) => f.type === 'agents');
    expect((grid.data.agents as AgentRow[]).map((a) => a.username).sort()).toEqual(['agent4', 'sup2']);
    // agent1 changing state is not news for them.
    await agent.setReady(true);
    await supervisor.next(
      (f) => f.type === 'agent' && f.data.agent.username === 'agent1' && f.data.agent.work_status === 'ready',
    );
    expect(sup2.frames.some((f) => f.type === 'agent' && f.data.agent.username === 'agent1')).toBe(false);
    await sup2.disconnect();

    // An agent cannot open the console socket or read its views.
    const plain = await TestAgent.login(h, wsBase, 'agent2');
    await expect(plain.connect('/ws/console')).rejects.toThrow('HTTP 403');
    expect((await agent.rest('GET', '/api/v1/supervision/queues')).statusCode).toBe(403);
    expect((await agent.rest('GET', '/api/v1/supervision/agents')).statusCode).toBe(403);
    // A host page cannot, even an allowlisted one with the supervisor's token.
    const fromHost = new WebSocket(`${wsBase}/ws/console`, {
      headers: { authorization: `Bearer ${supervisor.token}`, origin: 'http://127.0.0.1:13999' },
    });
    const status = await new Promise<number>((resolve) => {
      fromHost.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      fromHost.once('open', () => resolve(101));
    });
    expect(status).toBe(403);
  }, 30_000);

  it('serves the console page, never framable, with its boot config', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('"tenantName":"Parley Demo"');
    expect((await h.app.inject({ method: 'GET', url: '/console' })).statusCode).toBe(200);
  });

  it('answers what the console socket does not take with an error', async () => {
    const reply = await supervisor.request('resume', { last_seq: 1 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect((await supervisor.request('ping', null)).ok).toBe(true);
  });
});
