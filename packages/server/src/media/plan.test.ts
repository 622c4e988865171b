import { describe, expect, it } from 'vitest';
import { planAudio, type CallLine, type Plan } from './plan.ts';

const line = (over: Partial<CallLine> & { id: string }): CallLine => ({
  agentId: 'a',
  state: 'accepted',
  held: false,
  muted: false,
  conference: false,
  consultationOf: null,
  peerId: null,
  remoteLeg: null,
  ...over,
});

const stations = new Map([
  ['a', 'SA'],
  ['b', 'SB'],
]);

function heard(plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [leg, h] of [...plan].sort(([x], [y]) => x.localeCompare(y)))
    out[leg] = [...[...h.sources].sort(), ...(h.music ? ['♪'] : [])].join(',') || '—';
  return out;
}

describe('planAudio', () => {
  it('a call: agent and customer hear each other', () => {
    const plan = planAudio({ lines: [line({ id: '1', remoteLeg: 'C' })], stations, customerLegs: ['C'], bridges: [] });
    expect(heard(plan)).toEqual({ C: 'SA', SA: 'C' });
  });

  it('waiting and ringing customers hear music; nobody else is placed', () => {
    const plan = planAudio({
      lines: [line({ id: '1', state: 'alerting', remoteLeg: 'C' })],
      stations,
      customerLegs: ['C'],
      bridges: [],
    });
    expect(heard(plan)).toEqual({ C: '♪' });
  });

  it('hold: the customer hears music, the agent nothing', () => {
    for (const l of [line({ id: '1', state: 'held', held: true, remoteLeg: 'C' })]) {
      expect(heard(planAudio({ lines: [l], stations, customerLegs: ['C'], bridges: [] }))).toEqual({ C: '♪', SA: '—' });
    }
  });

  it('mute: the customer stops hearing the agent, the agent still hears them', () => {
    const plan = planAudio({
      lines: [line({ id: '1', muted: true, remoteLeg: 'C' })],
      stations,
      customerLegs: ['C'],
      bridges: [],
    });
    expect(heard(plan)).toEqual({ C: '—', SA: 'C' });
  });

  it("the agent's panel away: the customer hears music until it is back", () => {
    const plan = planAudio({
      lines: [line({ id: '1', remoteLeg: 'C' })],
      stations: new Map(),
      customerLegs: ['C'],
      bridges: [],
    });
    expect(heard(plan)).toEqual({ C: '♪' });
  });

  it('consult an agent: the customer holds with music while the agents talk; a mute holds either way', () => {
    const lines = [
      line({ id: '1', state: 'held', held: true, remoteLeg: 'C' }),
      line({ id: '2', direction: 'outbound', consultationOf: '1', peerId: '3' } as Partial<CallLine> & { id: string }),
      line({ id: '3', agentId: 'b', consultationOf: '1', peerId: '2' }),
    ];
    expect(heard(planAudio({ lines, stations, customerLegs: ['C'], bridges: [] }))).toEqual({
      C: '♪',
      SA: 'SB',
      SB: 'SA',
    });
    const muted = lines.map((l) => (l.id === '2' ? { ...l, muted: true } : l));
    expect(heard(planAudio({ lines: muted, stations, customerLegs: ['C'], bridges: [] }))).toEqual({
      C: '♪',
      SA: 'SB',
      SB: '—',
    });
    const ringing = lines.map((l) => (l.id === '3' ? { ...l, state: 'alerting' } : l));
    expect(heard(planAudio({ lines: ringing, stations, customerLegs: ['C'], bridges: [] }))).toEqual({
      C: '♪',
      SA: '—',
    });
  });

  it('conference: everyone hears everyone else, a muted agent is heard by nobody', () => {
    const lines = [
      line({ id: '1', conference: true, remoteLeg: 'C' }),
      line({ id: '3', agentId: 'b', conference: true, consultationOf: '1' }),
    ];
    expect(heard(planAudio({ lines, stations, customerLegs: ['C'], bridges: [] }))).toEqual({
      C: 'SA,SB',
      SA: 'C,SB',
      SB: 'C,SA',
    });
    const muted = lines.map((l) => (l.id === '3' ? { ...l, muted: true } : l));
    expect(heard(planAudio({ lines: muted, stations, customerLegs: ['C'], bridges: [] }))).toEqual({
      C: 'SA',
      SA: 'C',
      SB: 'C,SA',
    });
  });

  it('a conference with an outside number, and a bridge after a join', () => {
    const lines = [
      line({ id: '1', conference: true, remoteLeg: 'C' }),
      line({ id: '2', conference: true, consultationOf: '1', remoteLeg: 'N' }),
    ];
    expect(heard(planAudio({ lines, stations, customerLegs: ['C', 'N'], bridges: [] }))).toEqual({
      C: 'N,SA',
      N: 'C,SA',
      SA: 'C,N',
    });
    expect(heard(planAudio({ lines: [], stations, customerLegs: ['C', 'N'], bridges: [['C', 'N']] }))).toEqual({
      C: 'N',
      N: 'C',
    });
  });
});

describe('supervisors on a call', () => {
  const sup = new Map([...stations, ['s', 'SS']]);
  const call = (mode: 'monitor' | 'whisper' | 'barge', over: Partial<CallLine> = {}) =>
    heard(
      planAudio({
        lines: [line({ id: '1', remoteLeg: 'C', monitors: [{ supervisor: 's', mode }], ...over })],
        stations: sup,
        customerLegs: ['C'],
        bridges: [],
      }),
    );

  it.each([
    // mode, what it changes, who hears whom: customer, agent, supervisor
    ['monitor', {}, { C: 'SA', SA: 'C', SS: 'C,SA' }],
    ['whisper', {}, { C: 'SA', SA: 'C,SS', SS: 'C,SA' }],
    ['barge', {}, { C: 'SA,SS', SA: 'C,SS', SS: 'C,SA' }],
    // The agent muted: the customer hears nobody's voice but a barging supervisor's; the supervisor hears what the agent hears.
    ['monitor', { muted: true }, { C: '—', SA: 'C', SS: 'C' }],
    ['barge', { muted: true }, { C: 'SS', SA: 'C,SS', SS: 'C' }],
    // On hold: the customer hears music, whatever the supervisor does; the agent and the supervisor can talk.
    ['monitor', { state: 'held', held: true }, { C: '♪', SA: '—', SS: 'SA' }],
    ['whisper', { state: 'held', held: true }, { C: '♪', SA: 'SS', SS: 'SA' }],
    ['barge', { state: 'held', held: true }, { C: '♪', SA: 'SS', SS: 'SA' }],
  ] as const)('%s %o', (mode, over, expected) => {
    expect(call(mode, over)).toEqual(expected);
  });

  it('hears nothing of a call that is not connected yet, and ignores a supervisor with no station', () => {
    expect(call('barge', { state: 'alerting' })).toEqual({ C: '♪' });
    const plan = planAudio({
      lines: [line({ id: '1', remoteLeg: 'C', monitors: [{ supervisor: 'nobody', mode: 'barge' }] })],
      stations: sup,
      customerLegs: ['C'],
      bridges: [],
    });
    expect(heard(plan)).toEqual({ C: 'SA', SA: 'C' });
  });

  it('in a conference hears every party; a whisper reaches only the agent whose call it is', () => {
    const lines = [
      line({ id: '1', conference: true, remoteLeg: 'C', monitors: [{ supervisor: 's', mode: 'whisper' }] }),
      line({ id: '2', agentId: 'b', conference: true, consultationOf: '1', peerId: null }),
    ];
    expect(heard(planAudio({ lines, stations: sup, customerLegs: ['C'], bridges: [] }))).toEqual({
      C: 'SA,SB',
      SA: 'C,SB,SS',
      SB: 'C,SA',
      SS: 'C,SA,SB',
    });
  });
});
