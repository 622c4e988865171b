/**
 * Client logs over REST: an agent uploads, nothing that looks like a
 * credential is stored, admins list and read every upload, an agent only
 * their own, and bad bodies get a 400 that names the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, STORE_KINDS, type Harness } from '../testing/index.ts';

describe.each(STORE_KINDS)('client logs on %s', (kind) => {
  let h: Harness;
  const tokens = new Map<string, string>();
  const as = (username: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    h.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens.get(username)}` },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    h = await startHarness({}, kind);
    for (const username of ['agent1', 'agent2', 'admin']) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      tokens.set(username, res.json().token);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it('stores an upload masked, for the uploader and admins only', async () => {
    const secret = tokens.get('agent1')!;
    const up = await as('agent1', 'POST', '/api/v1/client-logs', {
      client: 'webex-cc',
      entries: [
        { at: '2026-12-02T05:00:00.000Z', level: 'info', message: 'register [wx-1]' },
        { at: '2026-12-02T05:00:01.000Z', level: 'error', message: `oops Bearer ${secret} and pk_abcdefghijklmnop` },
        { at: '2026-12-02T05:00:02.000Z', level: 'warn', message: `raw ${'Ab1_'.repeat(12)} id ${'a'.repeat(32)}` },
      ],
    });
    expect(up.statusCode, up.body).toBe(201);
    const { id, tracking_id, count } = up.json();
    expect(tracking_id).toBe(id);
    expect(count).toBe(3);

    const read = await as('admin', 'GET', `/api/v1/client-logs/${id}`);
    expect(read.statusCode).toBe(200);
    const text = JSON.stringify(read.json());
    expect(text).not.toContain(secret);
    expect(text).not.toContain('pk_abcdefghijklmnop');
    expect(text).not.toContain('Ab1_Ab1_Ab1_Ab1_Ab1_Ab1_Ab1_Ab1_Ab1_Ab1_');
    expect(text).toContain('a'.repeat(32));
    expect(read.json().entries[0]).toEqual({
      at: '2026-12-02T05:00:00.000Z',
      level: 'info',
      message: 'register [wx-1]',
    });

    expect((await as('agent1', 'GET', `/api/v1/client-logs/${id}`)).statusCode).toBe(200);
    expect((await as('agent2', 'GET', `/api/v1/client-logs/${id}`)).statusCode).toBe(404);
    const listed = (await as('admin', 'GET', '/api/v1/client-logs')).json() as Array<{ id: string; count: number }>;
    expect(listed.find((l) => l.id === id)?.count).toBe(3);
    expect((await as('agent2', 'GET', '/api/v1/client-logs')).json()).toEqual([]);
  });

  it('refuses malformed uploads with a 400 naming the problem', async () => {
    const bad = await as('agent1', 'POST', '/api/v1/client-logs', {
      client: 'webex-cc',
      entries: [{ at: 'x', level: 'debug', message: 'm' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_argument');
    expect(bad.json().error.message).toMatch(/level/);
    const big = await as('agent1', 'POST', '/api/v1/client-logs', {
      client: 'webex-cc',
      entries: Array.from({ length: 501 }, () => ({ at: 'x', level: 'info', message: 'm' })),
    });
    expect(big.statusCode).toBe(400);
    const anon = await h.app.inject({
      method: 'POST',
      url: '/api/v1/client-logs',
      payload: { client: 'x', entries: [] },
    });
    expect(anon.statusCode).toBe(401);
  });
});
