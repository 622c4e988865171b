/**
 * Interaction benchmarks over a real server (issue 4):
 *
 * - persisted assignments: contacts arrive concurrently, are offered, accepted
 *   and finished by agents; every transition is written to the store with its
 *   event before it is acknowledged. Reports assignments/s on SQLite and on
 *   PostgreSQL and checks that no contact was ever accepted twice and no agent
 *   held more than its capacity.
 * - offer latency: with 1,000 agents online (real WebSockets), the time from
 *   "a contact arrives" (the demo REST call) to the offer frame at the chosen
 *   agent's socket.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, createQueue, createSession, createUser, loadConfig, setMembership } from '@parley/server';
import { freePort } from '@parley/e2e/ports';
import WebSocket from 'ws';

interface Setup {
  readonly parley: Awaited<ReturnType<typeof buildApp>>;
  readonly queueId: string;
  readonly agents: Array<{ id: string; token: string }>;
  readonly sockets: WebSocket[];
  readonly base: string;
  close(): Promise<void>;
}

/** A demo server with `agents` agents in one chat queue, each with a live panel socket and ready. */
async function setup(opts: { agents: number; capacity: number; databaseUrl?: string }): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const port = await freePort();
  const config = loadConfig(
    {
      PARLEY_DEMO: 'true',
      PARLEY_DATA_DIR: dir,
      PORT: String(port),
      PLAYGROUND_PORT: 'off',
      PARLEY_SMTP_PORT: 'off',
      LOG_LEVEL: 'error',
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    },
    dir,
  );
  const parley = await buildApp({ config });
  const base = await parley.app.listen({ port, host: '127.0.0.1' });
  const db = parley.db;
  const tenantId = parley.tenant.id;
  const queue = await db.transaction().execute((trx) =>
    createQueue(trx, tenantId, {
      name: `Bench ${Date.now()}`,
      channel: 'chat',
      offerTimeoutSeconds: 300,
      wrapupSeconds: 0,
      addresses: [`bench-${Date.now()}`],
    }),
  );
  const agents: Array<{ id: string; token: string }> = [];
  for (let i = 0; i < opts.agents; i++) {
    const user = await createUser(db, tenantId, {
      username: `bench${Date.now()}-${i}`,
      displayName: `Bench ${i}`,
      email: `bench${i}@bench.local`,
      role: 'agent',
      passwordHash: null,
      capacity: { phone: 1, chat: opts.capacity, email: 1, sms: 1, whatsapp: 1 },
    });
    await setMembership(db, tenantId, { queueId: queue.id, userId: user.id, canServe: true, proficiency: 3 });
    const { token } = await createSession(db, { tenantId, userId: user.id }, parley.ctx.lifetimes);
    // What a login does to the agent state (without paying argon2 for each bench agent).
    await db.updateTable('users').set({ work_status: 'not_ready' }).where('id', '=', user.id).execute();
    agents.push({ id: user.id, token });
  }
  parley.ctx.bus.publish('queue.changed', { tenantId, queueId: queue.id });
  const wsBase = base.replace('http', 'ws');
  const sockets: WebSocket[] = [];
  for (let i = 0; i < agents.length; i += 50) {
    const batch = agents.slice(i, i + 50).map(
      (a) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${wsBase}/ws/agent`, { headers: { authorization: `Bearer ${a.token}` } });
          ws.once('message', () => resolve(ws));
          ws.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  for (const a of agents) {
    const res = await parley.app.inject({
      method: 'PUT',
      url: '/api/v1/me/state',
      headers: { authorization: `Bearer ${a.token}` },
      payload: { ready: true },
    });
    if (res.statusCode !== 200) throw new Error(`ready: ${res.body}`);
  }
  return {
    parley,
    queueId: queue.id,
    agents,
    sockets,
    base,
    async close() {
      for (const ws of sockets) ws.terminate();
      await parley.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface AssignmentBenchResult {
  readonly store: string;
  readonly assignments: number;
  readonly seconds: number;
  readonly doubleAssignments: number;
  readonly overCapacity: number;
}

/**
 * `contacts` contacts arrive `concurrency` at a time; each offer is accepted
 * at once and the conversation is finished right after, so agents keep
 * coming back. An assignment counts when its accept is stored.
 */
export async function runAssignmentBench(opts: {
  store: string;
  databaseUrl?: string;
  agents: number;
  contacts: number;
  concurrency: number;
}): Promise<AssignmentBenchResult> {
  const s = await setup({
    agents: opts.agents,
    capacity: 3,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
  });
  const { parley } = s;
  const tenantId = parley.tenant.id;
  const service = parley.ctx.interactions;
  const usernames = new Map(s.agents.map((a) => [a.id, a.id]));
  let assigned = 0;
  let finished = 0;
  const load = new Map<string, number>();
  let overCapacity = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (allDone = r));
  const work: Promise<unknown>[] = [];
  const unsubscribe = parley.ctx.bus.subscribe('interaction.changed', (e) => {
    if (e.event !== 'offered' || !e.agentId || e.tenantId !== tenantId) return;
    const agentId = e.agentId;
    const actor = { id: agentId, username: usernames.get(agentId) ?? agentId };
    const id = e.interaction.id;
    work.push(
      (async () => {
        await service.act(tenantId, actor, id, { type: 'accept' });
        assigned += 1;
        const now = (load.get(agentId) ?? 0) + 1;
        load.set(agentId, now);
        if (now > 3) overCapacity += 1;
        await service.act(tenantId, actor, id, { type: 'hangup' });
        load.set(agentId, (load.get(agentId) ?? 1) - 1);
        finished += 1;
        if (finished === opts.contacts) allDone();
      })(),
    );
  });
  const started = performance.now();
  let next = 0;
  const feeder = async () => {
    while (next < opts.contacts) {
      next += 1;
      await service.inbound(tenantId, { queueId: s.queueId, from: `visitor-${next}` });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, feeder));
  await done;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(work);
  unsubscribe();
  // Each contact's accept is stored exactly once, by one agent.
  const accepts = await parley.db
    .selectFrom('interaction_events')
    .select(['interaction_id', 'agent_id'])
    .where('tenant_id', '=', tenantId)
    .where('type', '=', 'accepted')
    .execute();
  const byContact = new Map<string, number>();
  for (const a of accepts) byContact.set(a.interaction_id, (byContact.get(a.interaction_id) ?? 0) + 1);
  const doubleAssignments = [...byContact.values()].filter((n) => n > 1).length;
  if (byContact.size !== opts.contacts) throw new Error(`${byContact.size} of ${opts.contacts} contacts were assigned`);
  await s.close();
  return { store: opts.store, assignments: assigned, seconds, doubleAssignments, overCapacity };
}

export interface OfferLatencyResult {
  readonly agentsOnline: number;
  readonly latenciesMs: number[];
}

/** Time from the inbound REST call to the offer frame at the agent's socket, one contact at a time. */
export async function runOfferLatencyBench(opts: { agents: number; contacts: number }): Promise<OfferLatencyResult> {
  const s = await setup({ agents: opts.agents, capacity: Math.ceil(opts.contacts / opts.agents) + 1 });
  const byId = new Map(s.agents.map((a, i) => [a.id, s.sockets[i]!]));
  const admin = await s.parley.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: s.parley.ctx.config.demoPassword },
  });
  const adminToken = (admin.json() as { token: string }).token;
  const latencies: number[] = [];
  for (let i = 0; i < opts.contacts; i++) {
    const waiting = new Map<WebSocket, (frame: { type: string; data: { event: string } }) => void>();
    let arrivedAt = 0;
    const offered = new Promise<void>((resolve) => {
      for (const ws of byId.values()) {
        const onMessage = (raw: WebSocket.RawData) => {
          const frame = JSON.parse(String(raw)) as { type: string; data: { event: string } };
          if (frame.type === 'interaction' && frame.data.event === 'offered') {
            arrivedAt = performance.now();
            for (const [w, h] of waiting) w.off('message', h as never);
            resolve();
          }
        };
        waiting.set(ws, onMessage as never);
        ws.on('message', onMessage);
      }
    });
    const started = performance.now();
    const res = await fetch(`${s.base}/api/v1/demo/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ queue_id: s.queueId, from: `visitor-${i}` }),
    });
    if (res.status !== 201) throw new Error(`contact: ${res.status} ${await res.text()}`);
    await offered;
    latencies.push(arrivedAt - started);
  }
  await s.close();
  return { agentsOnline: opts.agents, latenciesMs: latencies };
}
