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
