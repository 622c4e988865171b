/**
 * The REST API and the CPC RI over a real server, on SQLite and PostgreSQL:
 * agent state, rights, validation, tenant isolation.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/index.ts';
import { ensureTenant } from '../tenants/index.ts';
import { DEMO_PASSWORD, HOST_ORIGIN, startHarness, type Harness, STORE_KINDS } from '../testing/index.ts';
import { createUser } from '../users/index.ts';

describe.each(STORE_KINDS)('REST on %s', (kind) => {
  let h: Harness;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();

  const login = async (username: string, base = '', password = DEMO_PASSWORD) => {
    const res = await h.app.inject({
      method: 'POST',
      url: `${base}/api/v1/auth/login`,
      payload: { username, password },
    });
    expect(res.statusCode, res.body).toBe(200);
    tokens.set(`${base}${username}`, res.json().token);
    ids.set(`${base}${username}`, res.json().user.id);
    return res.json() as { token: string; user: { id: string } };
  };
  const as = (username: string, options: InjectOptions & { url: string }, base = '') =>
    h.app.inject({
      ...options,
      headers: { ...options.headers, authorization: `Bearer ${tokens.get(`${base}${username}`)}` },
    });
  const id = (username: string) => ids.get(username)!;

  beforeAll(async () => {
    h = await startHarness({}, kind);
    for (const u of ['agent1', 'agent2', 'agent3', 'supervisor', 'admin']) await login(u);
  });
  afterAll(async () => {
    await h.close();
  });

  describe('agent state', () => {
    it('ready, not ready with a reason, presence; every change audited', async () => {
      const ready = await as('agent1', { method: 'PUT', url: '/api/v1/me/state', payload: { ready: true } });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().work_status).toBe('ready');
      const available = ready.json().presence_profiles.find((p: { name: string }) => p.name === 'Available');
      expect(ready.json().presence).toBe(available.id);

      const notReady = await as('agent1', {
        method: 'PUT',
        url: '/api/v1/me/state',
        payload: { ready: false, reason: 'lunch' },
      });
      expect(notReady.json().work_status).toBe('not_ready');

      const lunch = await as('agent1', { method: 'PUT', url: '/api/v1/me/presence', payload: { profile: 'Lunch' } });
      expect(lunch.json()).toMatchObject({ work_status: 'not_ready' });
      expect(lunch.json().presence).toBe(
        lunch.json().presence_profiles.find((p: { name: string }) => p.name === 'Lunch').id,
      );

      const back = await as('agent1', {
        method: 'PUT',
        url: '/api/v1/me/presence',
        payload: { profile: available.id },
      });
      expect(back.json().work_status).toBe('ready');

      const audit = await as('admin', { method: 'GET', url: '/api/v1/audit?limit=50' });
      const actions = audit
        .json()
        .map((e: { action: string; actor_id: string }) => `${e.action}:${e.actor_id === id('agent1')}`);
      expect(actions).toEqual(
        expect.arrayContaining(['agent_ready:true', 'agent_not_ready:true', 'agent_presence:true']),
      );
    });

    it.each([
      [{ ready: 'yes' }, /ready/],
      [{ ready: false, reason: 'not-a-code' }, /reason: no not-ready reason code "not-a-code"/],
      [{ ready: true, extra: 1 }, /additional/],
      [{}, /ready/],
    ])('refuses state %j with 400 naming the field', async (payload, message) => {
      const res = await as('agent1', { method: 'PUT', url: '/api/v1/me/state', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(message);
    });

    it('answers 404 for an unknown presence profile and 409 for an agent who is offline', async () => {
      expect(
        (await as('agent1', { method: 'PUT', url: '/api/v1/me/presence', payload: { profile: 'Vacation' } }))
          .statusCode,
      ).toBe(404);
      const offline = await as('supervisor', { method: 'GET', url: '/api/v1/users' });
      const agent4 = offline.json().find((u: { username: string }) => u.username === 'agent4');
      const res = await as('supervisor', {
        method: 'PUT',
        url: `/api/v1/agents/${agent4.id}/state`,
        payload: { ready: true },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toEqual({
        code: 'invalid_state',
        message: 'agent4 is offline; an agent must be logged in to change state.',
      });
    });

    it('lets agents change only themselves; supervisors change anyone', async () => {
      const mine = await as('agent1', {
        method: 'PUT',
        url: `/api/v1/agents/${id('agent1')}/state`,
        payload: { ready: true },
      });
      expect(mine.statusCode).toBe(200);
      const theirs = await as('agent1', {
        method: 'PUT',
        url: `/api/v1/agents/${id('agent2')}/state`,
        payload: { ready: true },
      });
      expect(theirs.statusCode).toBe(403);
      const forced = await as('supervisor', {
        method: 'PUT',
        url: `/api/v1/agents/${id('agent2')}/state`,
        payload: { ready: false, reason: 'meeting' },
      });
      expect(forced.statusCode).toBe(200);
      expect((await as('agent2', { method: 'GET', url: '/api/v1/me' })).json().work_status).toBe('not_ready');
    });

    it('lists the queues an agent serves', async () => {
      const res = await as('agent1', { method: 'GET', url: '/api/v1/me/queues' });
      expect(res.statusCode).toBe(200);
      expect(res.json().length).toBe(4);
      for (const q of res.json())
        expect(q).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), addresses: expect.any(Array) });
    });

    it('changes language and theme of the caller only', async () => {
      const res = await as('agent3', {
        method: 'PATCH',
        url: '/api/v1/me',
        payload: { language: 'de', theme: { dark: true, primary: '#112233' } },
      });
      expect(res.json()).toMatchObject({ language: 'de', theme: { dark: true, primary: '#112233' } });
      expect(
        (await as('agent3', { method: 'PATCH', url: '/api/v1/me', payload: { language: 'german' } })).statusCode,
      ).toBe(400);
      expect((await as('agent3', { method: 'PATCH', url: '/api/v1/me', payload: {} })).statusCode).toBe(400);
    });

    it("keeps the agent's devices and shortcuts, each part replacing its own, and refuses bad ones", async () => {
      const patch = (preferences: unknown) =>
        as('agent3', { method: 'PATCH', url: '/api/v1/me', payload: { preferences } });
      const devices = { mic: 'Headset mic', ringer: 'Speakers', output: 'Headset' };
      expect((await patch({ devices })).json().preferences).toEqual({ devices });
      const both = (await patch({ shortcuts: { accept: 'Alt+J' } })).json();
      expect(both.preferences).toEqual({ devices, shortcuts: { accept: 'Alt+J' } });
      expect((await as('agent3', { method: 'GET', url: '/api/v1/me' })).json().preferences).toEqual(both.preferences);
      for (const bad of [
        { devices: { mic: 'x' } },
        { shortcuts: { Accept: 'Alt+J' } },
        { colour: 'red' },
        { shortcuts: { accept: 'x'.repeat(41) } },
      ])
        expect((await patch(bad)).statusCode).toBe(400);
    });
  });

  describe('passwords', () => {
    it("changes one's own password only with the current one, ending the caller's other sessions", async () => {
      const { token: otherDevice } = await login('agent3');
      await login('agent3');
      expect(
        (await as('agent3', { method: 'PUT', url: '/api/v1/me/password', payload: { password: 'new-password-3' } }))
          .statusCode,
      ).toBe(400);
      const wrong = await as('agent3', {
        method: 'PUT',
        url: '/api/v1/me/password',
        payload: { current_password: 'nope', password: 'new-password-3' },
      });
      expect(wrong.statusCode).toBe(401);
      const ok = await as('agent3', {
        method: 'PUT',
        url: '/api/v1/me/password',
        payload: { current_password: DEMO_PASSWORD, password: 'new-password-3' },
      });
      expect(ok.statusCode).toBe(204);
      const me = (token: string) =>
        h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      // The session that made the change lives on; the other device must log in again.
      expect((await as('agent3', { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
      expect((await me(otherDevice)).statusCode).toBe(401);
      const { token: fresh } = await login('agent3', '', 'new-password-3');

      // An admin sets it back with a body of only {password}, and every session of the user ends.
      expect(
        (
          await as('admin', {
            method: 'PUT',
            url: `/api/v1/users/${id('agent3')}/password`,
            payload: { password: DEMO_PASSWORD, current_password: 'x' },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await as('agent1', {
            method: 'PUT',
            url: `/api/v1/users/${id('agent3')}/password`,
            payload: { password: DEMO_PASSWORD },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await as('admin', {
            method: 'PUT',
            url: `/api/v1/users/${id('agent3')}/password`,
            payload: { password: DEMO_PASSWORD },
          })
        ).statusCode,
      ).toBe(204);
      expect((await me(fresh)).statusCode).toBe(401);
      await login('agent3');
    });
  });

  describe('rights', () => {
    it('shows agents a directory and supervisors the details', async () => {
      const agentView = (await as('agent1', { method: 'GET', url: '/api/v1/users' })).json();
      expect(agentView.length).toBe(7);
      expect(Object.keys(agentView[0]).sort()).toEqual(['display_name', 'id', 'username', 'work_status']);
      const supervisorView = (await as('supervisor', { method: 'GET', url: '/api/v1/users' })).json();
      expect(supervisorView[0]).toHaveProperty('email');
      expect((await as('agent1', { method: 'GET', url: '/api/v1/agents' })).statusCode).toBe(403);
      const agents = (await as('supervisor', { method: 'GET', url: '/api/v1/agents' })).json();
      expect(agents.find((a: { username: string }) => a.username === 'agent1')).toMatchObject({
        work_status: 'ready',
        connected: false,
      });
    });

    it('lets only admins create users, with clear errors', async () => {
      const body = {
        username: 'newbie',
        display_name: 'New Bie',
        email: 'newbie@x.example',
        role: 'agent',
        password: 'long-enough-pw',
      };
      expect((await as('supervisor', { method: 'POST', url: '/api/v1/users', payload: body })).statusCode).toBe(403);
      const created = await as('admin', { method: 'POST', url: '/api/v1/users', payload: body });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ username: 'newbie', role: 'agent', rights: ['agent'] });
      const again = await as('admin', { method: 'POST', url: '/api/v1/users', payload: body });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toBe('username newbie is already taken');
      const badEmail = await as('admin', {
        method: 'POST',
        url: '/api/v1/users',
        payload: { ...body, username: 'x', email: 'nope' },
      });
      expect(badEmail.statusCode).toBe(400);
      expect(badEmail.json().error.message).toMatch(/email/);
      const noLogin = await as('admin', {
        method: 'POST',
        url: '/api/v1/users',
        payload: { ...body, username: 'y', password: undefined },
      });
      expect(noLogin.statusCode).toBe(400);
      expect(
        (
          await h.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'newbie', password: 'long-enough-pw' },
          })
        ).statusCode,
      ).toBe(200);
    });

    it('creates and edits queues; a taken address is a 409 and writes nothing', async () => {
      const before = (await as('admin', { method: 'GET', url: '/api/v1/queues' })).json().length;
      const clash = await as('admin', {
        method: 'POST',
        url: '/api/v1/queues',
        payload: { name: 'Clash', type: 'phone', addresses: ['+15555550100'] },
      });
      expect(clash.statusCode).toBe(409);
      expect((await as('admin', { method: 'GET', url: '/api/v1/queues' })).json().length).toBe(before);
      const vip = await as('admin', {
        method: 'POST',
        url: '/api/v1/queues',
        payload: {
          name: 'VIP',
          type: 'phone',
          addresses: ['+15555550999'],
          priority: 9,
          offer_timeout_s: 20,
          skills: ['vip'],
        },
      });
      expect(vip.statusCode).toBe(201);
      expect(vip.json()).toMatchObject({
        name: 'VIP',
        priority: 9,
        offer_timeout_s: 20,
        addresses: [{ address: '+15555550999' }],
      });
      expect(
        (await as('admin', { method: 'POST', url: '/api/v1/queues', payload: { name: 'T', type: 'fax' } })).statusCode,
      ).toBe(400);
      expect(
        (
          await as('admin', {
            method: 'POST',
            url: '/api/v1/queues',
            payload: { name: 'T', type: 'phone', offer_timeout_s: 2 },
          })
        ).statusCode,
      ).toBe(400);
      const patched = await as('admin', {
        method: 'PATCH',
        url: `/api/v1/queues/${vip.json().id}`,
        payload: { priority: 10, addresses: ['+15555550998'] },
      });
      expect(patched.json()).toMatchObject({ priority: 10, addresses: [{ address: '+15555550998' }] });
      expect(
        (await as('agent1', { method: 'PATCH', url: `/api/v1/queues/${vip.json().id}`, payload: { priority: 1 } }))
          .statusCode,
      ).toBe(403);

      const member = await as('admin', {
        method: 'PUT',
        url: `/api/v1/queues/${vip.json().id}/members/${id('agent1')}`,
        payload: { can_serve: true, proficiency: 5 },
      });
      expect(member.statusCode).toBe(200);
      expect(
        (await as('agent1', { method: 'GET', url: '/api/v1/me/queues' })).json().map((q: { name: string }) => q.name),
      ).toContain('VIP');
      expect(
        (
          await as('admin', {
            method: 'PUT',
            url: `/api/v1/queues/${vip.json().id}/members/${id('agent1')}`,
            payload: { can_serve: true, proficiency: 6 },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (await as('supervisor', { method: 'GET', url: `/api/v1/queues/${vip.json().id}/members` })).json(),
      ).toEqual([{ user_id: id('agent1'), can_serve: true, proficiency: 5 }]);
    });

    it('gives supervisors live queue statistics from agent state', async () => {
      expect((await as('agent1', { method: 'GET', url: '/api/v1/queues/stats' })).statusCode).toBe(403);
      const salesStats = async () =>
        (
          (await as('supervisor', { method: 'GET', url: '/api/v1/queues/stats' })).json() as Array<
            Record<string, number | string>
          >
        ).find((q) => q['name'] === 'Sales')!;
      const sales = await salesStats();
      const sum = ['agents_ready', 'agents_not_ready', 'agents_busy', 'agents_wrap_up'].reduce(
        (n, k) => n + Number(sales[k]),
        0,
      );
      expect(sum).toBe(sales['agents_logged_in']);
      expect(Number(sales['agents_serving'])).toBeGreaterThanOrEqual(Number(sales['agents_logged_in']));
      const members = (
        await as('supervisor', { method: 'GET', url: `/api/v1/queues/${String(sales['queue_id'])}/members` })
      ).json() as Array<{ user_id: string; can_serve: boolean }>;
      const agent1InSales = members.some((m) => m.user_id === id('agent1') && m.can_serve);
      await as('agent1', { method: 'PUT', url: '/api/v1/me/state', payload: { ready: false } });
      const notReady = await salesStats();
      await as('agent1', { method: 'PUT', url: '/api/v1/me/state', payload: { ready: true } });
      const ready = await salesStats();
      expect(Number(ready['agents_ready']) - Number(notReady['agents_ready'])).toBe(agent1InSales ? 1 : 0);
      expect(Number(notReady['agents_not_ready']) - Number(ready['agents_not_ready'])).toBe(agent1InSales ? 1 : 0);
    });

    it('lets admins add presence profiles and reason codes', async () => {
      const profile = await as('admin', {
        method: 'POST',
        url: '/api/v1/presence-profiles',
        payload: { name: 'Coaching', ready: false },
      });
      expect(profile.statusCode).toBe(201);
      expect(
        (
          await as('admin', {
            method: 'POST',
            url: '/api/v1/presence-profiles',
            payload: { name: 'Coaching', ready: false },
          })
        ).statusCode,
      ).toBe(409);
      expect(
        (
          await as('agent1', {
            method: 'POST',
            url: '/api/v1/presence-profiles',
            payload: { name: 'Nap', ready: false },
          })
        ).statusCode,
      ).toBe(403);
      const set = await as('agent1', { method: 'PUT', url: '/api/v1/me/presence', payload: { profile: 'Coaching' } });
      expect(set.json().presence).toBe(profile.json().id);
      const code = await as('admin', {
        method: 'POST',
        url: '/api/v1/reason-codes',
        payload: { kind: 'not_ready', code: 'coaching', label: 'Coaching' },
      });
      expect(code.statusCode).toBe(201);
      expect(
        (
          await as('admin', {
            method: 'POST',
            url: '/api/v1/reason-codes',
            payload: { kind: 'not_ready', code: 'Bad Code', label: 'x' },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (await as('agent1', { method: 'PUT', url: '/api/v1/me/state', payload: { ready: false, reason: 'coaching' } }))
          .statusCode,
      ).toBe(200);
      await as('agent1', { method: 'PUT', url: '/api/v1/me/state', payload: { ready: true } });
    });

    it('lets a supervisor log an agent out everywhere', async () => {
      const { token } = await login('agent5');
      const res = await as('supervisor', { method: 'POST', url: `/api/v1/agents/${id('agent5')}/logout` });
      expect(res.statusCode).toBe(204);
      expect(
        (await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
          .statusCode,
      ).toBe(401);
      expect((await as('agent1', { method: 'POST', url: `/api/v1/agents/${id('agent2')}/logout` })).statusCode).toBe(
        403,
      );
    });

    it('lets admins change the tenant allowlist, which the panel CSP follows', async () => {
      const bad = await as('admin', {
        method: 'PATCH',
        url: '/api/v1/tenant',
        payload: { allowed_origins: ['not an origin'] },
      });
      expect(bad.statusCode).toBe(400);
      for (const entry of ['https://Crm.Example.com', 'https://crm.example.com:99999', 'https://crm.example.com/app']) {
        const res = await as('admin', {
          method: 'PATCH',
          url: '/api/v1/tenant',
          payload: { allowed_origins: [entry] },
        });
        expect(res.statusCode, entry).toBe(400);
      }
      const ok = await as('admin', {
        method: 'PATCH',
        url: '/api/v1/tenant',
        payload: { allowed_origins: ['https://crm.example.com'] },
      });
      expect(ok.json().allowed_origins).toEqual(['https://crm.example.com']);
      const csp = String(
        (await h.app.inject({ method: 'GET', url: '/panel/embedded' })).headers['content-security-policy'],
      );
      expect(csp).toContain("frame-ancestors 'self' https://crm.example.com");
      // PARLEY_ALLOWED_ORIGINS stays allowed for the default tenant on top of the stored list.
      expect(csp).toContain(HOST_ORIGIN);
      expect((await as('supervisor', { method: 'GET', url: '/api/v1/tenant' })).statusCode).toBe(403);
    });
  });

  describe('tenant isolation', () => {
    beforeAll(async () => {
      const acme = await ensureTenant(h.db, { slug: 'acme', name: 'Acme Inc' });
      await createUser(h.db, acme.id, {
        username: 'alice',
        displayName: 'Alice',
        email: 'alice@acme.example',
        role: 'admin',
        passwordHash: await hashPassword('acme-password'),
      });
      // Same username as in the default tenant, different person.
      await createUser(h.db, acme.id, {
        username: 'agent1',
        displayName: 'Acme One',
        email: 'one@acme.example',
        role: 'agent',
        passwordHash: await hashPassword('acme-password'),
      });
      await login('alice', '/t/acme', 'acme-password');
    });

    it('logs in per tenant: the same username is a different user', async () => {
      const demo = await h.app.inject({
        method: 'POST',
        url: '/t/acme/api/v1/auth/login',
        payload: { username: 'agent1', password: DEMO_PASSWORD },
      });
      expect(demo.statusCode).toBe(401);
      const acme = await h.app.inject({
        method: 'POST',
        url: '/t/acme/api/v1/auth/login',
        payload: { username: 'agent1', password: 'acme-password' },
      });
      expect(acme.json().user.display_name).toBe('Acme One');
      expect(String(acme.headers['set-cookie'])).toContain('Path=/t/acme/');
    });

    it('never lets a user of one tenant read or change the other', async () => {
      const users = await as('alice', { method: 'GET', url: '/t/acme/api/v1/users' }, '/t/acme');
      expect(users.json().map((u: { username: string }) => u.username)).toEqual(['agent1', 'alice']);
      // A session of tenant acme is no session at the default tenant, and the other way round.
      expect((await as('alice', { method: 'GET', url: '/api/v1/me' }, '/t/acme')).statusCode).toBe(401);
      expect((await as('admin', { method: 'GET', url: '/t/acme/api/v1/me' })).statusCode).toBe(401);
      // Ids of the other tenant do not exist here.
      for (const [method, url, payload] of [
        ['GET', `/t/acme/api/v1/users/${id('agent1')}`, undefined],
        ['PUT', `/t/acme/api/v1/agents/${id('agent1')}/state`, { ready: false }],
        ['PATCH', `/t/acme/api/v1/users/${id('agent1')}`, { display_name: 'Hacked' }],
        ['POST', `/t/acme/api/v1/agents/${id('agent1')}/logout`, undefined],
      ] as const) {
        const res = await as('alice', { method, url, ...(payload ? { payload } : {}) }, '/t/acme');
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      expect((await as('agent1', { method: 'GET', url: '/api/v1/me' })).json().display_name).toBe('Ada Agent');
      expect((await as('alice', { method: 'GET', url: '/t/acme/api/v1/queues' }, '/t/acme')).json()).toEqual([]);
      const tenant = await as('alice', { method: 'GET', url: '/t/acme/api/v1/tenant' }, '/t/acme');
      expect(tenant.json()).toMatchObject({
        slug: 'acme',
        base_url: 'http://localhost:18080/t/acme/',
        allowed_origins: [],
      });
    });

    it('serves the tenant panel with its own base URL and allowlist; unknown tenants are 404', async () => {
      const page = await h.app.inject({ method: 'GET', url: '/t/acme/panel/embedded' });
      expect(page.body).toContain('"baseUrl":"http://localhost:18080/t/acme/"');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'self';");
      const missing = await h.app.inject({ method: 'GET', url: '/t/nope/api/v1/me' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.message).toBe('No tenant "nope".');
    });
  });

  describe('CPC RI', () => {
    it('lists queues and users, and changes ready state and presence', async () => {
      const queues = await as('agent1', { method: 'GET', url: '/ecfs/RI/rci/queues' });
      expect(queues.json().map((q: { name: string }) => q.name)).toEqual(
        expect.arrayContaining(['Sales', 'Support', 'Web Chat', 'Email Support', 'SMS', 'WhatsApp']),
      );
      expect((await as('agent1', { method: 'GET', url: '/ecfs/RI/rci/users' })).json().length).toBeGreaterThanOrEqual(
        7,
      );
      const notReady = await as('agent1', {
        method: 'PUT',
        url: `/ecfs/RI/rmi/agents/${id('agent1')}/readyState/`,
        payload: { readyState: 'NotReady' },
      });
      expect(notReady.json().work_status).toBe('not_ready');
      const presences = await as('agent1', { method: 'GET', url: `/ecfs/RI/rmi/agents/${id('agent1')}/presences/` });
      const training = presences.json().presences.find((p: { name: string }) => p.name === 'Training');
      const set = await as('agent1', {
        method: 'PUT',
        url: `/ecfs/RI/rmi/agents/${id('agent1')}/presences/${training.id}`,
      });
      expect(set.json().presence).toBe(training.id);
      expect(
        (
          await as('agent1', {
            method: 'PUT',
            url: `/ecfs/RI/rmi/agents/${id('agent2')}/readyState/`,
            payload: { readyState: 'Ready' },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await as('agent1', {
            method: 'PUT',
            url: `/ecfs/RI/rmi/agents/${id('agent1')}/readyState/`,
            payload: { readyState: 'Busy' },
          })
        ).statusCode,
      ).toBe(400);
      expect((await as('agent1', { method: 'GET', url: '/ecfs/RI/rmi/contacts' })).json()).toEqual([]);
    });

    it('answers an unknown API with 404 naming the APIs that exist', async () => {
      const res = await as('agent1', { method: 'GET', url: '/ecfs/RI/xyz/things' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toMatch(/^No RI API "xyz"\. APIs: rci \(GET \/queues.*rmi \(/);
      expect((await h.app.inject({ method: 'GET', url: '/ecfs/RI/rci/queues' })).statusCode).toBe(401);
    });
  });
});
