/**
 * Random frames at both WebSockets (fast-check): the agent socket and the
 * customer socket. Every frame is answered with a clean error or closes the
 * socket with a 4xxx code; none is an `internal` error, the server never
 * logs a failure, and afterwards it still answers properly.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestAgent, startHarness, type Harness } from '../testing/index.ts';

/** REST calls carried over the agent socket: real and made-up paths, random bodies. */
const restCall = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 8 }),
    type: fc.constant('rest'),
    data: fc.record({
      method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), fc.string()),
      path: fc.oneof(
        fc.constantFrom(
          'api/v1/me',
          'api/v1/me/state',
          'api/v1/me/presence',
          'api/v1/interactions',
          'api/v1/interactions/0123456789abcdef0123456789abcdef/actions',
          'api/v1/contacts?q=a',
          'api/v1/users',
          'ecfs/RI/rci/queues',
        ),
        fc.string().map((x) => `api/v1/${x}`),
        fc.string(),
      ),
      body: fc.oneof(
        fc.jsonValue(),
        fc.record({ ready: fc.jsonValue(), profile: fc.jsonValue(), action: fc.string() }),
      ),
    }),
  })
  .map((o) => JSON.stringify(o));

/** JSON-ish values, frames shaped like requests, and raw junk. */
const frame = fc.oneof(
  restCall,
  fc.json(),
  fc.string(),
  fc
    .record({
      id: fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null)),
      type: fc.oneof(
        fc.constantFrom(
          'ping',
          'resume',
          'typing',
          'rest',
          'media.offer',
          'send',
          'read',
          'end',
          'subscribe',
          '__proto__',
          'constructor',
        ),
        fc.string(),
      ),
      data: fc.oneof(fc.jsonValue(), fc.record({ last_seq: fc.oneof(fc.integer(), fc.string()) })),
    })
    .map((o) => JSON.stringify(o)),
);

async function open(url: string, options: WebSocket.ClientOptions | string[]): Promise<WebSocket> {
  const ws = Array.isArray(options) ? new WebSocket(url, options) : new WebSocket(url, options);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

describe('random frames at the WebSockets', () => {
  let h: Harness;
  let wsBase: string;
  let agent: TestAgent;
  let customerToken: string;

  beforeAll(async () => {
    // The storm is about parsing, not rates (realtime/limits.test.ts covers those): the frame limit is lifted.
    h = await startHarness({ PARLEY_WS_FRAMES_PER_SECOND: '100000' }, 'sqlite', { listen: true });
    wsBase = (h.url ?? '').replace('http', 'ws').slice(0, -1);
    agent = await TestAgent.login(h, wsBase, 'agent1');
    const chat = await h.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { name: 'Fuzz' } });
    customerToken = chat.json().token;
  });
  afterAll(async () => {
    await h.close();
  });

  const storm = async (connect: () => Promise<WebSocket>) => {
    const answers: Array<{ code?: string }> = [];
    const statuses: number[] = [];
    const closes: number[] = [];
    let ws = await connect();
    const watch = (socket: WebSocket) => {
      socket.on('message', (raw) => {
        const f = JSON.parse(String(raw));
        if (f.re !== undefined && f.ok === false) answers.push(f.error);
        if (f.re !== undefined && f.ok === true && typeof f.data?.status === 'number') statuses.push(f.data.status);
      });
      socket.on('close', (code) => closes.push(code));
    };
    watch(ws);
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 20 }), async (frames) => {
        if (ws.readyState !== WebSocket.OPEN) {
          ws = await connect();
          watch(ws);
        }
        for (const f of frames) if (ws.readyState === WebSocket.OPEN) ws.send(f);
        await new Promise((r) => setTimeout(r, 5));
      }),
      { numRuns: 150 },
    );
    await new Promise((r) => setTimeout(r, 200));
    ws.close();
    return { answers, closes, statuses };
  };

  it('the agent socket answers or closes cleanly, and still works afterwards', async () => {
    const { answers, closes, statuses } = await storm(() =>
      open(`${wsBase}/ws/agent`, { headers: { authorization: `Bearer ${agent.token}` } }),
    );
    expect(answers.length + closes.length).toBeGreaterThan(0);
    // Carried REST calls that were answered before junk closed the socket: never a server error.
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Random REST calls alone (no junk to close the socket): every one is answered, none with a server error.
    const carried: number[] = [];
    const socket = await open(`${wsBase}/ws/agent`, { headers: { authorization: `Bearer ${agent.token}` } });
    const replies = new Map<
      string,
      (frame: { ok: boolean; data?: { status?: number }; error?: { code: string } }) => void
    >();
    socket.on('message', (raw) => {
      const f = JSON.parse(String(raw));
      if (f.re !== undefined) replies.get(f.re)?.(f);
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(restCall, { minLength: 1, maxLength: 10 }), async (calls) => {
        const answered = calls.map((raw) => {
          const id = `r${++n}`;
          const reply = new Promise<{ ok: boolean; data?: { status?: number }; error?: { code: string } }>((r) =>
            replies.set(id, r),
          );
          socket.send(JSON.stringify({ ...JSON.parse(raw), id }));
          return reply;
        });
        for (const reply of await Promise.all(answered)) {
          if (reply.ok) carried.push(reply.data?.status ?? 0);
          else expect(reply.error?.code).toBe('invalid_argument');
        }
      }),
      { numRuns: 40 },
    );
    socket.close();
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.filter((s) => s < 200 || s >= 500)).toEqual([]);
    expect(answers.filter((e) => e.code === 'internal')).toEqual([]);
    expect(closes.every((c) => c === 1000 || c === 1005 || (c >= 4000 && c < 5000) || c === 1009)).toBe(true);
    const ws = await open(`${wsBase}/ws/agent`, { headers: { authorization: `Bearer ${agent.token}` } });
    const pong = new Promise((resolve) => ws.on('message', (raw) => String(raw).includes('"re":"p"') && resolve(true)));
    ws.send(JSON.stringify({ id: 'p', type: 'ping', data: null }));
    expect(await pong).toBe(true);
    ws.close();
  });

  it('the customer socket answers or closes cleanly, and still works afterwards', async () => {
    const connect = () => open(`${wsBase}/ws/customer`, ['parley.v1', `parley.customer.${customerToken}`]);
    const { answers, closes } = await storm(connect);
    expect(answers.filter((e) => e.code === 'internal')).toEqual([]);
    expect(closes.every((c) => c === 1000 || c === 1005 || (c >= 4000 && c < 5000) || c === 1009)).toBe(true);
    const ws = await connect();
    const pong = new Promise((resolve) => ws.on('message', (raw) => String(raw).includes('"re":"p"') && resolve(true)));
    ws.send(JSON.stringify({ id: 'p', type: 'ping', data: null }));
    expect(await pong).toBe(true);
    ws.close();
    expect(h.logs.filter((l) => /"level":50/.test(l))).toEqual([]);
  });
});
