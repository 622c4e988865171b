/**
 * Agents online per server process: a real server process (as `npm start`
 * runs it) holds N agents' panel WebSockets, each its own user and session,
 * through a heartbeat round. Reports the process's resident memory before and
 * after, per socket, and how many sockets were still alive after the beat.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSession, createUser, findTenantBySlug, openStore } from '@parley/server';
import { freePort } from '@parley/e2e/ports';
import WebSocket from 'ws';

export interface SessionsBenchResult {
  readonly agents: number;
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
  readonly kibPerSocket: number;
  readonly aliveAfterHeartbeat: number;
  readonly connectSeconds: number;
}

const rssMiB = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
};

export async function runSessionsBench(opts: {
  agents: number;
  heartbeatWaitMs: number;
}): Promise<SessionsBenchResult> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-sessions-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_PUBLIC_URL: base,
      PLAYGROUND_PORT: 'off',
      PARLEY_SMTP_PORT: 'off',
      PARLEY_DATA_DIR: dir,
      PARLEY_DEMO: 'true',
      LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; i < 300; i++) {
      if (
        await fetch(`${base}healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The agents, written straight into the server's store (no argon2 per bench agent).
    const db = await openStore({ sqliteFile: path.join(dir, 'parley.sqlite') });
    const tenant = await findTenantBySlug(db, 'default');
    if (!tenant) throw new Error('no default tenant');
    const tokens: string[] = [];
    for (let i = 0; i < opts.agents; i++) {
      const user = await createUser(db, tenant.id, {
        username: `online-${i}`,
        displayName: `Online ${i}`,
        email: `online${i}@bench.local`,
        role: 'agent',
        passwordHash: null,
      });
      tokens.push(
        (await createSession(db, { tenantId: tenant.id, userId: user.id }, { idleSeconds: 86400, maxSeconds: 86400 }))
          .token,
      );
    }
    await db.destroy();
    const pid = child.pid ?? 0;
    const before = rssMiB(pid);
    const started = performance.now();
    const wsBase = base.replace('http', 'ws');
    for (let i = 0; i < tokens.length; i += 100) {
      const batch = tokens.slice(i, i + 100).map(
        (token) =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(`${wsBase}ws/agent`, { headers: { authorization: `Bearer ${token}` } });
            ws.once('message', () => resolve(ws));
            ws.once('error', reject);
          }),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    const connectSeconds = (performance.now() - started) / 1000;
    // Through one heartbeat round (the server pings every 30 s; a socket that does not answer is dropped).
    await new Promise((r) => setTimeout(r, opts.heartbeatWaitMs));
    const after = rssMiB(pid);
    const alive = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    return {
      agents: opts.agents,
      rssBeforeMiB: before,
      rssAfterMiB: after,
      kibPerSocket: ((after - before) * 1024) / opts.agents,
      aliveAfterHeartbeat: alive,
      connectSeconds,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
