/**
 * Routing micro-benchmark (issue 4): decisions per second and the p99 time
 * per decision of the pure engine with 10,000 agents and 1,000 queues,
 * against a naive baseline in the same run that scans every agent for each
 * contact (what the engine's per-queue idle sets replace).
 */
import type { ChannelType } from '@parley/protocol';
import { RoutingEngine } from '@parley/server/routing';
import { quantile } from './stats.ts';

const CHANNELS: ChannelType[] = ['phone', 'chat', 'email', 'sms', 'whatsapp'];
const CAPACITY: Record<ChannelType, number> = { phone: 1, chat: 3, email: 5, sms: 3, whatsapp: 3 };

/** A small deterministic PRNG (mulberry32), so every run routes the same traffic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface World {
  readonly queues: Array<{ id: string; channel: ChannelType; priority: number }>;
  readonly agents: Array<{ id: string; memberships: Array<{ queueId: string; proficiency: number }> }>;
}

function world(agentCount: number, queueCount: number, seed: number): World {
  const rand = prng(seed);
  const queues = Array.from({ length: queueCount }, (_, i) => ({
    id: `q${i}`,
    channel: CHANNELS[i % CHANNELS.length]!,
    priority: Math.floor(rand() * 5),
  }));
  const agents = Array.from({ length: agentCount }, (_, i) => {
    const memberships = new Map<string, number>();
    while (memberships.size < 5) memberships.set(`q${Math.floor(rand() * queueCount)}`, 1 + Math.floor(rand() * 5));
    return { id: `a${i}`, memberships: [...memberships].map(([queueId, proficiency]) => ({ queueId, proficiency })) };
  });
  return { queues, agents };
}

export interface RoutingBenchResult {
  readonly decisions: number;
  readonly seconds: number;
  readonly perDecisionMs: number[];
  readonly baselineDecisions: number;
  readonly baselineSeconds: number;
  readonly baselinePerDecisionMs: number[];
}

/**
 * Steady traffic: contacts arrive in random queues, every offer is accepted,
 * and once about 80% of the agents are busy the oldest assignment ends for
 * each new arrival, so agents keep coming back. Only time inside the engine
 * is measured.
 */
export function runRoutingBench(opts: {
  agents: number;
  queues: number;
  contacts: number;
  seed?: number;
}): RoutingBenchResult {
  const w = world(opts.agents, opts.queues, opts.seed ?? 7);
  const rand = prng((opts.seed ?? 7) + 1);
  const engine = new RoutingEngine();
  let now = 0;
  for (const q of w.queues)
    engine.handle(
      {
        type: 'queue_configured',
        queue: {
          id: q.id,
          channel: q.channel,
          priority: q.priority,
          offerTimeoutMs: 30_000,
          skillsBased: q.priority > 2,
        },
      },
      now,
    );
  for (const a of w.agents)
    engine.handle(
      {
        type: 'agent_updated',
        agent: { id: a.id, ready: true, connected: true, capacity: CAPACITY, memberships: a.memberships },
      },
      now,
    );

  const perDecisionMs: number[] = [];
  let decisions = 0;
  let engineMs = 0;
  const assigned: Array<{ agentId: string; channel: ChannelType }> = [];
  let head = 0;
  const step = (event: Parameters<RoutingEngine['handle']>[0], channel: ChannelType) => {
    const t0 = performance.now();
    const out = engine.handle(event, now);
    let offers = 0;
    for (const d of out) {
      if (d.type !== 'offer') continue;
      engine.handle({ type: 'offer_accepted', contactId: d.contactId, agentId: d.agentId }, now);
      assigned.push({ agentId: d.agentId, channel: d.queueId === '' ? channel : queueChannel.get(d.queueId)! });
      offers += 1;
    }
    const dt = performance.now() - t0;
    engineMs += dt;
    if (offers) {
      perDecisionMs.push(dt / offers);
      decisions += offers;
    }
  };
  const queueChannel = new Map(w.queues.map((q) => [q.id, q.channel]));
  for (let i = 0; i < opts.contacts; i++) {
    now += 1;
    const q = w.queues[Math.floor(rand() * w.queues.length)]!;
    step({ type: 'contact_arrived', contactId: `c${i}`, queueId: q.id }, q.channel);
    if (assigned.length - head > opts.agents * 0.8) {
      const done = assigned[head++]!;
      step({ type: 'interaction_ended', agentId: done.agentId, channel: done.channel }, done.channel);
    }
  }
  const seconds = engineMs / 1000;

  // Baseline: the same arrivals, served by scanning every agent for the longest-idle eligible one.
  const idleSince = new Map(w.agents.map((a) => [a.id, 0]));
  const load = new Map(
    w.agents.map((a) => [a.id, Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<ChannelType, number>]),
  );
  const member = new Map(w.agents.map((a) => [a.id, new Set(a.memberships.map((m) => m.queueId))]));
  const rand2 = prng((opts.seed ?? 7) + 1);
  const baselinePerDecisionMs: number[] = [];
  let baselineDecisions = 0;
  const baselineCount = Math.min(opts.contacts, 20_000);
  const b0 = performance.now();
  for (let i = 0; i < baselineCount; i++) {
    const q = w.queues[Math.floor(rand2() * w.queues.length)]!;
    const t0 = performance.now();
    let best: string | null = null;
    let bestIdle = Infinity;
    for (const a of w.agents) {
      const l = load.get(a.id)!;
      if (!member.get(a.id)!.has(q.id) || l.phone > 0 || l[q.channel] >= CAPACITY[q.channel]) continue;
      const idle = idleSince.get(a.id)!;
      if (idle < bestIdle) {
        bestIdle = idle;
        best = a.id;
      }
    }
    if (best) {
      load.get(best)![q.channel] += 1;
      idleSince.set(best, i + 1);
      baselineDecisions += 1;
      baselinePerDecisionMs.push(performance.now() - t0);
    }
    if (i % 4 === 0 && best) load.get(best)![q.channel] = Math.max(0, load.get(best)![q.channel] - 1);
  }
  const baselineSeconds = (performance.now() - b0) / 1000;
  return { decisions, seconds, perDecisionMs, baselineDecisions, baselineSeconds, baselinePerDecisionMs };
}

export { quantile };
