/**
 * The abuse bench: what one hostile client can take of a real server
 * process, with the limits on and, as the baseline in the same run, with
 * them lifted to what the server had before they existed.
 *
 * - sockets held on `/ws/phone` (unauthenticated) from one address and from
 *   many;
 * - `/healthz` latency alone and while 50 sockets flood junk frames;
 * - an SMTP connection flood: 100 idle connections from one address, then a
 *   legitimate sender from another: does its mail get in, and how fast.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { freePort } from '@parley/e2e/ports';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { quantile } from './stats.ts';

export interface AbuseResult {
  readonly label: string;
  /** Phone sockets one address held before a refusal, and all addresses together. */
  readonly phoneHeldOneAddress: number;
  readonly phoneHeldAll: number;
  readonly healthAloneMs: number[];
  readonly healthFloodMs: number[];
  /** Junk frames the flood got answered, of those it sent. */
  readonly floodAnswered: number;
  readonly floodSent: number;
  readonly smtpIdleAccepted: number;
  readonly smtpIdleRefused: number;
  /** The legitimate sender's answer to its mail, and how long the whole delivery took. */
  readonly smtpLegitimate: string;
  readonly smtpLegitimateMs: number;
}

const LIFTED = {
  PARLEY_WS_PER_ADDRESS: '100000',
  PARLEY_WS_FRAMES_PER_SECOND: '100000',
  PARLEY_SMTP_CONNECTIONS_PER_ADDRESS: '1000',
  PARLEY_SMTP_MAX_CONNECTIONS: '100',
  PARLEY_SMTP_IDLE_SECONDS: '600',
};

/** Opens a socket; resolves true once open, false when the server closes or refuses it first. */
function holdPhone(base: string, localAddress: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}ws/phone`, { localAddress });
    ws.on('error', () => resolve(null));
    ws.once('close', () => resolve(null));
    // A refused socket is opened and closed at once (1013): wait a moment before counting it held.
    ws.once('open', () => setTimeout(() => resolve(ws.readyState === WebSocket.OPEN ? ws : null), 15));
  });
}

async function healthTimes(base: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fetch(`${base}healthz`).then((r) => r.text());
    times.push(performance.now() - t0);
  }
  return times;
}

/** A raw SMTP connection's first reply line. */
function smtpGreeting(port: number, localAddress: string): Promise<{ socket: net.Socket; code: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    socket.on('error', () => resolve({ socket, code: 'error' }));
    socket.once('data', (d) => resolve({ socket, code: d.toString('latin1').slice(0, 3) }));
    setTimeout(() => resolve({ socket, code: 'timeout' }), 5000);
  });
}

/** One mail over a raw SMTP session; the final reply code. */
async function deliver(port: number, localAddress: string): Promise<string> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  let buffer = '';
  const next = () =>
    new Promise<string>((resolve) => {
      const check = () => {
        const m = /^(\d{3}) .*\r\n/m.exec(buffer);
        if (m) {
          buffer = buffer.slice(buffer.indexOf('\r\n', m.index) + 2);
          socket.off('data', onData);
          resolve(m[1] ?? '');
        }
      };
      const onData = (d: Buffer) => {
        buffer += d.toString('latin1');
        check();
      };
      socket.on('data', onData);
      socket.once('close', () => resolve('closed'));
      check();
    });
  socket.on('error', () => undefined);
  try {
    const greeting = await next();
    if (greeting !== '220') return greeting;
    for (const line of ['EHLO bench', 'MAIL FROM:<real@example.com>', 'RCPT TO:<support@demo.parley.local>', 'DATA']) {
      socket.write(`${line}\r\n`);
      const code = await next();
      if (!['250', '354'].includes(code)) return code;
    }
    socket.write('From: real@example.com\r\nSubject: Real\r\n\r\nA real customer.\r\n.\r\n');
    return await next();
  } finally {
    socket.destroy();
  }
}

async function run(label: string, env: Record<string, string>): Promise<AbuseResult> {
  const smtpPort = await freePort();
  const server: ServerProcess = await startServerProcess(`abuse-${label}`, {
    PARLEY_SMTP_PORT: String(smtpPort),
    PARLEY_CALLS_PER_MINUTE: '100000',
    ...env,
  });
  const held: WebSocket[] = [];
  try {
    // One address, until refused (bounded at 3,000).
    let phoneHeldOneAddress = 0;
    for (let i = 0; i < 3000; i++) {
      const ws = await holdPhone(server.base, '127.0.0.1');
      if (!ws) break;
      held.push(ws);
      phoneHeldOneAddress += 1;
    }
    // Many addresses, 50 each, until refused (bounded at 3,000 in all).
    let refusedInARow = 0;
    for (let a = 2; held.length < 3000 && refusedInARow < 20 && a < 250; a++)
      for (let i = 0; i < 50 && held.length < 3000; i++) {
        const ws = await holdPhone(server.base, `127.0.1.${a}`);
        if (!ws) {
          refusedInARow += 1;
          break;
        }
        refusedInARow = 0;
        held.push(ws);
      }
    const phoneHeldAll = held.length;
    for (const ws of held) ws.terminate();
    held.length = 0;
    await new Promise((r) => setTimeout(r, 500));

    const healthAloneMs = await healthTimes(server.base, 200);
    // 50 sockets from 50 addresses, each sending 2,000 junk frames at once, while /healthz is timed.
    const floods = (
      await Promise.all(Array.from({ length: 50 }, (_, i) => holdPhone(server.base, `127.0.2.${i + 1}`)))
    ).filter((ws): ws is WebSocket => ws !== null);
    let floodAnswered = 0;
    for (const ws of floods) ws.on('message', () => (floodAnswered += 1));
    const floodSent = floods.length * 2000;
    for (const ws of floods) for (let i = 0; i < 2000; i++) ws.send(`junk ${i}`);
    const healthFloodMs = await healthTimes(server.base, 200);
    for (const ws of floods) ws.terminate();

    // 100 idle SMTP connections from one address, then a real sender from another.
    const idle = await Promise.all(Array.from({ length: 100 }, () => smtpGreeting(smtpPort, '127.0.0.1')));
    const t0 = performance.now();
    const smtpLegitimate = await deliver(smtpPort, '127.0.3.1');
    const smtpLegitimateMs = performance.now() - t0;
    for (const c of idle) c.socket.destroy();
    return {
      label,
      phoneHeldOneAddress,
      phoneHeldAll,
      healthAloneMs,
      healthFloodMs,
      floodAnswered,
      floodSent,
      smtpIdleAccepted: idle.filter((c) => c.code === '220').length,
      smtpIdleRefused: idle.filter((c) => c.code === '421').length,
      smtpLegitimate,
      smtpLegitimateMs,
    };
  } finally {
    for (const ws of held) ws.terminate();
    await server.stop();
  }
}

/** Runs the bench with the limits on, then lifted (the baseline). */
export async function runAbuseBench(): Promise<AbuseResult[]> {
  return [await run('limits on', {}), await run('limits lifted (baseline)', LIFTED)];
}

/** The table rows, with the budgets. */
export function abuseRows(results: readonly AbuseResult[]): string[] {
  const lines = [
    '| abuse | phone sockets held: one address / all | /healthz p50 / p99 alone | /healthz p50 / p99 under a junk flood | junk frames answered | SMTP: 100 idle from one address | legitimate mail from another |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of results)
    lines.push(
      `| ${r.label} | ${r.phoneHeldOneAddress} / ${r.phoneHeldAll} | ${quantile(r.healthAloneMs, 0.5).toFixed(1)} / ${quantile(r.healthAloneMs, 0.99).toFixed(1)} ms | ${quantile(r.healthFloodMs, 0.5).toFixed(1)} / ${quantile(r.healthFloodMs, 0.99).toFixed(1)} ms | ${r.floodAnswered} of ${r.floodSent} | ${r.smtpIdleAccepted} accepted, ${r.smtpIdleRefused} refused | ${r.smtpLegitimate} in ${r.smtpLegitimateMs.toFixed(0)} ms |`,
    );
  lines.push(
    '| budget | ≤ 50 / ≤ 2,000 | — | p99 ≤ 50 ms | about the burst: 100 per socket | ≤ 10 accepted | 250 within 1 s |',
  );
  return lines;
}
