/**
 * Who hears whom — the pure core of the media plane. Given the calls as the
 * interaction state machine left them, the agents' media legs and the
 * customers' legs, it says for each leg what it must hear: other legs
 * (relayed as they are when there is one, mixed when there are more), hold
 * music, or silence. No I/O, no clocks: the mixer applies the result.
 *
 * A supervisor on a call hears what its parties say to each other (and the
 * agent on hold); nobody hears them while they *monitor*, the call's agent
 * does while they *whisper*, every party but a held one does when they
 * *barge*.
 */

import type { Interaction, MonitorMode } from '@parley/protocol';

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
  /** Supervisors on the call (keyed like stations) and how. */
  readonly monitors?: ReadonlyArray<{ readonly supervisor: string; readonly mode: MonitorMode }>;
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

  // Supervisors on calls: after the parties, so they hear only what the parties say.
  for (const l of lines.values()) {
    if (!l.monitors?.length || !TALKING.has(l.state)) continue;
    const group = inConference.has(l.id) ? (groups.get(l.consultationOf ?? l.id) ?? [l]) : [l];
    const own = station(l);
    const parties = new Set<string>();
    for (const m of group) {
      const s = station(m);
      if (s) parties.add(s);
      const far = m.remoteLeg ?? (inConference.has(m.id) ? null : farLeg(m));
      if (far) parties.add(far);
    }
    const held = l.state === 'held' || l.held;
    for (const { supervisor, mode } of l.monitors) {
      const leg = input.stations.get(supervisor);
      if (!leg || parties.has(leg)) continue;
      touch(leg);
      for (const p of parties) for (const src of hears.get(p) ?? []) if (parties.has(src)) hear(leg, src);
      // On hold the agent still talks to the supervisor (coaching), unless muted.
      if (held && own && !l.muted) hear(leg, own);
      if (mode === 'whisper' && own) hear(own, leg);
      if (mode === 'barge') for (const p of parties) if (!(held && p !== own)) hear(p, leg);
    }
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
export function callLine(
  l: Interaction & { readonly tenantId: string },
  remoteLeg: string | null,
  monitors: CallLine['monitors'] = [],
): CallLine {
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
    monitors,
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
