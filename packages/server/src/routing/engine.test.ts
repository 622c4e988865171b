import type { ChannelType } from '@parley/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoutingEngine } from './engine.ts';
import type { AgentSpec, Decision, QueueSpec, RoutingEvent, RoutingOptions } from './types.ts';

const CAPACITY: Record<ChannelType, number> = { phone: 1, chat: 3, email: 5, sms: 3, whatsapp: 3 };

function queue(id: string, extra: Partial<QueueSpec> = {}): RoutingEvent {
  return {
    type: 'queue_configured',
    queue: { id, channel: 'phone', priority: 0, offerTimeoutMs: 30_000, skillsBased: false, ...extra },
  };
}

function agent(id: string, memberships: Array<[string, number]>, extra: Partial<AgentSpec> = {}): RoutingEvent {
  return {
    type: 'agent_updated',
    agent: {
      id,
      ready: true,
      connected: true,
      capacity: CAPACITY,
      memberships: memberships.map(([queueId, proficiency]) => ({ queueId, proficiency })),
      ...extra,
    },
  };
}

const arrive = (contactId: string, queueId: string, preferredAgentId?: string): RoutingEvent =>
  preferredAgentId
    ? { type: 'contact_arrived', contactId, queueId, preferredAgentId }
    : { type: 'contact_arrived', contactId, queueId };
const accept = (contactId: string, agentId: string): RoutingEvent => ({ type: 'offer_accepted', contactId, agentId });
const reject = (contactId: string, agentId: string): RoutingEvent => ({ type: 'offer_rejected', contactId, agentId });
const ended = (agentId: string, channel: ChannelType = 'phone'): RoutingEvent => ({
  type: 'interaction_ended',
  agentId,
  channel,
});
const tick: RoutingEvent = { type: 'tick' };

/** Runs events at given times; returns every decision as compact strings. */
function run(steps: Array<[number, RoutingEvent]>, options?: RoutingOptions): { engine: RoutingEngine; log: string[] } {
  const engine = new RoutingEngine(options);
  const log: string[] = [];
  for (const [at, event] of steps) for (const d of engine.handle(event, at)) log.push(format(d));
  return { engine, log };
}

function format(d: Decision): string {
  switch (d.type) {
    case 'offer':
      return `offer ${d.contactId}→${d.agentId}`;
    case 'offer_withdrawn':
      return `withdraw ${d.contactId}→${d.agentId} (${d.reason})`;
    case 'assigned':
      return `assigned ${d.contactId}→${d.agentId}`;
    case 'overflowed':
      return `overflow ${d.contactId} ${d.fromQueueId}→${d.toQueueId}`;
    case 'agent_not_ready':
      return `not_ready ${d.agentId} (${d.reason})`;
  }
}

describe('RoutingEngine', () => {
  it.each<[string, Array<[number, RoutingEvent]>, string[], RoutingOptions?]>([
    [
      'the longest-idle eligible agent gets the contact',
      [
        [0, queue('q')],
        [0, agent('a1', [['q', 3]])],
        [10, agent('a2', [['q', 3]])],
        [20, arrive('c1', 'q')],
      ],
      ['offer c1→a1'],
    ],
    [
      'being offered work sends an agent to the back of the line',
      [
        [0, queue('q', { channel: 'chat' })],
        [0, agent('a1', [['q', 3]])],
        [1, agent('a2', [['q', 3]])],
        [2, arrive('c1', 'q')],
        [3, arrive('c2', 'q')],
        [4, arrive('c3', 'q')],
      ],
      ['offer c1→a1', 'offer c2→a2', 'offer c3→a1'],
    ],
    [
      'an agent who frees up takes the waiting contact of the highest-priority queue, though younger',
      [
        [0, queue('low', { priority: 1 })],
        [0, queue('high', { priority: 5 })],
        [1, arrive('old', 'low')],
        [2, arrive('new', 'high')],
        [
          3,
          agent('a1', [
            ['low', 3],
            ['high', 3],
          ]),
        ],
      ],
      ['offer new→a1'],
    ],
    [
      'within one priority the older contact goes first, across queues',
      [
        [0, queue('q1', { priority: 2 })],
        [0, queue('q2', { priority: 2 })],
        [1, arrive('older', 'q2')],
        [2, arrive('younger', 'q1')],
        [
          3,
          agent('a1', [
            ['q1', 3],
            ['q2', 3],
          ]),
        ],
      ],
      ['offer older→a1'],
    ],
    [
      'skills-based queues take the highest proficiency first, then the longest idle',
      [
        [0, queue('q', { skillsBased: true })],
        [0, agent('novice', [['q', 2]])],
        [1, agent('expert-late', [['q', 5]])],
        [0, agent('expert', [['q', 5]])],
        [2, arrive('c1', 'q')],
      ],
      ['offer c1→expert-late'],
    ],
    [
      'per-channel capacity counts offers: a third chat waits for a two-chat agent',
      [
        [0, queue('chat', { channel: 'chat' })],
        [0, agent('a1', [['chat', 3]], { capacity: { ...CAPACITY, chat: 2 } })],
        [1, arrive('c1', 'chat')],
        [2, arrive('c2', 'chat')],
        [3, arrive('c3', 'chat')],
        [4, accept('c1', 'a1')],
        [5, ended('a1', 'chat')],
      ],
      ['offer c1→a1', 'offer c2→a1', 'assigned c1→a1', 'offer c3→a1'],
    ],
    [
      'a phone call blocks chat offers by default',
      [
        [0, queue('phone')],
        [0, queue('chat', { channel: 'chat' })],
        [
          0,
          agent('a1', [
            ['phone', 3],
            ['chat', 3],
          ]),
        ],
        [1, arrive('call', 'phone')],
        [2, arrive('chat1', 'chat')],
        [3, accept('call', 'a1')],
        [4, ended('a1')],
      ],
      ['offer call→a1', 'assigned call→a1', 'offer chat1→a1'],
    ],
    [
      'and only blocks other phone calls when configured so',
      [
        [0, queue('phone')],
        [0, queue('chat', { channel: 'chat' })],
        [
          0,
          agent('a1', [
            ['phone', 3],
            ['chat', 3],
          ]),
        ],
        [1, arrive('call', 'phone')],
        [2, arrive('chat1', 'chat')],
        [3, arrive('call2', 'phone')],
      ],
      ['offer call→a1', 'offer chat1→a1'],
      { phoneBlocksOtherChannels: false },
    ],
    [
      'agents who are not ready, disconnected or not members are never offered',
      [
        [0, queue('q')],
        [0, queue('other')],
        [0, agent('away', [['q', 3]], { ready: false })],
        [0, agent('gone', [['q', 3]], { connected: false })],
        [0, agent('stranger', [['other', 3]])],
        [1, arrive('c1', 'q')],
        [2, agent('away', [['q', 3]])],
      ],
      ['offer c1→away'],
    ],
    [
      'a rejected contact keeps its place and never returns to that agent',
      [
        [0, queue('q')],
        [0, agent('a1', [['q', 3]])],
        [1, arrive('c1', 'q')],
        [2, arrive('c2', 'q')],
        [3, reject('c1', 'a1')],
        [4, agent('a2', [['q', 3]])],
      ],
      ['offer c1→a1', 'offer c2→a1', 'offer c1→a2'],
    ],
    [
      'an offer that times out (not a millisecond early) is withdrawn and goes to the next agent',
      [
        [0, queue('q', { offerTimeoutMs: 10_000 })],
        [0, agent('a1', [['q', 3]])],
        [1, agent('a2', [['q', 3]])],
        [2, arrive('c1', 'q')],
        [10_001, tick],
        [10_002, tick],
        [10_003, accept('c1', 'a2')],
      ],
      ['offer c1→a1', 'withdraw c1→a1 (timeout)', 'offer c1→a2', 'assigned c1→a2'],
    ],
    [
      'three missed offers in a row make the agent not ready; a rejection breaks the run',
      [
        [0, queue('q', { offerTimeoutMs: 1000 })],
        [0, agent('a1', [['q', 3]])],
        [1, arrive('c1', 'q')],
        [2000, tick],
        [2001, arrive('c2', 'q')],
        [2002, reject('c2', 'a1')],
        [2003, arrive('c3', 'q')],
        [4000, tick],
        [4001, arrive('c4', 'q')],
        [6000, tick],
        [6001, arrive('c5', 'q')],
        [8000, tick],
      ],
      [
        'offer c1→a1',
        'withdraw c1→a1 (timeout)',
        'offer c2→a1',
        'offer c3→a1',
        'withdraw c3→a1 (timeout)',
        'offer c4→a1',
        'withdraw c4→a1 (timeout)',
        'offer c5→a1',
        'withdraw c5→a1 (timeout)',
        'not_ready a1 (missed_offers)',
      ],
    ],
    [
      'a disconnected agent loses its offers at once and they are re-routed',
      [
        [0, queue('q', { channel: 'chat' })],
        [0, agent('a1', [['q', 3]])],
        [1, arrive('c1', 'q')],
        [2, agent('a2', [['q', 3]])],
        [3, { type: 'agent_disconnected', agentId: 'a1' }],
      ],
      ['offer c1→a1', 'withdraw c1→a1 (disconnected)', 'offer c1→a2'],
    ],
    [
      'overflow moves a contact after its time, keeping its age ahead of newer contacts',
      [
        [0, queue('first', { overflow: { queueId: 'backup', afterMs: 60_000 } })],
        [0, queue('backup')],
        [0, arrive('early', 'first')],
        [30_000, arrive('later', 'backup')],
        [60_000, tick],
        [61_000, agent('b1', [['backup', 3]])],
      ],
      ['overflow early first→backup', 'offer early→b1'],
    ],
    [
      'a preferred agent is waited for during the window, then anyone may serve',
      [
        [0, queue('q')],
        [0, agent('other', [['q', 3]])],
        [0, agent('pref', [['q', 3]], { ready: false })],
        [1, arrive('c1', 'q', 'pref')],
        [10_000, tick],
        [20_001, tick],
      ],
      ['offer c1→other'],
    ],
    [
      'the preferred agent gets the contact when ready within the window',
      [
        [0, queue('q')],
        [0, agent('other', [['q', 3]])],
        [0, agent('pref', [['q', 3]], { ready: false })],
        [1, arrive('c1', 'q', 'pref')],
        [5_000, agent('pref', [['q', 3]])],
      ],
      ['offer c1→pref'],
    ],
    [
      'an abandoned contact withdraws its offer and frees the agent for the next one',
      [
        [0, queue('q')],
        [0, agent('a1', [['q', 3]])],
        [1, arrive('c1', 'q')],
        [2, arrive('c2', 'q')],
        [3, { type: 'contact_abandoned', contactId: 'c1' }],
      ],
      ['offer c1→a1', 'withdraw c1→a1 (abandoned)', 'offer c2→a1'],
    ],
    [
      'a transferred contact keeps its age: it is served before younger contacts of its new queue',
      [
        [0, queue('q')],
        [100, arrive('young', 'q')],
        [200, { type: 'contact_arrived', contactId: 'old', queueId: 'q', arrivedAt: 50 }],
        [300, agent('a1', [['q', 3]])],
      ],
      ['offer old→a1'],
    ],
    [
      'a transferred contact keeps a higher priority than its new queue has',
      [
        [0, queue('low', { priority: 0 })],
        [0, queue('high', { priority: 5 })],
        [1, arrive('h1', 'high')],
        [2, { type: 'contact_arrived', contactId: 'vip', queueId: 'low', priority: 9, arrivedAt: 2 }],
        [
          3,
          agent('a1', [
            ['low', 3],
            ['high', 3],
          ]),
        ],
      ],
      ['offer vip→a1'],
    ],
    [
      'a rebuilt contact is never offered to agents it excluded before',
      [
        [0, queue('q')],
        [0, agent('a1', [['q', 3]])],
        [0, agent('a2', [['q', 3]])],
        [1, { type: 'contact_arrived', contactId: 'c1', queueId: 'q', excluded: ['a1'] }],
      ],
      ['offer c1→a2'],
    ],
    [
      'picking a contact offered to someone else withdraws that offer and frees the other agent',
      [
        [0, queue('q')],
        [0, agent('a1', [['q', 3]])],
        [0, agent('a2', [['q', 3]], { ready: false })],
        [1, arrive('c1', 'q')],
        [2, arrive('c2', 'q')],
        [3, { type: 'contact_picked', contactId: 'c1', agentId: 'a2' }],
      ],
      ['offer c1→a1', 'withdraw c1→a1 (picked)', 'assigned c1→a2', 'offer c2→a1'],
    ],
    [
      'picking what one is offered is accepting it',
      [
        [0, queue('q')],
        [0, agent('a1', [['q', 3]])],
        [1, arrive('c1', 'q')],
        [2, { type: 'contact_picked', contactId: 'c1', agentId: 'a1' }],
      ],
      ['offer c1→a1', 'assigned c1→a1'],
    ],
    [
      'an interaction routing did not offer (an outbound call) takes capacity',
      [
        [0, queue('q')],
        [0, agent('a1', [['q', 3]])],
        [1, { type: 'interaction_assigned', agentId: 'a1', channel: 'phone' }],
        [2, arrive('c1', 'q')],
        [3, ended('a1')],
      ],
      ['offer c1→a1'],
    ],
    [
      'an overflow that falls due during an offer happens once the offer is rejected',
      [
        [0, queue('q', { overflow: { queueId: 'q2', afterMs: 10_000 } })],
        [0, queue('q2')],
        [0, agent('a1', [['q', 3]])],
        [0, agent('a2', [['q2', 3]], { ready: false })],
        [1, arrive('c1', 'q')],
        [20_000, tick],
        [20_001, reject('c1', 'a1')],
        [20_002, agent('a2', [['q2', 3]])],
        [20_003, tick],
      ],
      ['offer c1→a1', 'overflow c1 q→q2', 'offer c1→a2'],
    ],
  ])('%s', (_name, steps, expected, options) => {
    expect(run(steps, options).log).toEqual(expected);
  });

  it('keeps waiting contacts in arrival order, offered ones in place', () => {
    const { engine } = run([
      [0, queue('q')],
      [0, agent('a1', [['q', 3]])],
      [1, arrive('c1', 'q')],
      [2, arrive('c2', 'q')],
      [3, arrive('c3', 'q')],
    ]);
    expect(engine.waiting('q').map((c) => `${c.contactId}:${c.offeredTo ?? '-'}`)).toEqual(['c1:a1', 'c2:-', 'c3:-']);
    expect(engine.loadOf('a1').phone).toBe(1);
  });

  it('tells the edge when the next tick is due', () => {
    const { engine } = run([
      [0, queue('q', { offerTimeoutMs: 30_000, overflow: { queueId: 'q2', afterMs: 45_000 } })],
      [0, queue('q2')],
      [0, agent('a1', [['q', 3]])],
      [100, arrive('c1', 'q')],
      [200, arrive('c2', 'q')],
    ]);
    expect(engine.nextDeadline()).toBe(30_100);
    engine.handle(accept('c1', 'a1'), 1_000);
    // c1's offer is gone; c2 overflows 45 s after it arrived.
    expect(engine.nextDeadline()).toBe(45_200);
    expect(new RoutingEngine().nextDeadline()).toBeNull();
  });

  it('agrees with a full scan of every contact on when the next tick is due (random traffic)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('arrive', 'accept', 'reject', 'tick', 'ready', 'abandon', 'end'),
            fc.nat(5),
            fc.nat(3),
          ),
          { maxLength: 60 },
        ),
        (steps) => {
          // Re-offer deadlines are checked by the table tests; this model counts offers, overflows and windows.
          const engine = new RoutingEngine({ preferredWindowMs: 5_000, reofferAfterMs: 0 });
          engine.handle(queue('q', { offerTimeoutMs: 7_000, overflow: { queueId: 'q2', afterMs: 11_000 } }), 0);
          engine.handle(queue('q2', { offerTimeoutMs: 9_000 }), 0);
          for (const id of ['a0', 'a1', 'a2', 'a3'])
            engine.handle(
              agent(
                id,
                [
                  ['q', 3],
                  ['q2', 2],
                ],
                { capacity: { ...CAPACITY, phone: 1 } },
              ),
              0,
            );
          let now = 0;
          let next = 0;
          let lastTick = -1;
          const offers = new Map<string, string>();
          /** When each contact last stopped being offered (a release serves it at once if its window is over). */
          const released = new Map<string, number>();
          const offersOf = (agentId: string) => [...offers.values()].filter((to) => to === agentId).length;
          for (const [kind, n, a] of steps) {
            now += 1_000 * (n + 1);
            const agentId = `a${a}`;
            const decisions = (() => {
              switch (kind) {
                case 'arrive':
                  return engine.handle(arrive(`c${next++}`, n % 2 ? 'q' : 'q2', n === 5 ? agentId : undefined), now);
                case 'tick':
                  lastTick = now;
                  return engine.handle(tick, now);
                case 'end':
                  return engine.loadOf(agentId).phone > offersOf(agentId) ? engine.handle(ended(agentId), now) : [];
                case 'ready':
                  return engine.handle(
                    agent(
                      agentId,
                      [
                        ['q', 3],
                        ['q2', 2],
                      ],
                      { ready: n % 2 === 0 },
                    ),
                    now,
                  );
                default: {
                  const contactId = [...offers].find(([, to]) => to === agentId)?.[0];
                  if (!contactId) return [];
                  // The contact is no longer offered to this agent, whatever it answers.
                  offers.delete(contactId);
                  released.set(contactId, now);
                  if (kind === 'abandon') return engine.handle({ type: 'contact_abandoned', contactId }, now);
                  return engine.handle(
                    kind === 'accept' ? accept(contactId, agentId) : reject(contactId, agentId),
                    now,
                  );
                }
              }
            })();
            for (const d of decisions) {
              if (d.type === 'offer') offers.set(d.contactId, d.agentId);
              if (d.type === 'offer_withdrawn' || d.type === 'assigned') offers.delete(d.contactId);
              if (d.type === 'offer_withdrawn') released.set(d.contactId, now);
            }
            // The earliest moment anything could change, found by looking at everything.
            let expected: number | null = null;
            for (const q of ['q', 'q2']) {
              for (const c of engine.waiting(q)) {
                const times: number[] = [];
                if (c.offeredTo) times.push(c.offerExpiresAt!);
                else if (q === 'q') times.push(c.enqueuedAt + 11_000);
                // A preferred window that a tick has seen close is over; one not yet seen is due. One that
                // closed while the contact was offered is over too: its release served it at once.
                if (
                  !c.offeredTo &&
                  c.preferredAgentId &&
                  c.preferredUntil > lastTick &&
                  c.preferredUntil > (released.get(c.contactId) ?? -1)
                )
                  times.push(c.preferredUntil);
                for (const t of times) if (expected === null || t < expected) expected = t;
              }
            }
            expect(engine.nextDeadline()).toBe(expected);
          }
        },
      ),
      { numRuns: Number(process.env.PROP_RUNS ?? 500) },
    );
  });

  it('serves a contact at once when its offer ends after its preferred window closed (found by the property above)', () => {
    const engine = new RoutingEngine({ preferredWindowMs: 5_000, reofferAfterMs: 0 });
    engine.handle(queue('q', { offerTimeoutMs: 7_000 }), 0);
    for (const id of ['a0', 'a1']) engine.handle(agent(id, [['q', 3]], { capacity: { ...CAPACITY, phone: 1 } }), 0);
    // c1 prefers a1 and is offered to it; the window closes while a1 is still deciding.
    expect(engine.handle(arrive('c1', 'q', 'a1'), 1_000)).toEqual([
      expect.objectContaining({ type: 'offer', agentId: 'a1' }),
    ]);
    // a1 rejects after the window: a0 gets it at once, no tick needed.
    expect(engine.handle(reject('c1', 'a1'), 7_000)).toEqual([
      expect.objectContaining({ type: 'offer', agentId: 'a0' }),
    ]);
  });

  it('forgets a preferred window that closed the moment its offer ended: no stale deadline (found by the property above)', () => {
    const engine = new RoutingEngine({ preferredWindowMs: 5_000, reofferAfterMs: 0 });
    engine.handle(queue('q', { offerTimeoutMs: 7_000 }), 0);
    engine.handle(agent('a1', [['q', 3]], { capacity: { ...CAPACITY, phone: 1 } }), 0);
    engine.handle(arrive('c1', 'q', 'a1'), 1_000);
    // a1 rejects just as the window closes (1 s + 5 s); nobody else can take it.
    expect(engine.handle(reject('c1', 'a1'), 6_000)).toEqual([]);
    // c1 now waits as anyone's: its window's deadline does not come due again.
    expect(engine.waiting('q')).toEqual([expect.objectContaining({ contactId: 'c1', offeredTo: null })]);
    expect(engine.nextDeadline()).toBeNull();
  });

  it('gives a contact back to an agent who let it go once the others had their chance, after the re-offer time', () => {
    const { log } = run(
      [
        [0, queue('q', { offerTimeoutMs: 10_000 })],
        [0, agent('a1', [['q', 3]])],
        [0, agent('a2', [['q', 3]])],
        [0, arrive('c1', 'q')],
        [1_000, reject('c1', 'a1')],
        // a2 lets it ring out; nobody else serves q.
        [11_000, tick],
        // Ready and idle, a1 still does not get it back before 30 s after its reject…
        [30_999, tick],
        // …and then does; a2 (timed out at 11 s) is next in line, at 41 s.
        [31_000, tick],
        [41_000, reject('c1', 'a1')],
        [41_000, tick],
      ],
      { maxMissedOffers: 0 },
    );
    expect(log).toEqual(['offer c1→a1', 'offer c1→a2', 'withdraw c1→a2 (timeout)', 'offer c1→a1', 'offer c1→a2']);
  });

  it('never gives a contact back to an agent who let it go when re-offering is off', () => {
    const { engine, log } = run(
      [
        [0, queue('q', { offerTimeoutMs: 10_000 })],
        [0, agent('a1', [['q', 3]])],
        [0, arrive('c1', 'q')],
        [10_000, tick],
        [3_600_000, tick],
      ],
      { reofferAfterMs: 0, maxMissedOffers: 0 },
    );
    expect(log).toEqual(['offer c1→a1', 'withdraw c1→a1 (timeout)']);
    expect(engine.nextDeadline()).toBeNull();
  });

  it.each<[string, RoutingEvent[], string, string]>([
    ['an unknown queue', [arrive('c1', 'nope')], 'not_found', 'no queue nope'],
    [
      'a contact routed twice',
      [queue('q'), arrive('c1', 'q'), arrive('c1', 'q')],
      'invalid_state',
      'contact c1 is already routed',
    ],
    [
      'an accept by another agent',
      [queue('q'), agent('a1', [['q', 3]]), agent('a2', []), arrive('c1', 'q'), accept('c1', 'a2')],
      'invalid_state',
      'contact c1 is not offered to agent a2',
    ],
    ['an unknown agent', [ended('ghost')], 'not_found', 'no agent ghost'],
  ])('refuses %s with a coded error', (_name, events, code, message) => {
    const engine = new RoutingEngine();
    const last = events.pop()!;
    for (const e of events) engine.handle(e, 0);
    expect(() => engine.handle(last, 1)).toThrow(expect.objectContaining({ code, message }));
  });
});

describe('RoutingEngine reconfiguration', () => {
  it('moves agents into the right pools when a queue becomes skills-based', () => {
    const { engine, log } = run([
      [0, queue('q')],
      [0, agent('novice', [['q', 1]])],
      [1, agent('expert', [['q', 5]])],
      [2, queue('q', { skillsBased: true })],
      [3, arrive('c1', 'q')],
    ]);
    expect(log).toEqual(['offer c1→expert']);
    expect(engine.waiting('q')).toHaveLength(1);
  });
});
