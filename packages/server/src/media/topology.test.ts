import { describe, expect, it } from 'vitest';
import { customerFollows, rowEnded, type TopologyLine, type TopologyStep, type TopologyView } from './topology.ts';

const row = (id: string, patch: Partial<TopologyLine> = {}): TopologyLine => ({
  id,
  state: 'accepted',
  direction: 'inbound',
  transferred_from: null,
  consultation_of: null,
  conference: false,
  local_address: '+15550100',
  ...patch,
});

const view = (
  remote: Record<string, string>,
  lines: TopologyLine[],
  joining: Record<string, string> = {},
): TopologyView<string> => ({
  remote: new Map(Object.entries(remote)),
  joining: new Map(Object.entries(joining)),
  lines: new Map(lines.map((l) => [l.id, l])),
});

describe('who the customer follows', () => {
  it.each<[string, TopologyView<string>, string, TopologyLine, TopologyStep<string>[]]>([
    [
      'a transfer’s new row',
      view({ a: 'C' }, []),
      'created',
      row('b', { transferred_from: 'a' }),
      [{ op: 'follow', id: 'b', call: 'C' }],
    ],
    [
      'a row that has its own far party already',
      view({ a: 'C', b: 'D' }, []),
      'created',
      row('b', { transferred_from: 'a' }),
      [],
    ],
    [
      'the consulted agent on join',
      view({ a: 'C' }, []),
      'joined',
      row('p', { consultation_of: 'a' }),
      [{ op: 'follow', id: 'p', call: 'C' }],
    ],
    [
      'nobody on an outbound consultation leg joining',
      view({ a: 'C' }, []),
      'joined',
      row('l', { consultation_of: 'a', direction: 'outbound' }),
      [],
    ],
    ['nobody for a fresh contact', view({}, []), 'created', row('a'), []],
  ])('%s', (_, v, event, line, steps) => {
    expect(customerFollows(v, event, line)).toEqual(steps);
  });
});

describe('what becomes of the far party when a live row ends', () => {
  const ended = (id: string, patch: Partial<TopologyLine> = {}) => row(id, { state: 'ended', ...patch });
  it.each<
    [
      string,
      TopologyView<string>,
      TopologyLine,
      string,
      { kind?: string; address?: string } | undefined,
      TopologyStep<string>[],
    ]
  >([
    ['a row without one: nothing', view({}, []), ended('a'), 'ended', undefined, []],
    [
      'transferred to a number: put through',
      view({ a: 'C' }, []),
      ended('a'),
      'transferred',
      { kind: 'number', address: '+15550199' },
      [
        { op: 'forget', id: 'a' },
        { op: 'put_through', call: 'C', to: '+15550199', from: '+15550100' },
      ],
    ],
    [
      'a consulted number joins: kept for the original',
      view({ l: 'N' }, []),
      ended('l', { consultation_of: 'a', direction: 'outbound' }),
      'joined',
      undefined,
      [
        { op: 'forget', id: 'l' },
        { op: 'await_join', original: 'a', call: 'N' },
      ],
    ],
    [
      'the original ends after that: bridged',
      view({ a: 'C' }, [], { a: 'N' }),
      ended('a'),
      'joined',
      undefined,
      [
        { op: 'forget', id: 'a' },
        { op: 'bridge', a: 'C', b: 'N', joined: 'a' },
      ],
    ],
    [
      'a conference party leaves: the customer goes to the other party',
      view({ a: 'C' }, [row('p', { conference: true, consultation_of: 'a' })]),
      ended('a', { conference: true }),
      'ended',
      undefined,
      [
        { op: 'forget', id: 'a' },
        { op: 'follow', id: 'p', call: 'C' },
      ],
    ],
    [
      'another live row still has the call: it stays',
      view({ a: 'C', b: 'C' }, [row('b')]),
      ended('a'),
      'ended',
      undefined,
      [{ op: 'forget', id: 'a' }],
    ],
    [
      'otherwise: hung up',
      view({ a: 'C' }, []),
      ended('a'),
      'ended',
      undefined,
      [
        { op: 'forget', id: 'a' },
        { op: 'hang_up', call: 'C' },
      ],
    ],
  ])('%s', (_, v, line, cause, target, steps) => {
    expect(rowEnded(v, line, cause, target)).toEqual(steps);
  });
});
