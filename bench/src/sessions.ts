/**
 * Agents online per server process: a real server process (as `npm start`
 * runs it) holds N agents' panel WebSockets, each its own user and session,
 * through a heartbeat round. Reports the process's resident memory before and
 * after, per socket, and how many sockets were still alive after the beat.
 */
import fs from 'node:fs';
import { createSession, createUser, findTenantBySlug, openStore } from '@parley/server';
import { startServerProcess } from './server-process.ts';
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
  const server = await startServerProcess('sessions');
  const { base, child } = server;
  const sockets: WebSocket[] = [];
  try {
    // The agents, written straight into the server's store (no argon2 per bench agent).
    const db = await openStore({ sqliteFile: server.sqliteFile });
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
    await server.stop();
  }
}
