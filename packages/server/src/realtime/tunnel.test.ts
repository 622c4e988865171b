import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTenant } from '../tenants/index.ts';
import { hashPassword } from '../auth/index.ts';
import { createUser } from '../users/index.ts';
import { TestAgent, startHarness, type Harness } from '../testing/index.ts';

let h: Harness;
let wsBase: string;
let agent: TestAgent;
beforeAll(async () => {
  h = await startHarness();
  wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
  agent = await TestAgent.login(h, wsBase, 'agent1');
  await agent.connect();
});
afterAll(async () => {
  await agent.disconnect();
  await h.close();
});

describe('REST over the agent socket (`rest` requests)', () => {
  it('runs the route as the socket session: the change is stored and pushed like over HTTP', async () => {
    const reply = await agent.request('rest', { method: 'PUT', path: 'api/v1/me/state', body: { ready: true } });
    expect(reply).toMatchObject({
      ok: true,
      data: { status: 200, body: { username: 'agent1', work_status: 'ready' } },
    });
    const stored = await h.db.selectFrom('users').select('work_status').where('id', '=', agent.id).executeTakeFirst();
    expect(stored?.work_status).toBe('ready');
    await agent.next((f) => f.type === 'user' && f.data.user.work_status === 'ready');
    const audit = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor_id', '=', agent.id)
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    expect(audit?.action).toBe('agent_ready');
    await agent.request('rest', { method: 'PUT', path: 'api/v1/me/state', body: { ready: false } });
  });

  it('answers with the route’s own 4xx and message, and stores nothing', async () => {
    const bad = await agent.request('rest', { method: 'PUT', path: 'api/v1/me/state', body: { ready: 'yes' } });
    expect(bad).toMatchObject({ ok: true, data: { status: 400, body: { error: { code: 'invalid_argument' } } } });
    expect(bad.data.body.error.message).toMatch(/ready/);
    const reason = await agent.request('rest', {
      method: 'PUT',
      path: 'api/v1/me/state',
      body: { ready: false, reason: 'no-such-reason' },
    });
    expect(reason.data.status).toBe(400);
    const missing = await agent.request('rest', {
      method: 'GET',
      path: 'api/v1/interactions/0123456789abcdef0123456789abcdef',
    });
    expect(missing.data.status).toBe(404);
    const stored = await h.db.selectFrom('users').select('work_status').where('id', '=', agent.id).executeTakeFirst();
    expect(stored?.work_status).toBe('not_ready');
  });

  it('keeps every permission check: an agent gets 403 where an admin route is asked', async () => {
    const audit = await agent.request('rest', { method: 'GET', path: 'api/v1/audit?limit=5' });
    expect(audit.data).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const agent2 = await h.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'agent2')
      .executeTakeFirstOrThrow();
    const other = await agent.request('rest', {
      method: 'PUT',
      path: `api/v1/agents/${agent2.id}/state`,
      body: { ready: true },
    });
    expect(other.data.status).toBe(403);
  });

  it('refuses what it does not carry, saying why, without running it', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ method: 'POST', path: 'api/v1/auth/logout' }, /log in and out over HTTP/],
      // Percent-encoded, the router would read it as api/v1/auth/popout and mint a token.
      [{ method: 'POST', path: 'api/v1/%61uth/popout' }, /log in and out over HTTP/],
      [{ method: 'POST', path: 'api/v1%2Fauth/popout' }, /under api\/v1\/ or ecfs/],
      [{ method: 'GET', path: 'api/v1/me%3Fx' }, /plain path/],
      [{ method: 'GET', path: 'api/v1/%E0%A4%A' }, /percent-encoding is broken/],
      [{ method: 'GET', path: '/api/v1/me' }, /under api\/v1\/ or ecfs\/RI\//],
      [{ method: 'GET', path: 'api/v1/../../ws/agent' }, /dot segments/],
      [{ method: 'GET', path: 'api/v1/%2e%2e/admin' }, /dot segments/],
      [{ method: 'GET', path: 'ecfs/RI/x\\..\\y' }, /backslashes/],
      [{ method: 'TRACE', path: 'api/v1/me' }, /GET, POST, PUT, PATCH or DELETE/],
      [{ method: 'GET', path: 42 }, /data.path/],
      [null, /data.method/],
    ];
    for (const [data, message] of cases) {
      const reply = await agent.request('rest', data);
      expect(reply, JSON.stringify(data)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(reply.error.message).toMatch(message);
    }
    // The session is still there: logout was not carried, and no pop-out session was made.
    expect((await agent.rest('GET', '/api/v1/me')).statusCode).toBe(200);
    const popouts = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'popout_session')
      .execute();
    expect(popouts).toEqual([]);
  });

  it('speaks for the tenant the socket belongs to', async () => {
    const acme = await ensureTenant(h.db, { slug: 'tunnel-co', name: 'Tunnel Co' });
    await createUser(h.db, acme.id, {
      username: 'tina',
      displayName: 'Tina',
      email: 'tina@tunnel.example',
      role: 'agent',
      passwordHash: await hashPassword('tunnel-password-1'),
    });
    h.secrets.add('tunnel-password-1');
    const login = await h.app.inject({
      method: 'POST',
      url: '/t/tunnel-co/api/v1/auth/login',
      payload: { username: 'tina', password: 'tunnel-password-1' },
    });
    expect(login.statusCode, login.body).toBe(200);
    const tina = new TestAgent(h, 'tina', login.json().token, login.json().user.id, `${wsBase}/t/tunnel-co`);
    h.secrets.add(tina.token);
    await tina.connect();
    const me = await tina.request('rest', { method: 'GET', path: 'api/v1/me' });
    expect(me.data).toMatchObject({ status: 200, body: { username: 'tina' } });
    await tina.disconnect();
  });

  it('stops with the session: a logged-out socket is closed and carries nothing more', async () => {
    const agent2 = await TestAgent.login(h, wsBase, 'agent2');
    await agent2.connect();
    const ws = agent2.ws;
    const closed = new Promise<number>((r) => ws?.once('close', (code) => r(code)));
    await agent2.rest('POST', '/api/v1/auth/logout');
    expect(await closed).toBe(4001);
  });
});
