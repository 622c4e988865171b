import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  otherTenant,
  basicForm,
  DEMO_PASSWORD,
  HOST_ORIGIN,
  sessionCookie,
  startHarness,
  type Harness,
} from '../testing/index.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const ecfLogin = (username: string, password: string, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url: '/ecfs/authentication/',
    headers: { authorization: 'ECFAuth', 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: basicForm(username, password),
  });

describe('POST /ecfs/authentication/ (CPC basic login)', () => {
  it('logs in with UTF-8 credentials and sets a partitioned, HttpOnly, Secure session cookie', async () => {
    const res = await ecfLogin('agent1', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^parley_session=[A-Za-z0-9_-]{43};/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=None', 'Partitioned', 'Path=/'])
      expect(setCookie).toContain(attribute);
    expect(res.json().user).toMatchObject({
      username: 'agent1',
      display_name: 'Ada Agent',
      work_status: 'not_ready',
      rights: ['agent'],
    });
    expect(res.json().user.id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.json()).not.toHaveProperty('token');
  });

  it('answers 401 with the same message for a wrong password and an unknown user', async () => {
    const wrongPassword = await ecfLogin('agent2', 'not-the-password');
    const unknownUser = await ecfLogin('nobody', DEMO_PASSWORD);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownUser.json());
    expect(wrongPassword.json()).toEqual({ error: { code: 'unauthorized', message: 'Invalid username or password.' } });
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['no ECFAuth header', { authorization: 'Basic abc' }, basicForm('agent1', 'x'), /ECFAuth is required/],
    ['no Authorization field', {}, 'foo=bar', /body field Authorization is required/],
    ['not Basic', {}, 'Authorization=Digest%20abc', /must be "Basic "/],
    ['no colon', {}, `Authorization=Basic%20${Buffer.from('agent1').toString('base64')}`, /user:password/],
  ])('answers 400 for %s', async (_name, headers, payload, message) => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/ecfs/authentication/',
      headers: { authorization: 'ECFAuth', 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_argument');
    expect(res.json().error.message).toMatch(message);
  });

  it('answers 401 for a bearer token while the tenant accepts no issuer', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/ecfs/authentication/',
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('never writes a password, its base64 form or a session token to the log', async () => {
    const secret = 'Sup3r-Secret-Wrong-Pässword';
    await ecfLogin('agent3', secret);
    const ok = await ecfLogin('agent3', DEMO_PASSWORD);
    const token = sessionCookie(ok.headers['set-cookie']);
    await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { parley_session: token } });
    const json = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent3', password: DEMO_PASSWORD },
    });
    const all = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(5);
    expect(all).toContain('login failed');
    for (const leak of [
      secret,
      DEMO_PASSWORD,
      Buffer.from(`agent3:${secret}`).toString('base64'),
      Buffer.from(`agent3:${DEMO_PASSWORD}`).toString('base64'),
      token,
      json.json().token as string,
    ]) {
      expect(all).not.toContain(leak);
    }
  });

  it('slows a guesser down: after 5 failures from one place, 429 with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await ecfLogin('agent4', `wrong-${i}`)).statusCode).toBe(401);
    const blocked = await ecfLogin('agent4', DEMO_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error.code).toBe('rate_limited');
    // Another user is not affected.
    expect((await ecfLogin('agent5', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('allows CORS with credentials for allowlisted origins only', async () => {
    const preflight = (origin: string) =>
      h.app.inject({
        method: 'OPTIONS',
        url: '/ecfs/authentication/',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight(HOST_ORIGIN);
    expect(allowed.headers['access-control-allow-origin']).toBe(HOST_ORIGIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('sessions', () => {
  it('JSON login returns a token usable as a bearer; /me needs a session', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me' })).json()).toEqual({
      error: { code: 'not_logged_in', message: 'Log in first: no valid session on this request.' },
    });
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'supervisor', password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${login.json().token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'supervisor', rights: ['agent', 'supervisor'] });
  });

  it('gives the panel, and only the panel, a second session for its pop-out window', async () => {
    const login = await ecfLogin('agent3', DEMO_PASSWORD);
    const cookie = `parley_session=${sessionCookie(login.headers['set-cookie'])}`;
    const popout = (origin: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/auth/popout', headers: { cookie, origin } });
    // A host page, even an allowed one, never gets a session token.
    const fromHost = await popout(HOST_ORIGIN);
    expect(fromHost.statusCode).toBe(403);
    const fromPanel = await popout('http://localhost:18080');
    expect(fromPanel.statusCode).toBe(200);
    expect(fromPanel.headers['cache-control']).toBe('no-store');
    const token = fromPanel.json().token as string;
    expect(token).not.toBe(cookie.split('=')[1]);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ username: 'agent3' });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/popout' })).statusCode).toBe(401);

    // The panel ends the pop-out's session by its token, with its own cookie riding along: only that one ends.
    const end = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, origin: 'http://localhost:18080', authorization: `Bearer ${token}` },
    });
    expect(end.statusCode).toBe(204);
    expect(end.headers['set-cookie']).toBeUndefined();
    const gone = await h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(gone.statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
  });

  it('JSON login validates its body and names the field', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent1' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/password/);
    const garbage = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"user',
    });
    expect(garbage.statusCode).toBe(400);
  });

  it('DELETE logs out: the session is gone and the agent is offline', async () => {
    const login = await ecfLogin('admin', DEMO_PASSWORD);
    const cookie = sessionCookie(login.headers['set-cookie']);
    const out = await h.app.inject({
      method: 'DELETE',
      url: '/ecfs/authentication/',
      cookies: { parley_session: cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/parley_session=;/);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { parley_session: cookie } });
    expect(me.statusCode).toBe(401);
    const again = await ecfLogin('admin', DEMO_PASSWORD);
    expect(again.json().user.work_status).toBe('not_ready');
    const row = await h.db
      .selectFrom('users')
      .select('work_status')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(row.work_status).toBe('not_ready');
  });

  it('refuses a cookie-authenticated logout from a foreign origin (CSRF)', async () => {
    const login = await ecfLogin('agent1', DEMO_PASSWORD);
    const cookie = sessionCookie(login.headers['set-cookie']);
    const res = await h.app.inject({
      method: 'DELETE',
      url: '/ecfs/authentication/',
      cookies: { parley_session: cookie },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { parley_session: cookie } })).statusCode,
    ).toBe(200);
  });

  it('refuses a login from a cross-site form, or from a page off the allowlist (login CSRF)', async () => {
    const form = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      payload: new URLSearchParams({ username: 'agent1', password: DEMO_PASSWORD }).toString(),
    });
    expect(form.statusCode).toBe(400);
    expect(form.json().error.message).toContain('application/json');
    expect(form.headers['set-cookie']).toBeUndefined();
    const foreign = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'agent1', password: DEMO_PASSWORD },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers['set-cookie']).toBeUndefined();
    const allowed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: HOST_ORIGIN },
      payload: { username: 'agent1', password: DEMO_PASSWORD },
    });
    expect(allowed.statusCode).toBe(200);
  });

  it("lets an explicit bearer win over another tenant's cookie riding along", async () => {
    await otherTenant(h.db);
    const home = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent2', password: DEMO_PASSWORD },
    });
    const cookie = `parley_session=${sessionCookie(home.headers['set-cookie'])}`;
    const alice = await h.app.inject({
      method: 'POST',
      url: '/t/acme/api/v1/auth/login',
      payload: { username: 'alice', password: 'acme-password' },
    });
    const me = await h.app.inject({
      method: 'GET',
      url: '/t/acme/api/v1/me',
      headers: { cookie, authorization: `Bearer ${alice.json().token}` },
    });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().username).toBe('alice');
  });

  it('records logins and failures in the audit log without secrets', async () => {
    const rows = await h.db.selectFrom('audit_log').select(['action', 'detail']).execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['login', 'login_failed', 'logout']));
    expect(JSON.stringify(rows)).not.toContain(DEMO_PASSWORD);
  });
});

describe('panel pages', () => {
  it.each([
    '/panel/embedded',
    '/ecf/latest/communicationpanel/embedded.html',
    '/ecf/latest/communicationpanel/embedded_sso.html',
    '/panel/embedded_sso',
  ])('%s is framable only by the allowlist and carries the boot config', async (url) => {
    const res = await h.app.inject({ method: 'GET', url: `${url}?salesforce=true` });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain(`frame-ancestors 'self' ${HOST_ORIGIN}`);
    expect(csp).not.toMatch(/frame-ancestors[^;]*\*/);
    const config = JSON.parse(
      /<script type="application\/json" id="parley-config">(.*?)<\/script>/.exec(res.body)?.[1] ?? 'null',
    );
    expect(config).toEqual({
      baseUrl: 'http://localhost:18080/',
      tenantName: 'Parley Demo',
      allowedOrigins: [HOST_ORIGIN],
      sso: url.includes('sso'),
    });
    expect(res.body).toContain('<base href="http://localhost:18080/panel/">');
  });

  it('serves panel assets and answers unknown paths with a JSON 404', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/panel/assets/app.js' })).statusCode).toBe(200);
    const missing = await h.app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /nope' } });
  });

  it('reports health, and 503 when the database does not answer', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok', agents_online: 0 });
    const sick = await startHarness();
    await sick.db.destroy();
    const down = await sick.app.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', message: 'The database does not answer.' });
    await sick.close().catch(() => undefined);
  });
});
