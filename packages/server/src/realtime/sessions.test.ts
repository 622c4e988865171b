/**
 * A socket lives as long as its session: however the session ends — the
 * CLI's `user passwd` in another process, its absolute or idle lifetime, a
 * row deleted by another node — the socket closes with 4001 and the agent
 * is out of routing, without any announcement on this process's bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashPassword, hashToken } from '../auth/index.ts';
import { runCli } from '../cli/index.ts';
import { startHarness, type Harness, TestAgent, STORE_KINDS } from '../testing/index.ts';
import { createUser } from '../users/index.ts';

let h: Harness;
let wsBase: string;
beforeAll(async () => {
  // The full check of every open socket's session (idle and absolute lifetimes written by others) runs
  // every 15 s in production; ended sessions are seen from their log within a second either way.
  h = await startHarness({}, 'sqlite', { sessionSweepMs: 300 });
  wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
});
afterAll(async () => {
  await h.close();
});

/** The close code and reason the server sent, waited for at most `ms`. */
function closed(ws: WebSocket, ms = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** An agent who is Ready with a panel socket open. */
async function readyAgent(username: string): Promise<TestAgent> {
  const agent = await TestAgent.login(h, wsBase, username);
  await agent.connect();
  await agent.setReady(true);
  return agent;
}

async function workStatus(agent: TestAgent): Promise<string> {
  const row = await h.db.selectFrom('users').select('work_status').where('id', '=', agent.id).executeTakeFirstOrThrow();
  return row.work_status;
}

describe('sockets bound to their session', () => {
  it('closes on `parley user passwd` from another process and takes the agent out of routing', async () => {
    const agent = await readyAgent('agent1');
    const ws = agent.ws!;
    const bye = closed(ws);
    const out: string[] = [];
    const code = await runCli(['user', 'passwd', 'agent1', '--password-stdin'], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      stdin: async () => 'a-new-password-1\n',
      env: { PARLEY_DATA_DIR: h.dir },
    });
    expect(code, out.join('\n')).toBe(0);
    expect(await bye).toEqual({ code: 4001, reason: 'session ended' });
    expect(h.ctx.gateway.isOnline(h.tenant.id, agent.id)).toBe(false);
    expect(await workStatus(agent)).toBe('offline');
    expect((await agent.rest('GET', '/api/v1/me')).statusCode).toBe(401);
    // A new contact is not offered to the closed socket's agent.
    const contact = await h.app.inject({
      method: 'POST',
      url: '/api/v1/demo/contacts',
      headers: { authorization: `Bearer ${(await TestAgent.login(h, wsBase, 'admin')).token}` },
      payload: { to: '+15555550100', from: '+15550001111' },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const row = await h.db
      .selectFrom('interactions')
      .select(['state', 'agent_id'])
      .where('id', '=', contact.json().id)
      .executeTakeFirstOrThrow();
    expect(row.agent_id).not.toBe(agent.id);
  });

  it('closes when the absolute lifetime has passed, and deletes the session', async () => {
    const agent = await readyAgent('agent2');
    const bye = closed(agent.ws!);
    await h.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', hashToken(agent.token))
      .execute();
    expect(await bye).toEqual({ code: 4001, reason: 'session expired' });
    expect(
      await h.db.selectFrom('sessions').select('token_hash').where('token_hash', '=', hashToken(agent.token)).execute(),
    ).toEqual([]);
    expect(await workStatus(agent)).toBe('offline');
  });

  it('closes a session idle past its window; an open socket is activity and keeps it fresh', async () => {
    const agent = await readyAgent('agent3');
    const hash = hashToken(agent.token);
    // Two minutes without a request, well inside the idle window: the open socket refreshes it.
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    await h.db.updateTable('sessions').set({ last_seen_at: twoMinutesAgo }).where('token_hash', '=', hash).execute();
    for (let i = 0; i < 50; i++) {
      const row = await h.db
        .selectFrom('sessions')
        .select('last_seen_at')
        .where('token_hash', '=', hash)
        .executeTakeFirstOrThrow();
      if (row.last_seen_at !== twoMinutesAgo) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const fresh = await h.db
      .selectFrom('sessions')
      .select('last_seen_at')
      .where('token_hash', '=', hash)
      .executeTakeFirstOrThrow();
    expect(Date.parse(fresh.last_seen_at)).toBeGreaterThan(Date.parse(twoMinutesAgo));
    expect(agent.ws!.readyState).toBe(agent.ws!.OPEN);
    // Past the idle window (a stalled process, a clock jump): over, as GET /me would say.
    const bye = closed(agent.ws!);
    await h.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 9 * 3600_000).toISOString() })
      .where('token_hash', '=', hash)
      .execute();
    expect(await bye).toEqual({ code: 4001, reason: 'session idle too long' });
    expect((await agent.rest('GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it("closes only the ended session's sockets when another node deletes its row", async () => {
    const first = await readyAgent('agent4');
    const second = await TestAgent.login(h, wsBase, 'agent4');
    await second.connect();
    const bye = closed(first.ws!);
    await h.db.deleteFrom('sessions').where('token_hash', '=', hashToken(first.token)).execute();
    expect(await bye).toEqual({ code: 4001, reason: 'session ended' });
    // The other session's socket stays, and so does the agent.
    expect((await second.request('ping', {})).ok).toBe(true);
    expect(h.ctx.gateway.isOnline(h.tenant.id, second.id)).toBe(true);
    expect(await workStatus(second)).not.toBe('offline');
    await second.disconnect();
  });
});

describe.each(STORE_KINDS)('the log of ended sessions on %s', (kind) => {
  let g: Harness;
  let base: string;
  beforeAll(async () => {
    // The full check runs every 15 s here: what closes these sockets within the test's 5 s is the log alone.
    g = await startHarness({}, kind, { listen: true });
    base = (g.url ?? '').replace('http', 'ws').slice(0, -1);
  });
  afterAll(async () => {
    await g.close();
  });

  it('closes a socket within a second of its row going, however it went (a delete, a user removed)', async () => {
    const first = await TestAgent.login(g, base, 'agent1');
    await first.connect();
    const bye = closed(first.ws!, 5000);
    await g.db.deleteFrom('sessions').where('token_hash', '=', hashToken(first.token)).execute();
    expect(await bye).toEqual({ code: 4001, reason: 'session ended' });
    // Deleting the user cascades to its sessions: the trigger sees those too.
    const temp = await createUser(g.db, g.tenant.id, {
      username: 'temp',
      displayName: 'Temp',
      email: 'temp@example.org',
      role: 'agent',
      passwordHash: await hashPassword('temp-password-1'),
    });
    const login = await g.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'temp', password: 'temp-password-1' },
    });
    const ws = new WebSocket(`${base}/ws/agent`, { headers: { authorization: `Bearer ${login.json().token}` } });
    await new Promise((r) => ws.once('open', r));
    const gone = closed(ws, 5000);
    await g.db.deleteFrom('users').where('id', '=', temp.id).execute();
    expect(await gone).toEqual({ code: 4001, reason: 'session ended' });
  });
});
