/**
 * API keys and agent tokens over a real server, on SQLite and PostgreSQL:
 * a key is shown once and stored hashed, mints short-lived tokens only for
 * agents and supervisors of its own tenant, stops when revoked; a token
 * works as a bearer session and on the agent socket; neither reaches the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/index.ts';
import { DEMO_PASSWORD, startHarness, STORE_KINDS, TestAgent, otherTenant, type Harness } from '../testing/index.ts';

describe.each(STORE_KINDS)('API keys and agent tokens on %s', (kind) => {
  let h: Harness;
  let admin: string;

  const login = async (username: string): Promise<string> => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().token as string;
  };
  const newKey = async (name = 'CRM backend'): Promise<{ id: string; key: string }> => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name },
    });
    expect(res.statusCode, res.body).toBe(201);
    h.secrets.add(res.json().key);
    return res.json();
  };
  const agentToken = (key: string, payload: Record<string, unknown>, base = '') =>
    h.app.inject({
      method: 'POST',
      url: `${base}/api/v1/agent-tokens`,
      headers: { authorization: `Bearer ${key}` },
      payload,
    });

  beforeAll(async () => {
    h = await startHarness({}, kind, { listen: true });
    admin = await login('admin');
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows a key once, keeps only its hash, and lists it without the key', async () => {
    const { id, key } = await newKey();
    expect(key).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    const stored = await h.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(key);
    const list = await h.app.inject({
      method: 'GET',
      url: '/api/v1/api-keys',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(list.json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, name: 'CRM backend', revoked_at: null })]),
    );
    expect(list.body).not.toContain(key);
    // Only admins manage keys.
    const agent = await login('agent1');
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { authorization: `Bearer ${agent}` },
      payload: { name: 'mine' },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('mints a short-lived token for an agent that works as a session, over REST and the socket', async () => {
    const { key } = await newKey();
    const res = await agentToken(key, { user: 'agent2', ttl_s: 120 });
    expect(res.statusCode, res.body).toBe(201);
    const { token, expires_at } = res.json() as { token: string; expires_at: string };
    h.secrets.add(token);
    const left = Date.parse(expires_at) - Date.now();
    expect(left).toBeGreaterThan(100_000);
    expect(left).toBeLessThanOrEqual(120_000);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('agent2');
    const socket = new TestAgent(h, 'agent2', token, me.json().id, (h.url ?? '').replace('http', 'ws').slice(0, -1));
    expect((await socket.connect()).data.user.username).toBe('agent2');
    await socket.disconnect();
    // By id too, and never longer than an hour.
    const byId = await agentToken(key, { user: me.json().id });
    expect(byId.statusCode).toBe(201);
    h.secrets.add(byId.json().token);
    expect(Date.parse(byId.json().expires_at) - Date.now()).toBeLessThanOrEqual(3600_000);
    expect((await agentToken(key, { user: 'agent2', ttl_s: 7200 })).statusCode).toBe(400);
  });

  it('refuses admins, unknown users, a revoked key, another tenant and no key at all', async () => {
    const { id, key } = await newKey();
    expect((await agentToken(key, { user: 'admin' })).statusCode).toBe(403);
    expect((await agentToken(key, { user: 'nobody' })).statusCode).toBe(404);
    expect((await agentToken('pk_not-a-key', { user: 'agent1' })).statusCode).toBe(401);
    const none = await h.app.inject({ method: 'POST', url: '/api/v1/agent-tokens', payload: { user: 'agent1' } });
    expect(none.statusCode).toBe(401);
    // A session token is not an API key.
    expect((await agentToken(admin, { user: 'agent1' })).statusCode).toBe(401);
    await otherTenant(h.db, 'acme-keys');
    expect((await agentToken(key, { user: 'agent1' }, '/t/acme-keys')).statusCode).toBe(401);
    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${id}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoked.statusCode).toBe(204);
    expect((await agentToken(key, { user: 'agent1' })).statusCode).toBe(401);
    const again = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${id}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(again.statusCode).toBe(404);
    const audited = await h.db.selectFrom('audit_log').select('action').where('tenant_id', '=', h.tenant.id).execute();
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['api_key_created', 'api_key_revoked', 'agent_token_issued']),
    );
  });

  it('is managed from the CLI too: created, listed, revoked', async () => {
    const out: string[] = [];
    const io = {
      env: {
        PARLEY_DATA_DIR: h.dir,
        ...(h.ctx.config.databaseUrl ? { DATABASE_URL: h.ctx.config.databaseUrl } : {}),
      },
      out: (line: string) => out.push(line),
      err: (line: string) => out.push(line),
      stdin: async () => '',
    };
    expect(await runCli(['api-key', 'add', 'from the cli'], io)).toBe(0);
    const key = out.find((l) => l.startsWith('pk_'))!;
    h.secrets.add(key);
    const minted = await agentToken(key, { user: 'agent3' });
    expect(minted.statusCode).toBe(201);
    h.secrets.add(minted.json().token);
    out.length = 0;
    expect(await runCli(['api-key', 'list'], io)).toBe(0);
    const line = out.find((l) => l.endsWith('from the cli'))!;
    const id = line.split(/\s+/)[0]!;
    expect(await runCli(['api-key', 'revoke', id], io)).toBe(0);
    expect((await agentToken(key, { user: 'agent3' })).statusCode).toBe(401);
  });
});
