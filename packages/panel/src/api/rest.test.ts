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
