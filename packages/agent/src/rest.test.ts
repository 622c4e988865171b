import { afterEach, describe, expect, it, vi } from 'vitest';
import { RestClient } from './rest.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('RestClient.ri', () => {
  it('calls the RI path and answers with status and body', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify([{ id: 'q' }]), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const client = new RestClient('https://parley.example/t/acme/');
    expect(await client.ri('rci', 'GET', '/queues')).toEqual({ status: 200, body: [{ id: 'q' }] });
    expect(fetch).toHaveBeenCalledWith(
      'https://parley.example/t/acme/ecfs/RI/rci/queues',
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it.each(['/%2e%2e/%2e%2e/api/v1/tenant', '%2E%2E/%2E%2E/%2E%2E/admin', '/./../../api/v1/users'])(
    'refuses %s, which walks out of the RI API',
    async (resource) => {
      const fetch = vi.fn();
      vi.stubGlobal('fetch', fetch);
      const client = new RestClient('https://parley.example/');
      await expect(client.ri('rci', 'GET', resource)).rejects.toMatchObject({ code: 'invalid_argument' });
      expect(fetch).not.toHaveBeenCalled();
    },
  );
});

describe('RestClient session token fallback', () => {
  class MemoryStore {
    readonly data = new Map<string, string>();
    getItem(key: string) {
      return this.data.get(key) ?? null;
    }
    setItem(key: string, value: string) {
      this.data.set(key, value);
    }
    removeItem(key: string) {
      this.data.delete(key);
    }
  }

  it('keeps the token from login, sends it as a bearer, and forgets it on logout', async () => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: { headers: Record<string, string> }) => {
        calls.push({ url, headers: init.headers });
        if (url.endsWith('auth/login'))
          return new Response(JSON.stringify({ user: { username: 'agent1' }, token: 'tok-1' }), { status: 200 });
        if (url.endsWith('logout')) return new Response(null, { status: 204 });
        return new Response(JSON.stringify({ username: 'agent1' }), { status: 200 });
      }),
    );
    const store = new MemoryStore();
    const client = new RestClient('https://parley.example/', store);
    await client.login('agent1', 'pw');
    expect(store.getItem('parley.session.https://parley.example/')).toBe('tok-1');
    await client.me();
    expect(calls.at(-1)?.headers['authorization']).toBe('Bearer tok-1');
    // A reloaded panel picks the token up again.
    expect(new RestClient('https://parley.example/', store).token).toBe('tok-1');
    await client.logout();
    expect(client.token).toBeNull();
    expect(store.data.size).toBe(0);
  });

  it('drops a token the server no longer accepts', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 401 })),
    );
    const store = new MemoryStore();
    store.setItem('parley.session.https://parley.example/', 'stale');
    const client = new RestClient('https://parley.example/', store);
    expect(await client.me()).toBeNull();
    expect(client.token).toBeNull();
  });
});

describe('RestClient over the agent socket', () => {
  class FakeSocket {
    open = true;
    readonly sent: Array<{ type: string; data: unknown }> = [];
    answer: (data: { method: string; path: string; body?: unknown }) => Promise<unknown> = async () => ({
      status: 200,
      body: { username: 'agent1', work_status: 'ready' },
    });
    request(type: string, data: { method: string; path: string; body?: unknown }): Promise<unknown> {
      this.sent.push({ type, data });
      return this.answer(data);
    }
  }

  it('carries calls over the open socket instead of HTTP, with the same answers and errors', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const socket = new FakeSocket();
    const client = new RestClient('https://parley.example/');
    client.carry(socket);
    expect(await client.setReady(true)).toEqual({ username: 'agent1', work_status: 'ready' });
    expect(socket.sent).toEqual([
      { type: 'rest', data: { method: 'PUT', path: 'api/v1/me/state', body: { ready: true } } },
    ]);
    socket.answer = async () => ({
      status: 409,
      body: { error: { code: 'invalid_state', message: 'agent1 is offline' } },
    });
    await expect(client.setReady(true)).rejects.toMatchObject({ code: 'invalid_state', message: 'agent1 is offline' });
    socket.answer = async () => ({ status: 204, body: null });
    await expect(client.markRead('0123456789abcdef0123456789abcdef', 'm1')).resolves.toBeUndefined();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('uses HTTP while the socket is closed, for sessions, and where the server does not carry a call', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ username: 'agent1' }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const socket = new FakeSocket();
    const client = new RestClient('https://parley.example/');
    client.carry(socket);
    socket.open = false;
    await client.setReady(false);
    socket.open = true;
    await client.login('agent1', 'pw');
    socket.answer = async () => {
      throw Object.assign(new Error('This connection does not carry REST calls.'), { code: 'unsupported' });
    };
    await client.setReady(false);
    expect(fetch.mock.calls.map((c) => (c as unknown[])[0])).toEqual([
      'https://parley.example/api/v1/me/state',
      'https://parley.example/api/v1/auth/login',
      'https://parley.example/api/v1/me/state',
    ]);
    expect(socket.sent.map((s) => (s.data as { path: string }).path)).toEqual(['api/v1/me/state']);
    // Once told the server does not carry calls, the client stops asking.
    await client.setReady(true);
    expect(socket.sent).toHaveLength(1);
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('sends a body too large for one socket frame over HTTP (the socket would close on it)', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ id: 'm1' }), { status: 201 }));
    vi.stubGlobal('fetch', fetch);
    const socket = new FakeSocket();
    const client = new RestClient('https://parley.example/');
    client.carry(socket);
    await client.sendMessage('0123456789abcdef0123456789abcdef', { content: 'é'.repeat(40_000) });
    expect(socket.sent).toHaveLength(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await client.sendMessage('0123456789abcdef0123456789abcdef', { content: 'short' });
    expect(socket.sent).toHaveLength(1);
  });

  it('does not send a call twice when the socket drops after sending it: the caller hears unreachable', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const socket = new FakeSocket();
    socket.answer = async () => {
      throw new Error('connection closed');
    };
    const client = new RestClient('https://parley.example/');
    client.carry(socket);
    await expect(client.act('0123456789abcdef0123456789abcdef', { action: 'accept' })).rejects.toMatchObject({
      code: 'unreachable',
    });
    expect(fetch).not.toHaveBeenCalled();
    expect(socket.sent).toHaveLength(1);
  });
});
