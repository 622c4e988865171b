/**
 * Socket limits on a real server: connections per client address and per
 * agent, frames per second (a flood is closed and /healthz stays fast), and
 * a client that stops reading is dropped instead of growing the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestAgent, startHarness, type Harness } from '../testing/index.ts';
import { FrameBucket } from './limits.ts';

describe('FrameBucket', () => {
  it.each([
    // [per second, burst, frame times in ms, which frames go]
    [10, 3, [0, 0, 0, 0], [true, true, true, false]],
    [10, 3, [0, 0, 0, 100, 100], [true, true, true, true, false]],
    [10, 3, [0, 0, 0, 0, 1000, 1000, 1000, 1000], [true, true, true, false, true, true, true, false]],
  ])('%i/s with a burst of %i: frames at %j go %j', (rate, burst, times, goes) => {
    const bucket = new FrameBucket(rate, burst, 0);
    expect(times.map((t) => bucket.take(t))).toEqual(goes);
  });
});

/** Opens a socket; resolves once open, or with the close code and reason when the server closes it first. */
function open(url: string, options: WebSocket.ClientOptions = {}) {
  const ws = new WebSocket(url, options);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return { ws, closed, opened };
}

describe('socket limits', () => {
  let h: Harness;
  let ws: string;
  beforeAll(async () => {
    h = await startHarness({ PARLEY_WS_PER_ADDRESS: '5', PARLEY_WS_PER_AGENT: '3' }, 'sqlite', { listen: true });
    ws = (h.url ?? '').replace('http', 'ws');
  });
  afterAll(async () => {
    await h.close();
  });

  it('caps phone sockets per client address; another address still gets in', async () => {
    const held = [1, 2, 3, 4, 5].map(() => open(`${ws}ws/phone`));
    await Promise.all(held.map((s) => s.opened));
    const sixth = open(`${ws}ws/phone`);
    expect(await sixth.closed).toEqual({
      code: 1013,
      reason: 'too many phone connections from this address; try again later',
    });
    const other = open(`${ws}ws/phone`, { localAddress: '127.0.0.2' });
    await other.opened;
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    for (const s of [...held, other]) s.ws.close();
    await Promise.all([...held, other].map((s) => s.closed));
  });

  it('caps panel sockets per agent', async () => {
    const agent = await TestAgent.login(h, ws.slice(0, -1), 'agent1');
    const headers = { authorization: `Bearer ${agent.token}` };
    const held = [1, 2, 3].map(() => open(`${ws}ws/agent`, { headers }));
    await Promise.all(held.map((s) => s.opened));
    const fourth = open(`${ws}ws/agent`, { headers });
    expect((await fourth.closed).code).toBe(1013);
    for (const s of held) s.ws.close();
    await Promise.all(held.map((s) => s.closed));
  });

  it("logs a client's broken frames at info with its address, not as the server's error", async () => {
    const s = open(`${ws}ws/phone`, { localAddress: '127.0.0.6' });
    await s.opened;
    // Beyond what the ws server takes at all (WS_MAX_PAYLOAD, 256 KB): it breaks the connection itself.
    s.ws.send('x'.repeat(300_000));
    expect([1006, 1009]).toContain((await s.closed).code);
    const lines = h.logs.filter((l) => l.includes('a WebSocket client broke the protocol'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('"client":"127.0.0.6"'))).toBe(true);
    expect(h.logs.filter((l) => /"level":50/.test(l))).toEqual([]);
  });

  it('closes a socket that floods frames, and the server stays responsive', async () => {
    const floods = [1, 2, 3, 4, 5].map(() => open(`${ws}ws/phone`, { localAddress: '127.0.0.3' }));
    await Promise.all(floods.map((s) => s.opened));
    let answered = 0;
    for (const s of floods) s.ws.on('message', () => (answered += 1));
    const started = Date.now();
    for (const s of floods) for (let i = 0; i < 2000; i++) s.ws.send(`junk ${i}`);
    for (const s of floods)
      expect(await s.closed).toEqual({ code: 1008, reason: 'too many frames: at most 20 per second' });
    // Only the burst was read and answered (100 a socket), and what the rate refilled meanwhile.
    const seconds = (Date.now() - started) / 1000;
    expect(answered).toBeLessThanOrEqual(5 * (100 + Math.ceil(20 * seconds)));
    expect(answered).toBeLessThan(5 * 2000);
    const health = await fetch(`${h.url}healthz`);
    expect(health.status).toBe(200);
  });
});

describe('a client that stops reading', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(
      { PARLEY_WS_SEND_BUFFER_BYTES: String(64 * 1024), PARLEY_WS_FRAMES_PER_SECOND: '100000' },
      'sqlite',
      { listen: true },
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it('is dropped once the server holds more than the bound for it', async () => {
    const base = (h.url ?? '').replace('http', 'ws');
    const agent = await TestAgent.login(h, base.slice(0, -1), 'agent2');
    const s = open(`${base}ws/agent`, { headers: { authorization: `Bearer ${agent.token}` } });
    await s.opened;
    // Stop reading: what the server sends piles up in the kernel's buffers, then in the server's.
    (s.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Past the kernel's buffers (about 4 MiB on loopback), the server's own would grow without a bound.
    const online = () => h.ctx.gateway.isOnline(h.tenant.id, agent.id);
    for (let i = 0; i < 20_000 && online(); i++) {
      s.ws.send(JSON.stringify({ id: `r${i}`, type: 'rest', data: { method: 'GET', path: 'api/v1/users' } }));
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = 0; i < 100 && online(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(h.ctx.gateway.isOnline(h.tenant.id, agent.id)).toBe(false);
    expect(h.logs.some((l) => l.includes('dropped a agent socket that stopped reading'))).toBe(true);
    s.ws.terminate();
  }, 120_000);
});
