/**
 * The simulator against a real server on loopback: bots and customers over
 * the public interfaces only (REST, both WebSockets, the demo handset, SMTP).
 * Time runs ten times faster on the simulator's side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, type Harness } from '../testing/index.ts';
import { parseScenario } from './scenario.ts';
import { simulate, type Progress } from './simulator.ts';

describe('parley simulate', () => {
  let h: Harness;
  beforeAll(async () => {
    // All simulated customers come from one address: lift the per-address chat limit, as docs/cli.md says.
    h = await startHarness({ PARLEY_CHAT_STARTS_PER_MINUTE: '10000', PARLEY_CALLS_PER_MINUTE: '10000' }, 'sqlite', {
      listen: true,
      voice: {},
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('runs mixed traffic to the end: every arrival handled or abandoned, none lost, no errors', async () => {
    const scenario = parseScenario({
      name: 'test-mix',
      // Four seconds of arrivals at 10× time: long enough that a busy machine's late timers still see every channel.
      duration_s: 40,
      drain_s: 300,
      agents: {
        count: 3,
        queues: ['Web Chat', 'SMS', 'Email Support'],
        accept_after_s: [0.1, 0.5],
        reply_after_s: [0.1, 0.5],
        replies: [1, 2],
        wrapup_s: [0.1, 0.3],
      },
      customers: {
        chat: { per_second: 0.8, messages: [1, 2], think_s: [0.2, 0.5], patience_s: 200 },
        sms: { per_second: 0.4 },
        email: { per_second: 0.3 },
      },
    });
    const progress: Progress[] = [];
    const summary = await simulate(scenario, {
      baseUrl: h.url ?? '',
      admin: { username: 'admin', password: DEMO_PASSWORD },
      smtpPort: h.smtpPort ?? 0,
      timeScale: 0.1,
      onProgress: (p) => progress.push(p),
    });
    expect(summary.errorSamples).toEqual([]);
    expect(summary.arrivals.chat).toBeGreaterThan(0);
    expect(summary.arrivals.sms).toBeGreaterThan(0);
    expect(summary.arrivals.email).toBeGreaterThan(0);
    expect(summary.unfinished).toBe(0);
    expect(summary.handled + summary.abandoned).toBe(summary.arrivals.total);
    expect(summary.waitSeconds.p50).not.toBeNull();
    expect(summary.messages.agent).toBeGreaterThanOrEqual(summary.handled);
    expect(progress.at(-1)).toMatchObject({ arrivals: summary.arrivals.total, handled: summary.handled });
    // What the bots did is what the store has: every handled interaction carries the scenario's code.
    const handled = await h.db
      .selectFrom('interactions')
      .select(['wrapup'])
      .where('state', '=', 'handled')
      .where('agent_id', 'in', h.db.selectFrom('users').select('id').where('username', 'like', 'sim-%'))
      .execute();
    expect(handled).toHaveLength(summary.handled);
    expect(new Set(handled.map((r) => (JSON.parse(r.wrapup ?? '{}') as { code?: string }).code))).toEqual(
      new Set(['resolved']),
    );
  }, 60_000);

  it('runs calls with real audio both ways, holds and transfers: every call handled or abandoned, all stored', async () => {
    const scenario = parseScenario({
      name: 'test-calls',
      duration_s: 25,
      drain_s: 600,
      agents: {
        count: 2,
        queues: ['Sales'],
        accept_after_s: [0.5, 1],
        reply_after_s: [2, 3],
        wrapup_s: [0.5, 1],
        hold_ratio: 0.5,
        hold_s: [3, 4],
        transfer_ratio: 0.4,
      },
      customers: { call: { per_second: 0.8, talk_s: [12, 16], patience_s: 600 } },
    });
    const summary = await simulate(scenario, {
      baseUrl: h.url ?? '',
      admin: { username: 'admin', password: DEMO_PASSWORD },
      timeScale: 0.1,
    });
    expect(summary.errorSamples).toEqual([]);
    expect(summary.arrivals.call).toBeGreaterThan(0);
    expect(summary.unfinished).toBe(0);
    expect(summary.handled + summary.abandoned).toBe(summary.arrivals.total);
    expect(summary.calls.connected).toBe(summary.handled);
    // About 20 calls: some were held and some transferred (each a coin toss per call).
    expect(summary.held).toBeGreaterThan(0);
    expect(summary.transferred).toBeGreaterThan(0);
    // Real audio: each caller heard its agent's tone, and each agent the caller's.
    expect(summary.calls.callerHeardAgent).toBe(summary.calls.connected);
    expect(summary.calls.agentHeardCaller).toBe(summary.calls.connected);
    // The store agrees: the calls were phone interactions, wrapped up with the code; holds and transfers happened.
    const rows = await h.db
      .selectFrom('interactions')
      .select(['id', 'state', 'wrapup', 'transferred_from'])
      .where('channel', '=', 'phone')
      .where('agent_id', 'in', h.db.selectFrom('users').select('id').where('username', 'like', 'sim-%'))
      .execute();
    expect(rows.length).toBe(summary.handled + summary.transferred);
    expect(rows.every((r) => r.state === 'handled')).toBe(true);
    expect(rows.filter((r) => r.transferred_from !== null)).toHaveLength(summary.transferred);
    const holds = await h.db
      .selectFrom('interaction_events')
      .select('interaction_id')
      .where('type', '=', 'held')
      .where(
        'interaction_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(new Set(holds.map((x) => x.interaction_id)).size).toBe(summary.held);
  }, 120_000);

  it('refuses a scenario that names a queue the server does not have', async () => {
    const scenario = parseScenario({ agents: { queues: ['Nope'] }, customers: { chat: { per_second: 1 } } });
    await expect(
      simulate(scenario, { baseUrl: h.url ?? '', admin: { username: 'admin', password: DEMO_PASSWORD } }),
    ).rejects.toThrow(/no queue named "Nope"/);
  });
});
