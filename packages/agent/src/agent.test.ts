/**
 * The Agent's token renewal ahead of expiry, in Node with a stand-in server:
 * `fetch` answers `api/v1/me` for known tokens, and a fake socket greets
 * with a `hello` whose session ends soon.
 */
import type { ServerEvent, User } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Agent, type SocketLike } from './agent.ts';
import type { SocketHandlers } from './socket.ts';

const user = {
  id: 'a'.repeat(32),
  username: 'agent1',
  display_name: 'Ada Agent',
  email: 'ada@example.test',
  presence: 'p',
  presence_profiles: [],
  work_status: 'not_ready',
  ready: false,
  language: 'en',
  theme: { dark: false, primary: '#2563eb' },
  rights: ['agent'],
} as unknown as User;

function standIn(sessionMs: number) {
  const valid = new Set<string>();
  const meCalls: string[] = [];
  let connects = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: { headers: Record<string, string> }) => {
      const token = (init.headers['authorization'] ?? '').replace('Bearer ', '');
      meCalls.push(token);
      return valid.has(token)
        ? new Response(JSON.stringify(user), { status: 200 })
        : new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'no' } }), { status: 401 });
    }),
  );
  const openSocket = (_url: string, handlers: SocketHandlers): SocketLike => ({
    // Not open for REST: calls go over fetch, where the stand-in sees their token.
    open: false,
    connect: () => {
      connects += 1;
      const hello = {
        type: 'hello',
        seq: 1,
        data: {
          user,
          server_time: new Date().toISOString(),
          interactions: [],
          event_seq: 0,
          session_expires_at: new Date(Date.now() + sessionMs).toISOString(),
        },
      } as unknown as ServerEvent;
      queueMicrotask(() => handlers.onEvent(hello));
    },
    close: () => undefined,
    request: async () => ({ status: 200, body: null }),
  });
  return { valid, meCalls, openSocket, connects: () => connects };
}

describe('Agent token renewal', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks getToken again before the session ends and carries on with the new token', async () => {
    const s = standIn(2000);
    let n = 0;
    const getToken = vi.fn(async () => {
      const t = `token-${++n}`;
      s.valid.add(t);
      return t;
    });
    const agent = await Agent.connect({ baseUrl: 'https://parley.test/', getToken, openSocket: s.openSocket });
    const ended = vi.fn();
    agent.on('session:ended', ended);
    try {
      await vi.waitFor(() => expect(getToken).toHaveBeenCalledTimes(2), { timeout: 3000 });
      await vi.waitFor(() => expect(s.meCalls.at(-1)).toBe('token-2'));
      expect(s.connects()).toBe(2);
      expect(ended).not.toHaveBeenCalled();
    } finally {
      agent.close();
    }
  });

  it('keeps the old session when the backend gives no token ahead of time, and tries again', async () => {
    const s = standIn(2000);
    s.valid.add('first');
    let calls = 0;
    const getToken = vi.fn(async () => {
      calls += 1;
      if (calls === 1) return 'first';
      throw new Error('backend down');
    });
    const agent = await Agent.connect({ baseUrl: 'https://parley.test/', getToken, openSocket: s.openSocket });
    const ended = vi.fn();
    agent.on('session:ended', ended);
    try {
      await vi.waitFor(() => expect(getToken).toHaveBeenCalledTimes(2), { timeout: 3000 });
      expect(ended).not.toHaveBeenCalled();
      expect(s.connects()).toBe(1);
      // The session is still good: calls go through on it.
      expect((await agent.setReady(true)).username).toBe('agent1');
    } finally {
      agent.close();
    }
  });
});
