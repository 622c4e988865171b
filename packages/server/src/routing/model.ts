/**
 * The routing engine's inner model: queues, agents with one slot per queue
 * they serve, the lines (pools) of eligible agents, waiting contacts and
 * deadlines, and the small operations on them that need no engine state.
 */
import type { ChannelType } from '@parley/protocol';
import { CHANNEL_TYPES } from '@parley/protocol';
import type { AgentSpec, QueueSpec, WaitingContact } from './types.ts';

export interface Queue {
  spec: QueueSpec;
  /** Waiting contacts by arrival order (offered ones keep their place). */
  readonly waiting: Contact[];
  /** Eligible agents, longest idle first (queues that are not skills-based). */
  readonly idle: Pool;
  /** Skills-based queues: eligible agents per proficiency (index 1–5), each longest idle first. */
  readonly byProficiency: ReadonlyArray<Pool>;
}

export interface Slot {
  readonly queue: Queue;
  /** The pool this slot joins when eligible. */
  readonly pool: Pool;
  /** True while the agent sits in `pool`. */
  inPool: boolean;
  readonly agent: Agent;
  /** Neighbours in the pool's line. */
  prev: Slot | null;
  next: Slot | null;
}

/**
 * A line of eligible agents, longest idle first: a doubly-linked list of
 * their slots, so joining, leaving and going to the back cost a few
 * pointer moves and no hashing.
 */
export class Pool {
  head: Slot | null = null;
  tail: Slot | null = null;

  add(slot: Slot): void {
    slot.prev = this.tail;
    slot.next = null;
    if (this.tail) this.tail.next = slot;
    else this.head = slot;
    this.tail = slot;
  }

  delete(slot: Slot): void {
    if (slot.prev) slot.prev.next = slot.next;
    else this.head = slot.next;
    if (slot.next) slot.next.prev = slot.prev;
    else this.tail = slot.prev;
    slot.prev = null;
    slot.next = null;
  }
}

export interface Agent {
  spec: AgentSpec;
  readonly load: Record<ChannelType, number>;
  /** One slot per queue the agent serves. */
  slots: Slot[];
  readonly offers: Set<string>;
  missed: number;
  /** Made not ready by routing (missed offers) until the next agent_updated says otherwise. */
  forcedNotReady: boolean;
}

export interface Contact {
  readonly id: string;
  queueId: string;
  /** Served before lower priorities; the queue's, or higher when it brought one along. */
  priority: number;
  /** Global arrival order; ties in time are broken by it. */
  readonly seq: number;
  readonly arrivedAt: number;
  /** When it entered its current queue (overflow counts from here). */
  enqueuedAt: number;
  /**
   * Agents who let it go (rejected, timed out), each until when it is not
   * offered to them again (Infinity: never); null until there is one (most
   * contacts never have any).
   */
  excluded: Map<string, number> | null;
  offer: { readonly agentId: string; readonly expiresAt: number } | null;
  readonly preferredAgentId: string | null;
  /** While `now` is before it, only the preferred agent is offered it (0: no preferred agent). */
  preferredUntil: number;
}

/** A moment at which `tick` may have something to do. Stale entries are skipped when they come up. */
export interface Deadline {
  readonly at: number;
  readonly kind: 0 | 1 | 2 | 3;
  readonly contact: Contact;
}
export const OFFER = 0;
export const OVERFLOW = 1;
export const PREFERRED = 2;
/** An agent's exclusion from a contact lapses: it may be offered to them again. */
export const REOFFER = 3;

/** Whether a deadline of a contact still in routing means something (it may have moved on since). */
export function stillDue(d: Deadline, overflowAfterMs: number | undefined): boolean {
  const contact = d.contact;
  switch (d.kind) {
    case OFFER:
      return contact.offer?.expiresAt === d.at;
    case OVERFLOW:
      return !contact.offer && overflowAfterMs !== undefined && contact.enqueuedAt + overflowAfterMs === d.at;
    case REOFFER:
      return !contact.offer && [...(contact.excluded?.values() ?? [])].includes(d.at);
    default:
      return !contact.offer && contact.preferredUntil === d.at;
  }
}

/** True when `a` is served before `b`: higher priority, then older, then first in. */
export function ahead(a: Contact, b: Contact): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt;
  return a.seq < b.seq;
}

/** Whether the contact is kept from this agent at `now`. */
export function excludes(contact: Contact, agentId: string, now: number): boolean {
  const until = contact.excluded?.get(agentId);
  return until !== undefined && now < until;
}

/** Keeps the contact from an agent until `until`; returns that moment when a re-offer deadline is due. */
export function exclude(contact: Contact, agentId: string, until: number): number | null {
  (contact.excluded ??= new Map()).set(agentId, until);
  return Number.isFinite(until) ? until : null;
}

/** Deadlines by time, then kind (offers first). */
export const before = (a: Deadline, b: Deadline) => a.at < b.at || (a.at === b.at && a.kind < b.kind);

export const newLoad = (): Record<ChannelType, number> =>
  Object.fromEntries(CHANNEL_TYPES.map((c) => [c, 0])) as Record<ChannelType, number>;

/** Whether the agent may take one more contact on the channel (a call blocks new calls, and others when `phoneBlocks`). */
export function hasRoom(agent: Agent, channel: ChannelType, phoneBlocks: boolean): boolean {
  if (agent.load.phone > 0 && (channel === 'phone' || phoneBlocks)) return false;
  return agent.load[channel] < (agent.spec.capacity[channel] ?? 0);
}

/** Rebuilds the agent's slots from its memberships and the queues that exist. */
export function buildSlots(agent: Agent, queues: ReadonlyMap<string, Queue>): void {
  for (const slot of agent.slots) if (slot.inPool) slot.pool.delete(slot);
  agent.slots = [];
  for (const m of agent.spec.memberships) {
    const queue = queues.get(m.queueId);
    if (!queue) continue;
    const proficiency = Math.min(5, Math.max(1, Math.round(m.proficiency)));
    const pool = (queue.spec.skillsBased ? queue.byProficiency[proficiency] : queue.idle) ?? queue.idle;
    agent.slots.push({ queue, pool, inPool: false, agent, prev: null, next: null });
  }
}

/**
 * Puts the agent in (or out of) each queue's pool. With `toBack`, an agent
 * who stays eligible moves behind everyone else.
 */
export function reindex(agent: Agent, phoneBlocks: boolean, toBack = false): void {
  const available = agent.spec.connected && agent.spec.ready && !agent.forcedNotReady;
  for (const slot of agent.slots) {
    const eligible = available && hasRoom(agent, slot.queue.spec.channel, phoneBlocks);
    if (slot.inPool && eligible && toBack && slot.pool.tail === slot) continue; // already last in line
    if (slot.inPool && (toBack || !eligible)) {
      slot.pool.delete(slot);
      slot.inPool = false;
    }
    if (eligible && !slot.inPool) {
      slot.pool.add(slot);
      slot.inPool = true;
    }
  }
}

export function toWaiting(c: Contact): WaitingContact {
  return {
    contactId: c.id,
    queueId: c.queueId,
    arrivedAt: c.arrivedAt,
    priority: c.priority,
    enqueuedAt: c.enqueuedAt,
    offeredTo: c.offer?.agentId ?? null,
    offerExpiresAt: c.offer?.expiresAt ?? null,
    preferredAgentId: c.preferredAgentId,
    preferredUntil: c.preferredUntil,
  };
}
