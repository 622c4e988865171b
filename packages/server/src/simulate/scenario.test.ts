import { describe, expect, it } from 'vitest';
import { draw, nextArrival, parseScenario, ScenarioError } from './scenario.ts';

const base = { agents: { queues: ['Web Chat'] }, customers: { chat: { per_second: 1 } } };

describe('scenarios', () => {
  it('fills defaults and keeps what is given', () => {
    const s = parseScenario({ ...base, duration_s: 5, agents: { queues: ['Web Chat'], count: 3 } });
    expect(s).toMatchObject({ durationSeconds: 5, agents: { count: 3, wrapupCode: 'resolved', replies: [1, 3] } });
    expect(s.customers.chat).toEqual({ perSecond: 1, messages: [1, 3], thinkSeconds: [1, 3], patienceSeconds: 120 });
    expect(s.agents).toMatchObject({ holdRatio: 0, transferRatio: 0, holdSeconds: [2, 5] });
  });

  it('reads calls and what the bots do with them', () => {
    const s = parseScenario({
      agents: { queues: ['Sales'], hold_ratio: 0.5, hold_s: [1, 2], transfer_ratio: 0.2 },
      customers: { call: { per_second: 0.5, talk_s: [3, 9], patience_s: 30 } },
    });
    expect(s.customers.call).toEqual({ perSecond: 0.5, talkSeconds: [3, 9], patienceSeconds: 30 });
    expect(s.agents).toMatchObject({ holdRatio: 0.5, holdSeconds: [1, 2], transferRatio: 0.2 });
  });

  it('names the field to fix', () => {
    const bad = (input: unknown, field: string) => {
      expect(() => parseScenario(input)).toThrow(ScenarioError);
      expect(() => parseScenario(input)).toThrow(field);
    };
    bad([], 'scenario');
    bad({ customers: base.customers }, 'agents.queues');
    bad({ ...base, customers: {} }, 'customers');
    bad({ ...base, customers: { phone: { per_second: 1 } } }, 'customers.phone');
    bad({ ...base, customers: { chat: {} } }, 'customers.chat.per_second');
    bad({ ...base, customers: { chat: { per_second: 1, think_s: [3, 1] } } }, 'customers.chat.think_s');
    bad({ ...base, duration_s: -1 }, 'scenario.duration_s');
    bad({ ...base, customers: { call: { per_second: 1, talk_s: [9, 3] } } }, 'customers.call.talk_s');
    bad({ ...base, agents: { queues: ['Sales'], hold_ratio: 2 } }, 'agents.hold_ratio');
    bad({ ...base, agents: { queues: ['Sales'], transfer_ratio: -0.1 } }, 'agents.transfer_ratio');
  });

  it('draws from ranges and spaces arrivals like a Poisson process', () => {
    expect(draw([2, 4], () => 0.5)).toBe(3);
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const gaps = Array.from({ length: 20_000 }, () => nextArrival(4, random));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(0.24);
    expect(mean).toBeLessThan(0.26);
  });
});
