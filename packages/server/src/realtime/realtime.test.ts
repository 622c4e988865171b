import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { basicForm, DEMO_PASSWORD, HOST_ORIGIN, sessionCookie, startHarness, type Harness } from '../testing/index.ts';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = address.replace('http', 'ws');
});
afterAll(async () => {
  await h.close();
});

async function login(username: string): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/ecfs/authentication/',
    headers: { authorization: 'ECFAuth', 'content-type': 'application/x-www-form-urlencoded' },
    payload: basicForm(username, DEMO_PASSWORD),
  });
  return sessionCookie(res.headers['set-cookie']);
}

/** Opens a socket and collects its frames; resolves once open or rejects with the refusal status. */
function connect(
  headers: Record<string, string>,
): Promise<{ ws: WebSocket; frames: unknown[]; next: () => Promise<unknown>; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/ws/agent`, { headers });
    const frames: unknown[] = [];
    const waiters: Array<(frame: unknown) => void> = [];
    ws.on('message', (raw) => {
      const frame: unknown = JSON.parse(String(raw));
      // Queue lines come and go with routing (queue-news.test.ts); these tests follow the other frames.
      if ((frame as { type?: string }).type === 'queues') return;
      const waiter = waiters.shift();
      if (waiter) waiter(frame);
      else frames.push(frame);
    });
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        closed,
        next: () => (frames.length > 0 ? Promise.resolve(frames.shift()) : new Promise((r) => waiters.push(r))),
      }),
    );
  });
}

describe('/ws/agent', () => {
  it('refuses an upgrade without a session (401)', async () => {
    await expect(connect({})).rejects.toThrow('HTTP 401');
    await expect(connect({ cookie: 'parley_session=forged' })).rejects.toThrow('HTTP 401');
  });

  it('refuses an upgrade from a foreign page even with a valid cookie (403)', async () => {
    const cookie = await login('agent1');
    await expect(connect({ cookie: `parley_session=${cookie}`, origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('takes a headless client on an allowlisted host page only with its token, never with the cookie alone', async () => {
    const token = await login('agent1');
    await expect(connect({ cookie: `parley_session=${token}`, origin: HOST_ORIGIN })).rejects.toThrow('HTTP 403');
    await expect(connect({ authorization: `Bearer ${token}`, origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
    const { ws, next } = await connect({ authorization: `Bearer ${token}`, origin: HOST_ORIGIN });
    expect(await next()).toMatchObject({ type: 'hello', data: { user: { username: 'agent1' } } });
    ws.close();
  });

  it('takes the subprotocol token over a cookie that rides along (a host page that also embeds the panel)', async () => {
    const panelCookie = await login('agent1');
    const headlessToken = await login('agent3');
    const ws = new WebSocket(`${base}/ws/agent`, ['parley.v1', `parley.bearer.${headlessToken}`], {
      headers: { origin: HOST_ORIGIN, cookie: `parley_session=${panelCookie}` },
    });
    const first = await new Promise<unknown>((resolve, reject) => {
      ws.once('message', (raw) => resolve(JSON.parse(String(raw))));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    expect(first).toMatchObject({ type: 'hello', data: { user: { username: 'agent3' } } });
    ws.close();
  });

  it('greets with the user, answers requests and reports bad ones', async () => {
    const cookie = await login('agent1');
    const { ws, next } = await connect({ cookie: `parley_session=${cookie}`, origin: 'http://localhost:18080' });
    expect(await next()).toMatchObject({
      seq: 1,
      type: 'hello',
      data: { user: { username: 'agent1', work_status: 'not_ready' }, session_expires_at: expect.any(String) },
    });
    ws.send(JSON.stringify({ id: 'a', type: 'ping', data: null }));
    expect(await next()).toMatchObject({ re: 'a', ok: true, data: { server_time: expect.any(String) } });
    ws.send(JSON.stringify({ id: 'b', type: 'drop', data: {} }));
    expect(await next()).toEqual({
      re: 'b',
      ok: false,
      error: { code: 'invalid_argument', message: 'unknown request type "drop"' },
    });
    ws.send(JSON.stringify({ id: 'c', type: 'resume', data: { last_seq: 1 } }));
    // Nothing happened to agent1's interactions since: nothing to replay.
    expect(await next()).toEqual({ re: 'c', ok: true, data: { replayed: 0, snapshot: false } });
    ws.close();
  });

  it('closes with 4002 on a frame that is not JSON', async () => {
    const cookie = await login('agent2');
    const { ws, closed } = await connect({ authorization: `Bearer ${cookie}` });
    ws.send('{not json');
    expect(await closed).toBe(4002);
  });

  it('closes with 4001 when the session logs out', async () => {
    const cookie = await login('agent3');
    const { next, closed } = await connect({ cookie: `parley_session=${cookie}` });
    await next();
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json().agents_online).toBeGreaterThan(0);
    const out = await h.app.inject({
      method: 'DELETE',
      url: '/ecfs/authentication/',
      cookies: { parley_session: cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(await closed).toBe(4001);
  });

  it('pushes a user frame when the state changes through REST, and closes on a forced logout', async () => {
    const cookie = await login('agent4');
    const { next, closed } = await connect({ cookie: `parley_session=${cookie}` });
    expect(await next()).toMatchObject({ type: 'hello', data: { user: { work_status: 'not_ready' } } });
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/me/state',
      cookies: { parley_session: cookie },
      payload: { ready: true },
    });
    expect(put.statusCode).toBe(200);
    expect(await next()).toMatchObject({
      // After hello (and the queue lines, which may come first).
      seq: expect.any(Number),
      type: 'user',
      data: { user: { username: 'agent4', work_status: 'ready' } },
    });

    const supervisor = await login('supervisor');
    const agents = await h.app.inject({
      method: 'GET',
      url: '/api/v1/agents',
      cookies: { parley_session: supervisor },
    });
    const agent4 = agents.json().find((a: { username: string }) => a.username === 'agent4');
    expect(agent4.connected).toBe(true);
    const out = await h.app.inject({
      method: 'POST',
      url: `/api/v1/agents/${agent4.id}/logout`,
      cookies: { parley_session: supervisor },
    });
    expect(out.statusCode).toBe(204);
    expect(await closed).toBe(4001);
  });

  it('tells supervisors, live, when an agent connects, changes state and goes away', async () => {
    const supervisor = await login('supervisor');
    const sup = await connect({ cookie: `parley_session=${supervisor}` });
    const hello = (await sup.next()) as { data: { user: { username: string } } };
    expect(hello.data.user.username).toBe('supervisor');
    const agentCookie = await login('agent5');
    const agent = await connect({ cookie: `parley_session=${agentCookie}` });
    type AgentFrame = { type: string; data: { agent: { username: string; work_status: string; connected: boolean } } };
    /** The next frame about agent5 that matches; earlier ones (e.g. the login itself) are skipped. */
    const agentFrame = async (want: { work_status: string; connected: boolean }) => {
      for (;;) {
        const frame = (await sup.next()) as AgentFrame;
        const a = frame.type === 'agent' ? frame.data.agent : null;
        if (a?.username === 'agent5' && a.work_status === want.work_status && a.connected === want.connected) return a;
      }
    };
    expect(await agentFrame({ work_status: 'not_ready', connected: true })).toMatchObject({ username: 'agent5' });
    await h.app.inject({
      method: 'PUT',
      url: '/api/v1/me/state',
      cookies: { parley_session: agentCookie },
      payload: { ready: true },
    });
    expect(await agentFrame({ work_status: 'ready', connected: true })).toBeTruthy();
    agent.ws.close();
    expect(await agentFrame({ work_status: 'ready', connected: false })).toBeTruthy();
    // Agents do not get other agents' frames.
    const other = await connect({ cookie: `parley_session=${await login('agent1')}` });
    await other.next();
    await h.app.inject({
      method: 'PUT',
      url: '/api/v1/me/state',
      cookies: { parley_session: agentCookie },
      payload: { ready: false },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(other.frames.filter((f) => (f as { type: string }).type === 'agent')).toEqual([]);
    other.ws.close();
    sup.ws.close();
  });

  it('accepts the session token as a WebSocket subprotocol where cookies are refused, and never logs it', async () => {
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent2', password: DEMO_PASSWORD },
    });
    const token = login.json().token as string;
    const ws = new WebSocket(`${base}/ws/agent`, ['parley.v1', `parley.bearer.${token}`], {
      headers: { origin: 'http://localhost:18080' },
    });
    const first = await new Promise<unknown>((resolve, reject) => {
      ws.once('message', (raw) => resolve(JSON.parse(String(raw))));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    expect(ws.protocol).toBe('parley.v1');
    expect(first).toMatchObject({ type: 'hello', data: { user: { username: 'agent2' } } });
    ws.close();
    const forged = new WebSocket(`${base}/ws/agent`, ['parley.v1', 'parley.bearer.forged']);
    await expect(
      new Promise((_r, reject) =>
        forged.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`))),
      ),
    ).rejects.toThrow('HTTP 401');
    expect(h.logs.join('\n')).not.toContain(token);
  });
});
