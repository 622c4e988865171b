import type { AgentRow, QueueBoard, QueueDayStats } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  byChannel,
  clock,
  DEFAULT_VIEW,
  EMPTY,
  gridRows,
  reduce,
  serviceLevelLevel,
  sortBy,
  staffingLevel,
  total,
  waitLevel,
} from './model.ts';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

const day = (over: Partial<QueueDayStats> = {}): QueueDayStats => ({
  offered: 0,
  answered: 0,
  answered_in_sl: 0,
  abandoned: 0,
  overflowed: 0,
  handled: 0,
  wait_ms_total: 0,
  abandon_wait_ms_total: 0,
  handle_ms_total: 0,
  service_level: null,
  asa_s: null,
  aht_s: null,
  avg_abandon_s: null,
  ...over,
});
const queue = (over: Partial<QueueBoard> = {}): QueueBoard => ({
  queue_id: 'q',
  name: 'Q',
  channel: 'phone',
  sl_threshold_s: 20,
  waiting: 0,
  oldest_waiting_since: null,
  today: day(),
  agents: { ready: 0, busy: 0, wrap_up: 0, not_ready: 0, offline: 0 },
  ...over,
});
const agent = (over: Partial<AgentRow>): AgentRow => ({
  id: 'a',
  username: 'a',
  display_name: 'A',
  work_status: 'ready',
  presence: null,
  reason: null,
  state_since: ago(10),
  changed_by: null,
  connected: true,
  team_ids: [],
  queue_ids: [],
  interactions: [],
  answered_today: 0,
  handled_today: 0,
  handle_ms_today: 0,
  ...over,
});

describe('the live state', () => {
  it('takes snapshots whole and replaces one agent row in place', () => {
    let s = reduce(
      EMPTY,
      {
        seq: 1,
        type: 'hello',
        data: {
          user: { id: 's', display_name: 'S', role: 'supervisor' },
          server_time: new Date(NOW + 2000).toISOString(),
          day_start: ago(3600),
          teams: [],
          reasons: [],
        },
      },
      NOW,
    );
    expect(s.clockSkewMs).toBe(2000);
    s = reduce(s, { seq: 2, type: 'agents', data: { agents: [agent({ id: '1' }), agent({ id: '2' })] } }, NOW);
    s = reduce(s, { seq: 3, type: 'agent', data: { agent: agent({ id: '2', work_status: 'busy' }) } }, NOW);
    s = reduce(s, { seq: 4, type: 'agent', data: { agent: agent({ id: '3' }) } }, NOW);
    expect(s.agents.map((a) => `${a.id}:${a.work_status}`)).toEqual(['1:ready', '2:busy', '3:ready']);
  });
});

describe('threshold colours', () => {
  it.each([
    [null, 'none'],
    [0.95, 'ok'],
    [0.8, 'ok'],
    [0.7, 'warn'],
    [0.3, 'bad'],
  ] as const)('service level %s is %s', (sl, level) => expect(serviceLevelLevel(sl)).toBe(level));

  it.each([
    [null, 'none'],
    [10, 'ok'],
    [30, 'warn'],
    [50, 'bad'],
  ] as const)('a wait of %s s against 20 s is %s', (s, level) =>
    expect(waitLevel(s === null ? null : ago(s), 20, NOW)).toBe(level),
  );

  it('flags contacts waiting with nobody ready', () => {
    expect(staffingLevel(queue({ waiting: 0 }))).toBe('none');
    expect(
      staffingLevel(queue({ waiting: 2, agents: { ready: 1, busy: 0, wrap_up: 0, not_ready: 0, offline: 0 } })),
    ).toBe('ok');
    expect(
      staffingLevel(queue({ waiting: 2, agents: { ready: 0, busy: 2, wrap_up: 0, not_ready: 0, offline: 0 } })),
    ).toBe('warn');
    expect(staffingLevel(queue({ waiting: 2 }))).toBe('bad');
  });
});

describe('totals over queues', () => {
  it('adds sums and computes the ratios from them, not an average of averages', () => {
    const a = queue({
      waiting: 1,
      today: day({ answered: 1, answered_in_sl: 1, wait_ms_total: 10_000, handled: 1, handle_ms_total: 100_000 }),
    });
    const b = queue({
      waiting: 2,
      channel: 'chat',
      today: day({ answered: 3, answered_in_sl: 1, abandoned: 1, wait_ms_total: 90_000 }),
    });
    const sum = total([a, b]);
    expect(sum.waiting).toBe(3);
    // 2 of 5 decided within threshold; 100 s of waits over 4 answers.
    expect(sum.today).toMatchObject({ answered: 4, service_level: 0.4, asa_s: 25, aht_s: 100 });
    expect(byChannel([b, a, queue({ channel: 'email' })]).map((g) => g.channel)).toEqual(['phone', 'chat', 'email']);
  });
});

describe('the agent grid', () => {
  const rows = [
    agent({ id: '1', display_name: 'Ada', work_status: 'not_ready', state_since: ago(300), team_ids: ['t1'] }),
    agent({
      id: '2',
      display_name: 'Ben',
      work_status: 'busy',
      state_since: ago(60),
      handled_today: 4,
      queue_ids: ['q1'],
    }),
    agent({ id: '3', display_name: 'Cleo', work_status: 'offline', state_since: null, team_ids: ['t1'] }),
    agent({ id: '4', display_name: 'Dev', work_status: 'ready', state_since: ago(5), username: 'dev.ops' }),
  ];
  const names = (view = DEFAULT_VIEW) => gridRows(rows, view, NOW).map((a) => a.display_name);

  it('orders by state by default (busy first, offline last), and by any column both ways', () => {
    expect(names()).toEqual(['Ben', 'Dev', 'Ada', 'Cleo']);
    const byTime = sortBy(DEFAULT_VIEW, 'time');
    expect(names(byTime)).toEqual(['Cleo', 'Dev', 'Ben', 'Ada']);
    expect(names(sortBy(byTime, 'time'))).toEqual(['Ada', 'Ben', 'Dev', 'Cleo']);
    expect(names(sortBy(DEFAULT_VIEW, 'handled')).at(-1)).toBe('Ben');
  });

  it('filters by team, queue, name or username, and hides offline agents', () => {
    expect(names({ ...DEFAULT_VIEW, team: 't1' })).toEqual(['Ada', 'Cleo']);
    expect(names({ ...DEFAULT_VIEW, queue: 'q1' })).toEqual(['Ben']);
    expect(names({ ...DEFAULT_VIEW, search: 'OPS' })).toEqual(['Dev']);
    expect(names({ ...DEFAULT_VIEW, onlineOnly: true })).toEqual(['Ben', 'Dev', 'Ada']);
  });

  it('shows durations as clocks', () => {
    expect([clock(5_000), clock(65_000), clock(3_725_000), clock(-10)]).toEqual(['0:05', '1:05', '1:02:05', '0:00']);
  });
});
