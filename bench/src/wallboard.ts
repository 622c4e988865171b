/**
 * What the console's live numbers cost at 10,000 agents and 1,000 queues
 * (SQLite, in-process): a wallboard push (every queue's tiles, read from the
 * store and the day board), the agent grid's snapshot (a console connecting)
 * and one agent's row (each agent change), folding interaction events into
 * the day board (the live path), and counting a day again from the stored
 * events (a start, midnight, a threshold change). Baseline in the same run:
 * the agent panel's `queues` frame query (queue-news), which runs as often.
 *
 *   node --import tsx bench/src/wallboard.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  StaffBook,
  agentRows,
  createQueue,
  createUser,
  DayBoard,
  ensureTenant,
  milestonesOf,
  openStore,
  setMembership,
  Supervision,
  supervisionScope,
  wallboardTiles,
} from '@parley/server';
import { ms, quantile } from './stats.ts';

const quick = process.argv.includes('--quick');
const AGENTS = quick ? 2_000 : 10_000;
const QUEUES = quick ? 200 : 1_000;
const DAY_EVENTS = quick ? 20_000 : 100_000;

const time = async (n: number, fn: () => Promise<unknown>): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-wallboard-'));
const db = await openStore({ sqliteFile: path.join(dir, 'bench.sqlite') });
const tenant = await ensureTenant(db, { slug: 'wallboard', name: 'Wallboard bench' });
const setup = performance.now();
const queueIds: string[] = [];
await db.transaction().execute(async (trx) => {
  for (let q = 0; q < QUEUES; q++)
    queueIds.push((await createQueue(trx, tenant.id, { name: `Q${q}`, channel: q % 2 ? 'chat' : 'phone' })).id);
});
const agentIds: string[] = [];
await db.transaction().execute(async (trx) => {
  for (let a = 0; a < AGENTS; a++) {
    const user = await createUser(trx, tenant.id, {
      username: `a${a}`,
      displayName: `Agent ${a}`,
      email: `a${a}@bench.local`,
      role: 'agent',
      passwordHash: null,
    });
    agentIds.push(user.id);
    // Three queues each, so every queue has about thirty members.
    for (let k = 0; k < 3; k++)
      await setMembership(trx, tenant.id, {
        queueId: queueIds[(a * 3 + k) % QUEUES] ?? '',
        userId: user.id,
        canServe: true,
        proficiency: 3,
      });
  }
  await trx.updateTable('users').set({ work_status: 'ready', ready: 1 }).where('tenant_id', '=', tenant.id).execute();
});
// A day of stored events: created, accepted, handled per contact, each with the interaction as it was.
const now = Date.now();
const dayStart = now - 8 * 3600_000;
await db.transaction().execute(async (trx) => {
  let seq = 0;
  for (let c = 0; c < DAY_EVENTS / 3; c++) {
    const id = c.toString(16).padStart(32, '0');
    const created = dayStart + c * 100;
    const interaction = {
      id,
      channel_type: 'phone',
      direction: 'inbound',
      state: 'accepted',
      queue_id: queueIds[c % QUEUES],
      created: new Date(created).toISOString(),
      date_accepted: new Date(created + 15_000).toISOString(),
      agent_id: agentIds[c % AGENTS],
    };
    for (const [type, at] of [
      ['created', created],
      ['accepted', created + 15_000],
      ['handled', created + 200_000],
    ] as const)
      await trx
        .insertInto('interaction_events')
        .values({
          tenant_id: tenant.id,
          seq: ++seq,
          interaction_id: id,
          type,
          data: JSON.stringify({ interaction }),
          actor_id: null,
          agent_id: null,
          created_at: new Date(at).toISOString(),
        })
        .execute();
  }
});
const setupSeconds = (performance.now() - setup) / 1000;

const noBus = { publish: () => undefined, subscribe: () => () => undefined };
const log = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined };
const scope = await supervisionScope(db, tenant.id, { id: 'bench', role: 'admin' });

// Counting the day again from the store.
const rebuilds = await time(quick ? 2 : 3, async () => {
  const s = new Supervision({
    db,
    bus: noBus as never,
    log: log as never,
    online: () => new Set(),
    timeZone: async () => null,
    now: () => now,
  });
  await s.dayStart(tenant.id);
  s.close();
});
const live = new Supervision({
  db,
  bus: noBus as never,
  log: log as never,
  online: () => new Set(),
  timeZone: async () => null,
  now: () => now,
});
const board = new DayBoard(dayStart, () => 20_000);
let staff = await StaffBook.load(db, tenant.id);
const staffLoads = await time(quick ? 2 : 5, async () => {
  staff = await StaffBook.load(db, tenant.id);
});
const tiles = await time(quick ? 5 : 20, () => wallboardTiles(db, tenant.id, scope, board, (q) => staff.counts(q)));
const refreshes = await time(quick ? 50 : 200, () =>
  staff.refresh(agentIds[Math.floor(Math.random() * agentIds.length)] ?? ''),
);
// Baseline: what a push cost before the counts were kept (every serving membership read, per push).
const everyMember = await time(quick ? 5 : 20, () =>
  db
    .selectFrom('queue_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.queue_id', 'u.work_status'])
    .where('m.tenant_id', '=', tenant.id)
    .where('m.can_serve', '=', 1)
    .execute(),
);
const grid = await time(quick ? 2 : 5, () => agentRows(db, tenant.id, scope, board, new Set()));
const one = await time(quick ? 50 : 200, () =>
  agentRows(db, tenant.id, scope, board, new Set(), agentIds[Math.floor(Math.random() * agentIds.length)]),
);
// The agent panel's queue lines, the same size of read (baseline).
const lines = await time(quick ? 5 : 20, async () => {
  await db
    .selectFrom('interactions')
    .select(['queue_id', (eb) => eb.fn.countAll().as('n')])
    .where('tenant_id', '=', tenant.id)
    .where('state', 'in', ['incoming', 'alerting'])
    .groupBy('queue_id')
    .execute();
  await db.selectFrom('queues').select(['id', 'name', 'channel']).where('tenant_id', '=', tenant.id).execute();
});
// The live fold: events through the pure rule into the board.
const FOLD = quick ? 200_000 : 1_000_000;
const view = {
  queueId: queueIds[0] ?? null,
  channel: 'phone' as const,
  direction: 'inbound' as const,
  consultation: false,
  agentId: agentIds[0] ?? null,
  createdAt: now - 30_000,
  acceptedAt: now - 10_000,
};
const types = ['created', 'accepted', 'handled', 'held', 'message'];
const foldStart = performance.now();
for (let i = 0; i < FOLD; i++)
  for (const m of milestonesOf({ type: types[i % types.length] ?? 'held', detail: null, at: now }, view)) board.add(m);
const foldSeconds = (performance.now() - foldStart) / 1000;
live.close();
await db.destroy();
fs.rmSync(dir, { recursive: true, force: true });

const p50 = (xs: number[]) => quantile(xs, 0.5) ?? 0;
console.log(
  `\nConsole live numbers — ${AGENTS} agents, ${QUEUES} queues, ${DAY_EVENTS} stored events today; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version} (set-up ${setupSeconds.toFixed(0)} s)\n`,
);
console.log('| metric | n | p50 ms | p99 ms | note |');
console.log('| --- | ---: | ---: | ---: | --- |');
const row = (metric: string, xs: number[], note: string) =>
  console.log(`| ${metric} | ${xs.length} | ${ms(quantile(xs, 0.5))} | ${ms(quantile(xs, 0.99))} | ${note} |`);
row(
  `wallboard push: ${QUEUES} tiles, now and today`,
  tiles,
  `at most 2 a second per tenant (consoles of one scope share a read): ${((2 * p50(tiles)) / 10).toFixed(1)} % of a core; ${(1000 / p50(tiles)).toFixed(0)} pushes/s per core`,
);
row('baseline: reading every serving membership per push (before)', everyMember, `${AGENTS * 3} rows`);
row('baseline: the agent panel’s queue-lines read', lines, 'the same tables, grouped');
row('staff counts read once per tenant (then kept)', staffLoads, 'at the first console, after a queue change');
row('staff counts: one agent read again (each user change)', refreshes, '');
row(`agent grid snapshot (${AGENTS} rows, a console connecting)`, grid, '');
row('one agent’s row (each state or work change)', one, `${(1000 / p50(one)).toFixed(0)} agent changes/s per core`);
row(`day counted again from ${DAY_EVENTS} stored events`, rebuilds, 'at start, midnight, a threshold change');
console.log(
  `\nlive fold: ${FOLD} events in ${foldSeconds.toFixed(2)} s → ${Math.round(FOLD / foldSeconds).toLocaleString('en')} events/s into the day board`,
);
