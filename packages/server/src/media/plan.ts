/**
 * Who hears whom — the pure core of the media plane. Given the calls as the
 * interaction state machine left them, the agents' media legs and the
 * customers' legs, it says for each leg what it must hear: other legs
 * (relayed as they are when there is one, mixed when there are more), hold
 * music, or silence. No I/O, no clocks: the mixer applies the result.
 */

import type { Interaction } from '@parley/protocol';

/** One phone interaction row, as far as audio goes. */
export interface CallLine {
  readonly id: string;
  readonly agentId: string | null;
  readonly state: string;
  readonly held: boolean;
  readonly muted: boolean;
  readonly conference: boolean;
  readonly consultationOf: string | null;
  readonly peerId: string | null;
  /** The far party's leg (a customer or an outside number), when it is a leg of its own. */
  readonly remoteLeg: string | null;
}

export interface PlanInput {
  readonly lines: Iterable<CallLine>;
  /** Each agent's media leg (their panel), when connected. */
  readonly stations: ReadonlyMap<string, string>;
  /** Customer legs in a call (waiting ones too): they hear music unless someone talks with them. */
  readonly customerLegs: Iterable<string>;
  /** Two outside legs put through to each other (a blind transfer or a join to a number). */
  readonly bridges: Iterable<readonly [string, string]>;
}

export interface Hearing {
  /** Legs whose audio this leg hears. */
  readonly sources: readonly string[];
  /** Hold or queue music instead of (or with) them. */
  readonly music: boolean;
}

export type Plan = ReadonlyMap<string, Hearing>;

const TALKING = new Set(['accepted', 'held']);

/** What every leg hears now. Legs not in the result hear nothing and are not in a call. */
export function planAudio(input: PlanInput): Plan {
  const lines = new Map<string, CallLine>();
  for (const l of input.lines) lines.set(l.id, l);
  const hears = new Map<string, Set<string>>();
  const music = new Set<string>();
  const placed = new Set<string>();
  const hear = (listener: string, source: string | null) => {
    if (source === null || source === listener) return;
    let set = hears.get(listener);
    if (!set) hears.set(listener, (set = new Set()));
    set.add(source);
  };
  const touch = (leg: string) => {
    placed.add(leg);
    if (!hears.has(leg)) hears.set(leg, new Set());
  };
  const station = (l: CallLine) => (l.agentId ? (input.stations.get(l.agentId) ?? null) : null);
  /** The leg on the other side of a line: its own remote leg, or the peer agent's station once both answered. */
  const farLeg = (l: CallLine): string | null => {
    if (l.remoteLeg) return l.remoteLeg;
    const peer = l.peerId ? lines.get(l.peerId) : undefined;
    return peer && TALKING.has(peer.state) && TALKING.has(l.state) ? station(peer) : null;
  };

  // Conferences: every party hears every other (a muted agent is heard by nobody).
  const groups = new Map<string, CallLine[]>();
  for (const l of lines.values()) {
    if (!l.conference || !TALKING.has(l.state)) continue;
    const key = l.consultationOf ?? l.id;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const inConference = new Set<string>();
  for (const members of groups.values()) {
    const parties: Array<{ leg: string; speaks: boolean }> = [];
    for (const m of members) {
      inConference.add(m.id);
      const s = station(m);
      if (s && m.state === 'accepted') parties.push({ leg: s, speaks: !m.muted });
      if (m.remoteLeg) parties.push({ leg: m.remoteLeg, speaks: true });
    }
    for (const p of parties) {
      touch(p.leg);
      for (const q of parties) if (q.speaks) hear(p.leg, q.leg);
    }
  }

  // Two-party calls.
  for (const l of lines.values()) {
    if (inConference.has(l.id) || !TALKING.has(l.state)) continue;
    const s = station(l);
    const far = farLeg(l);
    if (!far) continue;
    touch(far);
    if (l.state === 'held' || l.held || !s) {
      // On hold, or the agent's panel is away: the far party hears music, the agent nothing of them.
      music.add(far);
      if (s) touch(s);
      continue;
    }
    touch(s);
    // Between two agents each line carries its own agent's voice, so either one's mute holds.
    if (l.remoteLeg) hear(s, far);
    if (!l.muted) hear(far, s);
  }

  for (const [a, b] of input.bridges) {
    touch(a);
    touch(b);
    hear(a, b);
    hear(b, a);
  }

  // A customer nobody talks with (waiting in a queue, being transferred) hears music.
  for (const leg of input.customerLegs) {
    if (!placed.has(leg)) music.add(leg);
    touch(leg);
  }

  const plan = new Map<string, Hearing>();
  for (const [leg, sources] of hears) {
    const onHold = music.has(leg) && sources.size === 0;
    plan.set(leg, { sources: onHold ? [] : [...sources], music: onHold });
  }
  for (const leg of music) if (!plan.has(leg)) plan.set(leg, { sources: [], music: true });
  return plan;
}

/** A phone interaction as the plan sees it; agents are keyed `tenant:user`, like stations. */
export function callLine(l: Interaction & { readonly tenantId: string }, remoteLeg: string | null): CallLine {
  return {
    id: l.id,
    agentId: l.agent_id ? `${l.tenantId}:${l.agent_id}` : null,
    state: l.state,
    held: l.held,
    muted: l.muted,
    conference: l.conference === true,
    consultationOf: l.consultation_of ?? null,
    peerId: l.peer_id ?? null,
    remoteLeg,
  };
}

/** Whose voices a call's recording takes: the far party, everyone it hears, and the agent's station. */
export function recordingParties(plan: Plan, far: string | undefined, mine: string | undefined): string[] {
  const parties = new Set<string>();
  if (far) {
    parties.add(far);
    for (const src of plan.get(far)?.sources ?? []) parties.add(src);
  }
  if (mine) parties.add(mine);
  return [...parties];
}
