/**
 * Voice: calls relayed by a real server process (as `npm start` runs it).
 * N customers dial the Sales number on the virtual PSTN and N agents with
 * media stations answer; werift softphones stand in for the browsers. Every
 * customer packet carries its number, so the agent side measures how long
 * the server took to pass it on and whether it arrived. The baseline is the
 * same softphones talking directly, no server, in the same run. CPU is the
 * server process's own (from /proc), so "calls per core" is calls ÷ cores
 * it used.
 */
import fs from 'node:fs';
import { createSession, createUser, findTenantBySlug, openStore, setMembership } from '@parley/server';
import { Softphone } from '@parley/server/softphone';
import { startServerProcess } from './server-process.ts';
import WebSocket from 'ws';

export interface VoiceBenchResult {
  readonly calls: number;
  readonly seconds: number;
  /** One-way customer → agent, through the server, ms. */
  readonly relayed: number[];
  /** The same softphones connected directly (no server), ms. */
  readonly direct: number[];
  readonly sent: number;
  readonly received: number;
  /** Cores the server process used while the calls ran. */
  readonly serverCores: number;
  /** Dial (offer ready) → the agent's panel hears of the offer, ms. */
  readonly setup: number[];
}

const SALES = '+15555550100';
const cpuSeconds = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** Marks each packet with its number so the far side can time it. */
function stamp(phone: Softphone, sentAt: Map<number, number>, next: () => number): NodeJS.Timeout {
  phone.quiet();
  return setInterval(() => {
    const id = next();
    const payload = Buffer.alloc(160, 0xff);
    payload.writeUInt32BE(id, 0);
    sentAt.set(id, performance.now());
    phone.sendFrame(payload);
  }, 20);
}

async function directBaseline(seconds: number): Promise<number[]> {
  const a = new Softphone(null);
  const b = new Softphone(null);
  // b answers a: werift on both ends, as the relayed path has on each leg.
  const offer = await a.offer();
  await b.pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await b.pc.setLocalDescription(await b.pc.createAnswer());
  await new Promise((r) => setTimeout(r, 300));
  await a.answer(b.pc.localDescription?.sdp ?? '');
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let id = 0;
  b.onPacket = (payload, at) => {
    const t = sentAt.get(payload.readUInt32BE(0));
    if (t !== undefined) latencies.push(at - t);
  };
  await new Promise((r) => setTimeout(r, 1000));
  const timer = stamp(a, sentAt, () => ++id);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(timer);
  await Promise.all([a.close(), b.close()]);
  return latencies;
}

export async function runVoiceBench(opts: { calls: number; seconds: number }): Promise<VoiceBenchResult> {
  const direct = await directBaseline(Math.min(5, opts.seconds));
  // Every bench customer dials from 127.0.0.1.
  const server = await startServerProcess('voice', { PARLEY_CALLS_PER_MINUTE: '100000' });
  const { base, child } = server;
  const closers: Array<() => unknown> = [];
  try {
    const db = await openStore({ sqliteFile: server.sqliteFile });
    const tenant = await findTenantBySlug(db, 'default');
    if (!tenant) throw new Error('no default tenant');
    const sales = await db
      .selectFrom('queue_addresses')
      .select('queue_id')
      .where('address', '=', SALES)
      .executeTakeFirstOrThrow();
    // The demo's own agents stay away: only the bench's agents serve Sales.
    await db.deleteFrom('queue_members').where('queue_id', '=', sales.queue_id).execute();
    const tokens: string[] = [];
    for (let i = 0; i < opts.calls; i++) {
      const user = await createUser(db, tenant.id, {
        username: `voice-${i}`,
        displayName: `Voice ${i}`,
        email: `voice${i}@bench.local`,
        role: 'agent',
        passwordHash: null,
      });
      // As a login leaves them: present, not ready yet.
      await db.updateTable('users').set({ work_status: 'not_ready' }).where('id', '=', user.id).execute();
      await setMembership(db, tenant.id, { queueId: sales.queue_id, userId: user.id, canServe: true, proficiency: 3 });
      tokens.push(
        (await createSession(db, { tenantId: tenant.id, userId: user.id }, { idleSeconds: 86400, maxSeconds: 86400 }))
          .token,
      );
    }
    await db.destroy();

    const wsBase = base.replace('http', 'ws');
    const offered: Array<(id: string) => void> = [];
    const agents: Array<{ ws: WebSocket; token: string; phone: Softphone }> = [];
    for (const token of tokens) {
      const ws = new WebSocket(`${wsBase}ws/agent`, { headers: { authorization: `Bearer ${token}` } });
      const phone = new Softphone(null);
      closers.push(
        () => phone.close(),
        () => ws.terminate(),
      );
      const answers = new Map<string, (sdp: string) => void>();
      ws.on('message', (raw) => {
        const f = JSON.parse(String(raw)) as {
          re?: string;
          data?: { sdp?: string; event?: string; interaction?: { id: string } };
        };
        if (f.re) answers.get(f.re)?.(f.data?.sdp ?? '');
        else if (f.data?.event === 'offered' && f.data.interaction) offered.shift()?.(f.data.interaction.id);
        if (f.data?.event === 'offered' && f.data.interaction) {
          const id = f.data.interaction.id;
          void fetch(`${base}api/v1/interactions/${id}/actions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ action: 'accept' }),
          });
        }
      });
      await new Promise((r) => ws.once('message', r));
      const sdp = await new Promise<string>((resolve) => {
        answers.set('m', resolve);
        void phone
          .offer()
          .then((offer) => ws.send(JSON.stringify({ id: 'm', type: 'media.offer', data: { sdp: offer } })));
      });
      await phone.answer(sdp);
      const st = await fetch(`${base}api/v1/me/state`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ready: true }),
      });
      if (!st.ok) throw new Error(`cannot make a bench agent ready: ${st.status} ${await st.text()}`);
      agents.push({ ws, token, phone });
    }

    // Customers dial one at a time: the first ones time the setup.
    const setup: number[] = [];
    const customers: Softphone[] = [];
    for (let i = 0; i < opts.calls; i++) {
      const page = new WebSocket(`${wsBase}ws/phone`);
      closers.push(() => page.terminate());
      await new Promise((r) => page.once('open', r));
      const phone = new Softphone(null);
      closers.push(() => phone.close());
      const offer = await phone.offer();
      const answered = new Promise<string>((resolve) =>
        page.on('message', (raw) => {
          const f = JSON.parse(String(raw)) as { type: string; sdp?: string };
          if (f.type === 'answer') resolve(f.sdp ?? '');
        }),
      );
      const gotOffer = new Promise<void>((resolve) => offered.push(() => resolve()));
      const t0 = performance.now();
      page.send(JSON.stringify({ type: 'dial', call_id: `c${i}`, to: SALES, sdp: offer }));
      await phone.answer(await answered);
      await gotOffer;
      setup.push(performance.now() - t0);
      customers.push(phone);
    }
    await new Promise((r) => setTimeout(r, 2000));

    // Every customer stamps its packets; every agent times what arrives.
    const sentAt = new Map<number, number>();
    const relayed: number[] = [];
    let id = 0;
    let received = 0;
    for (const a of agents) {
      a.phone.onPacket = (payload, at) => {
        const t = sentAt.get(payload.readUInt32BE(0));
        if (t === undefined) return;
        received++;
        relayed.push(at - t);
      };
    }
    const pid = child.pid ?? 0;
    const cpu0 = cpuSeconds(pid);
    const wall0 = performance.now();
    const timers = customers.map((c) => stamp(c, sentAt, () => ++id));
    await new Promise((r) => setTimeout(r, opts.seconds * 1000));
    for (const t of timers) clearInterval(t);
    const sent = id;
    await new Promise((r) => setTimeout(r, 500));
    const serverCores = (cpuSeconds(pid) - cpu0) / ((performance.now() - wall0) / 1000);
    return { calls: opts.calls, seconds: opts.seconds, relayed, direct, sent, received, serverCores, setup };
  } finally {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    await server.stop();
  }
}
