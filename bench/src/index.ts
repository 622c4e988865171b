/**
 * `npm run bench`: runs every benchmark, prints one table and writes
 * bench/results/latest.json. Not part of `npm test`; timings never are.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createPostgresDatabase } from '@parley/server/testing';
import { abuseRows, runAbuseBench } from './abuse.ts';
import { runEmbedBench } from './embed.ts';
import { runHeadlessBench, type HeadlessResult } from './headless.ts';
import { runAssignmentBench, runOfferLatencyBench, type AssignmentBenchResult } from './interactions.ts';
import { writeReport } from './report.ts';
import { runRoutingBench } from './routing.ts';
import { runSessionsBench } from './sessions.ts';
import { runVoiceBench, type VoiceBenchResult } from './voice.ts';
import { ms, quantile } from './stats.ts';

const root = path.resolve(import.meta.dirname, '../..');
const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;

function panelFirstLoadBytes(): number {
  const assets = path.join(root, 'packages/panel/dist/assets');
  return fs
    .readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .reduce((sum, f) => sum + gz(path.join(assets, f)), 0);
}

const quick = process.argv.includes('--quick');

/** The voice table: relayed calls and their added latency, loss, CPU and setup time. */
function voiceRows(v: VoiceBenchResult) {
  const lost = v.sent - v.received;
  return [
    {
      metric: `relayed audio, customer → server → agent (${v.calls} calls at once, one way)`,
      n: v.relayed.length,
      p50: quantile(v.relayed, 0.5),
      p99: quantile(v.relayed, 0.99),
      budget: 'added p99 < 50 ms, 0 loss',
      note: `lost ${lost} of ${v.sent} (${((100 * lost) / Math.max(1, v.sent)).toFixed(2)} %); server used ${v.serverCores.toFixed(2)} cores → ${(v.calls / Math.max(0.01, v.serverCores)).toFixed(0)} calls per core`,
    },
    {
      metric: 'same softphones, baseline direct (no server)',
      n: v.direct.length,
      p50: quantile(v.direct, 0.5),
      p99: quantile(v.direct, 0.99),
      budget: '—',
      note: `server adds ${((quantile(v.relayed, 0.5) ?? 0) - (quantile(v.direct, 0.5) ?? 0)).toFixed(2)} ms at p50, ${((quantile(v.relayed, 0.99) ?? 0) - (quantile(v.direct, 0.99) ?? 0)).toFixed(2)} ms at p99`,
    },
    {
      metric: "call setup: dial → offer at the agent's panel (virtual PSTN, media up)",
      n: v.setup.length,
      p50: quantile(v.setup, 0.5),
      p99: quantile(v.setup, 0.99),
      budget: 'p50 ≤ 300 ms',
      note: '',
    },
  ];
}

if (process.argv.includes('--voice')) {
  const v = await runVoiceBench({ calls: quick ? 10 : 25, seconds: quick ? 5 : 10 });
  console.log('| voice | n | p50 ms | p99 ms | budget | |');
  console.log('| --- | ---: | ---: | ---: | --- | --- |');
  for (const r of voiceRows(v))
    console.log(`| ${r.metric} | ${r.n} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.budget} | ${r.note} |`);
  process.exit(0);
}

/** The headless client's rows, each beside the panel path measured in the same run. */
function headlessRows(h: HeadlessResult) {
  const row = (metric: string, xs: number[], budget: string) => ({
    metric,
    n: xs.length,
    p50: quantile(xs, 0.5),
    p99: quantile(xs, 0.99),
    budget,
  });
  return [
    row(
      'headless: host→Agent→server→Agent→host (setReady, stored), back to back',
      h.agentCommand,
      'p50 ≤ 5 ms on loopback',
    ),
    row('same through the panel (host→SDK→panel→server→…→host), same run', h.panelCommand, '—'),
    row('headless: same, one command at a time (25 ms apart)', h.agentCommandPaced, 'p50 ≤ 5 ms on loopback'),
    row('same through the panel, paced', h.panelCommandPaced, '—'),
    row('headless: offer latency, contact created → incoming at the client', h.agentOffer, 'p50 ≤ 50 ms'),
    row('same at the panel-mode SDK, same run', h.panelOffer, '—'),
  ];
}

if (process.argv.includes('--headless')) {
  const h = await runHeadlessBench({ commands: quick ? 100 : 500, offers: quick ? 20 : 100 });
  console.log('| headless | n | p50 ms | p99 ms | budget |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const r of headlessRows(h)) console.log(`| ${r.metric} | ${r.n} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.budget} |`);
  process.exit(0);
}

if (process.argv.includes('--abuse')) {
  for (const line of abuseRows(await runAbuseBench())) console.log(line);
  process.exit(0);
}

// Interactions first: they measure the server alone, before a browser shares the two cores.
const assignments: AssignmentBenchResult[] = [];
const assignmentOpts = { agents: 100, contacts: quick ? 1000 : 4000, concurrency: 64 };
assignments.push(await runAssignmentBench({ store: 'SQLite', ...assignmentOpts }));
try {
  const pg = await createPostgresDatabase();
  try {
    assignments.push(await runAssignmentBench({ store: 'PostgreSQL', databaseUrl: pg.url, ...assignmentOpts }));
  } finally {
    await pg.drop();
  }
} catch (err) {
  console.error(`PostgreSQL assignments skipped: ${err instanceof Error ? err.message : String(err)}`);
}
const offers = await runOfferLatencyBench({ agents: 1000, contacts: quick ? 100 : 300 });
const sessions = await runSessionsBench({ agents: quick ? 2000 : 10_000, heartbeatWaitMs: 35_000 });
const voice = voiceRows(await runVoiceBench({ calls: quick ? 10 : 25, seconds: quick ? 5 : 10 }));

const embed = await runEmbedBench({
  roundTrips: quick ? 500 : 5000,
  pollingRoundTrips: quick ? 40 : 200,
  serverRoundTrips: quick ? 100 : 500,
  loads: quick ? 5 : 20,
});

const headless = headlessRows(await runHeadlessBench({ commands: quick ? 100 : 500, offers: quick ? 20 : 100 }));

const abuse = abuseRows(await runAbuseBench());

const routing = runRoutingBench({ agents: 10_000, queues: 1_000, contacts: quick ? 50_000 : 300_000 });

const sdkP50 = quantile(embed.sdkRoundTrip, 0.5);
const pollP50 = quantile(embed.pollingRoundTrip, 0.5);
const rows = [
  {
    metric: 'host→panel→host round trip, SDK (getDetails user)',
    n: embed.sdkRoundTrip.length,
    p50: sdkP50,
    p99: quantile(embed.sdkRoundTrip, 0.99),
    budget: 'p50 ≤ 0.5 ms, p99 ≤ 3 ms',
  },
  {
    metric: 'same, baseline window.postMessage, event-driven',
    n: embed.windowRoundTrip.length,
    p50: quantile(embed.windowRoundTrip, 0.5),
    p99: quantile(embed.windowRoundTrip, 0.99),
    budget: '—',
  },
  {
    metric: 'same, baseline polling every 50 ms (CPC client style)',
    n: embed.pollingRoundTrip.length,
    p50: pollP50,
    p99: quantile(embed.pollingRoundTrip, 0.99),
    budget: '—',
  },
  {
    metric: 'host→panel→server→panel→host (setReady, stored before the answer), back to back',
    n: embed.serverRoundTrip.length,
    p50: quantile(embed.serverRoundTrip, 0.5),
    p99: quantile(embed.serverRoundTrip, 0.99),
    budget: 'p50 ≤ 5 ms on loopback',
  },
  {
    metric: 'same, one command at a time (25 ms apart)',
    n: embed.serverRoundTripPaced.length,
    p50: quantile(embed.serverRoundTripPaced, 0.5),
    p99: quantile(embed.serverRoundTripPaced, 0.99),
    budget: 'p50 ≤ 5 ms on loopback',
  },
  {
    metric: 'init at the host after load() (logged-in session)',
    n: embed.initAfterLoad.length,
    p50: quantile(embed.initAfterLoad, 0.5),
    p99: quantile(embed.initAfterLoad, 0.99),
    budget: '≤ 500 ms',
  },
];
rows.push(...headless);
const routingRows = [
  {
    metric: 'routing decisions, engine (10,000 agents, 1,000 queues)',
    n: routing.decisions,
    perSecond: routing.decisions / routing.seconds,
    p50: quantile(routing.perDecisionMs, 0.5),
    p99: quantile(routing.perDecisionMs, 0.99),
    budget: '≥ 500,000/s',
  },
  {
    metric: 'same traffic, baseline scanning every agent',
    n: routing.baselineDecisions,
    perSecond: routing.baselineDecisions / routing.baselineSeconds,
    p50: quantile(routing.baselinePerDecisionMs, 0.5),
    p99: quantile(routing.baselinePerDecisionMs, 0.99),
    budget: '—',
  },
];
const sizes = {
  sdkIifeGzipBytes: gz(path.join(root, 'packages/sdk/dist/parley.js')),
  panelFirstLoadGzipBytes: panelFirstLoadBytes(),
};

console.log(`\nParley benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
console.log('| metric | n | p50 ms | p99 ms | budget |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const r of rows) console.log(`| ${r.metric} | ${r.n} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.budget} |`);
console.log('\n| routing | n | decisions/s | p50 ms | p99 ms | budget |');
console.log('| --- | ---: | ---: | ---: | ---: | --- |');
for (const r of routingRows)
  console.log(`| ${r.metric} | ${r.n} | ${Math.round(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.budget} |`);
console.log('\n| interactions | n | per second | p50 ms | p99 ms | double assignments | budget |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const a of assignments)
  console.log(
    `| persisted assignments, ${a.store} (offer → accept → finish, ${assignmentOpts.concurrency} in flight) | ${a.assignments} | ${Math.round(a.assignments / a.seconds)} | — | — | ${a.doubleAssignments} (over capacity: ${a.overCapacity}) | ≥ 10,000/s on SQLite |`,
  );
console.log(
  `| inbound contact → offer frame at the agent's socket (${offers.agentsOnline} agents online) | ${offers.latenciesMs.length} | — | ${ms(quantile(offers.latenciesMs, 0.5))} | ${ms(quantile(offers.latenciesMs, 0.99))} | — | p50 ≤ 20 ms |`,
);
console.log(
  `| agents online in one server process (panel WebSockets, each its own session, through a heartbeat) | ${sessions.agents} | — | — | — | alive after the beat: ${sessions.aliveAfterHeartbeat}; RSS ${sessions.rssBeforeMiB.toFixed(0)} → ${sessions.rssAfterMiB.toFixed(0)} MiB (${sessions.kibPerSocket.toFixed(1)} KiB each) | ≥ 10,000 per process, RSS ≤ 2 GiB |`,
);
console.log('\n| voice | n | p50 ms | p99 ms | budget | |');
console.log('| --- | ---: | ---: | ---: | --- | --- |');
for (const r of voice) console.log(`| ${r.metric} | ${r.n} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.budget} | ${r.note} |`);
console.log(
  `\nRouting engine vs scanning baseline: ${(routingRows[0]!.perSecond / routingRows[1]!.perSecond).toFixed(0)}× the decisions/s`,
);
console.log(`SDK vs polling baseline, p50: ${(pollP50 / sdkP50).toFixed(0)}× faster`);
console.log(
  `SDK vs window.postMessage baseline, p50: ${(quantile(embed.windowRoundTrip, 0.5) / sdkP50).toFixed(1)}× faster`,
);
console.log('');
for (const line of abuse) console.log(line);
console.log(`\nSDK IIFE: ${sizes.sdkIifeGzipBytes} B min+gzip (budget 5120 B)`);
console.log(`Panel first load: ${sizes.panelFirstLoadGzipBytes} B gzip JS+CSS (budget 81920 B)\n`);

const out = path.join(root, 'bench/results/latest.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      rows,
      routingRows,
      assignments: assignments.map((a) => ({ ...a, perSecond: a.assignments / a.seconds })),
      offerLatencyMs: {
        agentsOnline: offers.agentsOnline,
        n: offers.latenciesMs.length,
        p50: quantile(offers.latenciesMs, 0.5),
        p99: quantile(offers.latenciesMs, 0.99),
      },
      sessions,
      voice,
      abuse,
      ratioPollingOverSdkP50: pollP50 / sdkP50,
      ratioWindowOverSdkP50: quantile(embed.windowRoundTrip, 0.5) / sdkP50,
      sizes,
    },
    null,
    2,
  )}\n`,
);

writeReport(out, path.join(root, 'docs'));
console.log('Wrote bench/results/latest.json, docs/performance.md and docs/performance.svg');
