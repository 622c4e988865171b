/**
 * The headless agent client (`@parley/agent`'s Agent) against a real server
 * over real HTTP and a real socket: an agent token from an API key signs it
 * in, and a call goes offer → accept → hold → hang up → wrap-up with the
 * same events the panel-mode SDK emits.
 */
import { Agent, CommandError } from '@parley/agent';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { api, login } from './helpers.ts';
import { startHarness, startOidcProvider, TestAgent, type Harness } from '@parley/server/testing';

describe('the headless agent client', () => {
  let h: Harness;
  let admin: TestAgent;
  let key: string;
  let line: string;
  const token = async (user: string): Promise<string> => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/agent-tokens',
      headers: { authorization: `Bearer ${key}` },
      payload: { user },
    });
    expect(res.statusCode, res.body).toBe(201);
    h.secrets.add(res.json().token);
    return res.json().token as string;
  };

  beforeAll(async () => {
    // Node 20 has no WebSocket global; browsers do. `ws` speaks the same interface.
    (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
    h = await startHarness({}, 'sqlite', { listen: true });
    admin = await TestAgent.login(h, (h.url ?? '').replace('http', 'ws').slice(0, -1), 'admin');
    const created = await admin.rest('POST', '/api/v1/api-keys', { name: 'test backend' });
    key = created.json().key;
    h.secrets.add(key);
    const queue = await admin.rest('POST', '/api/v1/queues', { name: 'Headless line', type: 'phone', wrapup_s: 30 });
    line = queue.json().id;
    const agent1 = (await admin.rest('GET', '/api/v1/users'))
      .json()
      .find((u: { username: string }) => u.username === 'agent1');
    await admin.rest('PUT', `/api/v1/queues/${line}/members/${agent1.id}`, { can_serve: true, proficiency: 3 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('signs in with an agent token and carries a call through with the shared events', async () => {
    const agent = await Agent.connect({ baseUrl: h.url ?? '', getToken: () => token('agent1') });
    const events: string[] = [];
    const seen = new Map<string, Array<(v: unknown) => void>>();
    const when = (name: string) =>
      new Promise<unknown>((resolve) => seen.set(name, [...(seen.get(name) ?? []), resolve]));
    const note = (name: string, value: unknown) => {
      events.push(name);
      for (const r of seen.get(name) ?? []) r(value);
      seen.delete(name);
    };
    agent.on('interaction:status', (e) => note(`status:${e.status}`, e.interaction));
    agent.on('interaction:channel', (e) => note(`held:${e.held}`, e.interaction));
    agent.on('agent:workStatus', (s) => note(`work:${s}`, s));
    agent.on('interaction:customer', (e) => note('customer', e));
    try {
      expect(agent.user.username).toBe('agent1');
      expect(agent.connection).toBe('online');
      const ready = when('work:ready');
      expect((await agent.setReady(true)).work_status).toBe('ready');
      await ready;

      const offered = when('status:incoming');
      const popped = when('customer');
      const call = await admin.rest('POST', '/api/v1/demo/contacts', {
        queue_id: line,
        from: '+4930111222',
        attributes: { account: '4711' },
      });
      expect(call.statusCode, call.body).toBe(201);
      const interaction = (await offered) as { id: string };
      expect(interaction.id).toBe(call.json().id);
      // Screen-pop: the customer card follows the offer, with the data that came with the contact.
      expect(await popped).toMatchObject({
        customer: { phone: '+4930111222' },
        attributes: { account: '4711' },
        interaction: { id: interaction.id },
      });

      const accepted = when('status:accepted');
      await agent.accept(interaction.id);
      await accepted;
      const held = when('held:true');
      expect((await agent.hold(interaction.id)).held).toBe(true);
      await held;
      await agent.unhold(interaction.id);
      const ended = when('status:ended');
      await agent.hangup(interaction.id);
      await ended;
      const handled = when('status:handled');
      await agent.wrapUp({ notes: 'headless' }, interaction.id);
      await handled;
      expect(agent.interactions).toEqual([]);
      expect(events).toEqual(
        expect.arrayContaining([
          'work:ready',
          'status:incoming',
          'status:accepted',
          'held:true',
          'status:ended',
          'status:handled',
        ]),
      );
      // With nothing in view, a call needs its id, and says so.
      await expect(agent.hold()).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      agent.close();
    }
    await expect(agent.setReady(false)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('asks getToken again when the session ends, and carries on; without a new token, calls fail token_expired', async () => {
    const issued: string[] = [];
    let supply = true;
    const getToken = async () => {
      if (!supply) throw new Error('the backend is down');
      const t = await token('agent3');
      issued.push(t);
      return t;
    };
    const agent = await Agent.connect({ baseUrl: h.url ?? '', getToken });
    let ended = 0;
    agent.on('session:ended', () => (ended += 1));
    try {
      expect((await agent.setReady(true)).work_status).toBe('ready');
      // The session ends under the client (as at expiry): the server closes its socket with 4001.
      const logout = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { authorization: `Bearer ${issued[0]}` },
      });
      expect(logout.statusCode).toBeLessThan(300);
      // The next call waits for the new token and goes through on it.
      await expect.poll(() => issued.length, { timeout: 5000 }).toBe(2);
      expect((await agent.setReady(false)).work_status).toBe('not_ready');
      await expect.poll(() => agent.connection, { timeout: 5000 }).toBe('online');
      expect(ended).toBe(0);

      // Now the backend gives none: the client closes and says why.
      supply = false;
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { authorization: `Bearer ${issued[1]}` },
      });
      await expect.poll(() => ended, { timeout: 5000 }).toBe(1);
      await expect(agent.setReady(true)).rejects.toMatchObject({ code: 'invalid_state' });
    } finally {
      agent.close();
    }
  });

  it("signs in with an access token from the tenant's identity provider, never sending a Parley token there", async () => {
    const op = await startOidcProvider();
    try {
      const patched = await admin.rest('PATCH', '/api/v1/tenant', { oauth_issuers: [op.issuer] });
      expect(patched.statusCode, patched.body).toBe(200);
      const created = await admin.rest('POST', '/api/v1/users', {
        username: 'ada.oauth',
        display_name: 'Ada OAuth',
        email: 'ada.oauth@example.com',
        role: 'agent',
        oauth_subject: 'sub-ada',
      });
      expect(created.statusCode, created.body).toBe(201);
      const accessToken = await op.opaqueToken('sub-ada');
      h.secrets.add(accessToken);
      // An opaque provider token is a Parley token to the client unless it is told: refused, and no issuer asked.
      const before = op.userinfoCalls;
      await expect(Agent.connect({ baseUrl: h.url ?? '', token: accessToken })).rejects.toMatchObject({
        code: 'unauthorized',
      });
      expect(op.userinfoCalls).toBe(before);
      const agent = await Agent.connect({ baseUrl: h.url ?? '', token: accessToken, tokenKind: 'oidc' });
      try {
        expect(agent.user.username).toBe('ada.oauth');
        expect(agent.connection).toBe('online');
        expect((await agent.setReady(true)).work_status).toBe('ready');
        expect((await agent.setReady(false)).work_status).toBe('not_ready');
      } finally {
        agent.close();
      }
    } finally {
      await admin.rest('PATCH', '/api/v1/tenant', { oauth_issuers: [] });
      await op.close();
    }
  });

  it('refuses a bad token or base URL with a code that says what to fix', async () => {
    await expect(Agent.connect({ baseUrl: h.url ?? '', token: 'not-a-token' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(Agent.connect({ baseUrl: 'parley.example', token: 'x' })).rejects.toBeInstanceOf(CommandError);
    await expect(Agent.connect({ baseUrl: h.url ?? '' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('the headless agent client in Chromium', () => {
  const baseUrl = inject('baseUrl');
  const allowedHostUrl = inject('allowedHostUrl');
  const foreignUrl = inject('foreignUrl');
  const browser = useBrowser();

  /** An agent token for `user`, from an API key, as an integrator's backend gets it. */
  const agentToken = async (user: string): Promise<string> => {
    const { token: admin } = await login(baseUrl, 'admin', inject('demoPassword'));
    const { key } = (await api(baseUrl, admin, 'POST', 'api/v1/api-keys', { name: 'e2e backend' })) as { key: string };
    const minted = await fetch(new URL('api/v1/agent-tokens', baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    expect(minted.status).toBe(201);
    return ((await minted.json()) as { token: string }).token;
  };

  it('runs from {base}sdk/parley-agent.js on an allowlisted host page, and not from a foreign one', async () => {
    const token = await agentToken('agent4');
    const page = await browser().newPage();
    try {
      await page.goto(allowedHostUrl);
      await page.addScriptTag({ url: `${baseUrl}sdk/parley-agent.js` });
      const result = await page.evaluate(
        async ([base, t]) => {
          const w = window as unknown as {
            ParleyAgent: {
              connect(o: object): Promise<{
                user: { username: string };
                setReady(r: boolean): Promise<{ work_status: string }>;
                close(): void;
              }>;
            };
          };
          const agent = await w.ParleyAgent.connect({ baseUrl: base, token: t });
          const user = await agent.setReady(true);
          const after = await agent.setReady(false);
          agent.close();
          return { username: agent.user.username, ready: user.work_status, after: after.work_status };
        },
        [baseUrl, token] as const,
      );
      expect(result).toEqual({ username: 'agent4', ready: 'ready', after: 'not_ready' });

      // A page the tenant does not allow gets no CORS answer, so the client cannot even sign in.
      await page.goto(foreignUrl);
      await page.addScriptTag({ url: `${baseUrl}sdk/parley-agent.js` });
      const refused = await page.evaluate(
        async ([base, t]) => {
          const w = window as unknown as { ParleyAgent: { connect(o: object): Promise<unknown> } };
          try {
            await w.ParleyAgent.connect({ baseUrl: base, token: t });
            return 'connected';
          } catch (err) {
            return (err as { code?: string }).code ?? String(err);
          }
        },
        [baseUrl, token] as const,
      );
      expect(refused).toBe('unreachable');
    } finally {
      await page.close();
    }
  });
});
