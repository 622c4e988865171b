import { describe, expect, it } from 'vitest';
import { milestonesOf, type ContactView, type EventView } from './milestones.ts';
import { DayBoard, dayStartIn, dayStats } from './wallboard.ts';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const contact = (over: Partial<ContactView> = {}): ContactView => ({
  queueId: 'q1',
  channel: 'phone',
  direction: 'inbound',
  consultation: false,
  agentId: 'a1',
  createdAt: T0,
  acceptedAt: null,
  ...over,
});
const ev = (type: string, at: number, detail: Record<string, unknown> | null = null): EventView => ({
  type,
  detail,
  at,
});

describe('what an event means for the numbers', () => {
  it.each([
    ['created', ev('created', s(0)), contact(), [{ kind: 'offered', queueId: 'q1' }]],
    ['accepted after 12 s', ev('accepted', s(12)), contact(), [{ kind: 'answered', waitMs: 12_000, agentId: 'a1' }]],
    ['picked from the list', ev('picked', s(3)), contact(), [{ kind: 'answered', waitMs: 3000 }]],
    [
      'missed: abandoned',
      ev('missed', s(40), { cause: 'abandoned' }),
      contact(),
      [{ kind: 'abandoned', waitMs: 40_000 }],
    ],
    ['missed otherwise (no agent answered a transfer)', ev('missed', s(40), { cause: 'hangup' }), contact(), []],
    [
      'handled after wrap-up',
      ev('handled', s(300)),
      contact({ acceptedAt: s(20) }),
      [{ kind: 'handled', handleMs: 280_000, agentId: 'a1' }],
    ],
    ['handled but never answered', ev('handled', s(300)), contact(), []],
    [
      'an overflow: out of one queue, offered to the next',
      ev('overflowed', s(60), { from_queue_id: 'q0' }),
      contact(),
      [
        { kind: 'overflowed', queueId: 'q0' },
        { kind: 'offered', queueId: 'q1' },
      ],
    ],
    ['an outbound call', ev('created', s(0)), contact({ direction: 'outbound' }), []],
    ["a consultation's leg", ev('accepted', s(5)), contact({ consultation: true }), []],
    ['a contact in no queue', ev('created', s(0)), contact({ queueId: null }), []],
    ['an event that counts nothing', ev('held', s(30)), contact(), []],
  ])('%s', (_, e, c, expected) => {
    const got = milestonesOf(e, c);
    expect(got).toHaveLength(expected.length);
    expected.forEach((m, i) => expect(got[i]).toMatchObject(m));
  });
});

describe("a queue's day", () => {
  it('counts a hand-computed morning: SL, ASA, AHT, abandons', () => {
    const board = new DayBoard(T0 - 3600_000, () => 20_000);
    const feed = (events: EventView[], c: ContactView) => {
      for (const e of events) for (const m of milestonesOf(e, c)) board.add(m);
    };
    // 1: answered after 10 s (in SL), handled 200 s after the answer.
    feed([ev('created', s(0)), ev('accepted', s(10))], contact());
    feed([ev('handled', s(210))], contact({ acceptedAt: s(10) }));
    // 2: answered after 30 s (out of SL), handled 100 s later.
    feed([ev('created', s(0)), ev('accepted', s(30))], contact({ agentId: 'a2' }));
    feed([ev('handled', s(130))], contact({ agentId: 'a2', acceptedAt: s(30) }));
    // 3: abandoned after 45 s. 4: still waiting.
    feed([ev('created', s(0)), ev('missed', s(45), { cause: 'abandoned' })], contact());
    feed([ev('created', s(0))], contact());
    // Yesterday's does not count.
    feed([ev('created', T0 - 7200_000)], contact());

    const stats = dayStats(board.queue('q1'));
    expect(stats).toMatchObject({
      offered: 4,
      answered: 2,
      answered_in_sl: 1,
      abandoned: 1,
      handled: 2,
      // 1 of 3 decided (2 answered + 1 abandoned) within 20 s.
      service_level: 0.333,
      asa_s: 20,
      aht_s: 150,
      avg_abandon_s: 45,
    });
    expect(board.agent('a1')).toEqual({ answered: 1, handled: 1, handleMs: 200_000 });
    expect(board.agent('a2')).toEqual({ answered: 1, handled: 1, handleMs: 100_000 });
    expect(dayStats(board.queue('nobody'))).toMatchObject({ offered: 0, service_level: null, asa_s: null });
  });
});

describe('the start of a day', () => {
  it.each([
    ['UTC', Date.UTC(2026, 11, 3, 15, 30), 'UTC', Date.UTC(2026, 11, 3)],
    ['Berlin in winter (UTC+1)', Date.UTC(2026, 11, 3, 15, 30), 'Europe/Berlin', Date.UTC(2026, 11, 2, 23)],
    ['Berlin just after local midnight', Date.UTC(2026, 11, 3, 23, 30), 'Europe/Berlin', Date.UTC(2026, 11, 3, 23)],
    ['Berlin in summer (UTC+2)', Date.UTC(2026, 6, 1, 12), 'Europe/Berlin', Date.UTC(2026, 5, 30, 22)],
    ['New York (UTC-5)', Date.UTC(2026, 11, 3, 3), 'America/New_York', Date.UTC(2026, 11, 2, 5)],
    ['an unknown zone is UTC', Date.UTC(2026, 11, 3, 15), 'Mars/Olympus', Date.UTC(2026, 11, 3)],
    ['no zone is UTC', Date.UTC(2026, 11, 3, 15), null, Date.UTC(2026, 11, 3)],
  ])('%s', (_, now, zone, start) => {
    expect(new Date(dayStartIn(now, zone)).toISOString()).toBe(new Date(start).toISOString());
  });
});
