/**
 * The ACD: who gets which contact, when. Pure: no I/O and no clock (every
 * call takes `now`), deterministic for the same events. Fed events, it
 * returns decisions; the edge persists them and talks to panels.
 *
 * Rules:
 * - Contacts wait in arrival order; across queues the higher priority wins,
 *   then the older contact.
 * - An agent may be offered a queue's contact when connected, ready, a serving
 *   member of the queue, and below capacity on its channel (offers count).
 *   A call blocks new calls, and every other channel when so configured.
 * - The longest-idle eligible agent wins; skills-based queues first take the
 *   highest proficiency. "Idle" is the time since the agent was last offered
 *   something.
 * - A preferred agent is waited for during a window, then anyone may serve.
 * - A rejected or timed-out offer returns the contact to its original place
 *   and never offers it to that agent again. N consecutive timeouts make the
 *   agent not ready ("missed offers"); a rejection breaks the run.
 * - A disconnected agent loses its pending offers at once; they are re-routed.
 * - A contact that waited long enough in a queue with overflow moves to the
 *   target queue, keeping its arrival time (its age and place).
 *
 * Performance: each agent holds one slot per queue it serves, with direct
 * references; eligible agents sit in insertion-ordered sets, so the
 * longest-idle one is the first, with no sorting (bench/routing).
 */
import type { ChannelType } from '@parley/protocol';
import { CHANNEL_TYPES } from '@parley/protocol';
import {
  RoutingError,
  type AgentSpec,
  type Decision,
  type QueueSpec,
  type RoutingEvent,
  type RoutingOptions,
  type WaitingContact,
  type WithdrawReason,
} from './types.ts';

interface Queue {
  spec: QueueSpec;
  /** Waiting contacts by arrival order (offered ones keep their place). */
  readonly waiting: Contact[];
  /** Eligible agents, longest idle first (queues that are not skills-based). */
  readonly idle: Set<Agent>;
  /** Skills-based queues: eligible agents per proficiency (index 1–5), each longest idle first. */
  readonly byProficiency: ReadonlyArray<Set<Agent>>;
}

interface Slot {
  readonly queue: Queue;
  /** The pool this slot joins when eligible. */
  readonly pool: Set<Agent>;
  /** True while the agent sits in `pool`. */
  inPool: boolean;
}

interface Agent {
  spec: AgentSpec;
  readonly load: Record<ChannelType, number>;
  /** One slot per queue the agent serves. */
  slots: Slot[];
  readonly offers: Set<string>;
  missed: number;
  /** Made not ready by routing (missed offers) until the next agent_updated says otherwise. */
  forcedNotReady: boolean;
}

interface Contact {
  readonly id: string;
  queueId: string;
  /** Global arrival order; ties in time are broken by it. */
  readonly seq: number;
  readonly arrivedAt: number;
  /** When it entered its current queue (overflow counts from here). */
  enqueuedAt: number;
  readonly excluded: Set<string>;
  offer: { readonly agentId: string; readonly expiresAt: number } | null;
  readonly preferredAgentId: string | null;
  readonly preferredUntil: number;
}

const newLoad = (): Record<ChannelType, number> =>
  Object.fromEntries(CHANNEL_TYPES.map((c) => [c, 0])) as Record<ChannelType, number>;

export class RoutingEngine {
  readonly #queues = new Map<string, Queue>();
  readonly #agents = new Map<string, Agent>();
  readonly #contacts = new Map<string, Contact>();
  readonly #offered = new Set<Contact>();
  #seq = 0;
  readonly #maxMissed: number;
  readonly #preferredWindowMs: number;
  readonly #phoneBlocks: boolean;

  constructor(options: RoutingOptions = {}) {
    this.#maxMissed = options.maxMissedOffers ?? 3;
    this.#preferredWindowMs = options.preferredWindowMs ?? 20_000;
    this.#phoneBlocks = options.phoneBlocksOtherChannels ?? true;
  }

  /** Applies one event at time `now` (ms) and returns what to do. Throws {@link RoutingError} for events that do not fit. */
  handle(event: RoutingEvent, now: number): Decision[] {
    const out: Decision[] = [];
    switch (event.type) {
      case 'queue_configured':
        this.#configureQueue(event.queue);
        break;
      case 'agent_updated':
        this.#updateAgent(event.agent, now, out);
        break;
      case 'agent_disconnected': {
        const agent = this.#agent(event.agentId);
        agent.spec = { ...agent.spec, connected: false };
        this.#withdrawAll(agent, 'disconnected', now, out);
        this.#reindex(agent);
        break;
      }
      case 'contact_arrived':
        this.#arrive(event.contactId, event.queueId, event.preferredAgentId ?? null, now, out);
        break;
      case 'contact_abandoned': {
        const contact = this.#contact(event.contactId);
        const agentId = contact.offer?.agentId;
        if (agentId) this.#withdraw(contact, 'abandoned', out);
        this.#remove(contact);
        // The agent it was offered to is free for the next contact.
        if (agentId) this.#serveAgent(this.#agent(agentId), now, out);
        break;
      }
      case 'offer_accepted': {
        const contact = this.#offeredTo(event.contactId, event.agentId);
        const agent = this.#agent(event.agentId);
        this.#offered.delete(contact);
        agent.offers.delete(contact.id);
        agent.missed = 0;
        this.#remove(contact);
        out.push({ type: 'assigned', contactId: contact.id, agentId: agent.spec.id, queueId: contact.queueId });
        break;
      }
      case 'offer_rejected': {
        const contact = this.#offeredTo(event.contactId, event.agentId);
        const agent = this.#agent(event.agentId);
        // A rejection is an answer: it breaks a run of missed offers.
        agent.missed = 0;
        this.#release(contact, agent);
        this.#serveContact(contact, now, out);
        this.#serveAgent(agent, now, out);
        break;
      }
      case 'interaction_ended': {
        const agent = this.#agent(event.agentId);
        agent.load[event.channel] = Math.max(0, agent.load[event.channel] - 1);
        this.#reindex(agent);
        this.#serveAgent(agent, now, out);
        break;
      }
      case 'tick':
        this.#tick(now, out);
        break;
    }
    return out;
  }

  /** The earliest time a `tick` has something to do, or null. The edge sets its timer by it. */
  nextDeadline(): number | null {
    let next: number | null = null;
    const consider = (t: number) => {
      if (next === null || t < next) next = t;
    };
    for (const contact of this.#offered) if (contact.offer) consider(contact.offer.expiresAt);
    for (const queue of this.#queues.values()) {
      const overflow = queue.spec.overflow;
      for (const contact of queue.waiting) {
        if (contact.offer) continue;
        if (overflow) consider(contact.enqueuedAt + overflow.afterMs);
        if (contact.preferredAgentId && contact.preferredUntil > 0) consider(contact.preferredUntil);
      }
    }
    return next;
  }

  /** The contacts waiting in a queue, in the order they will be served. */
  waiting(queueId: string): WaitingContact[] {
    return this.#queue(queueId).waiting.map((c) => ({
      contactId: c.id,
      queueId: c.queueId,
      arrivedAt: c.arrivedAt,
      offeredTo: c.offer?.agentId ?? null,
    }));
  }

  /** The channels' loads of an agent (offers and assigned interactions). */
  loadOf(agentId: string): Readonly<Record<ChannelType, number>> {
    return { ...this.#agent(agentId).load };
  }

  // ── configuration ──────────────────────────────────────────────────────────

  #configureQueue(spec: QueueSpec): void {
    const existing = this.#queues.get(spec.id);
    if (existing && existing.spec.skillsBased === spec.skillsBased) {
      existing.spec = spec;
      return;
    }
    if (existing) existing.spec = spec;
    else
      this.#queues.set(spec.id, {
        spec,
        waiting: [],
        idle: new Set(),
        byProficiency: [0, 1, 2, 3, 4, 5].map(() => new Set<Agent>()),
      });
    // Agents who list this queue get a slot for it, in the kind of pool the queue uses now.
    for (const agent of this.#agents.values()) {
      if (!agent.spec.memberships.some((m) => m.queueId === spec.id)) continue;
      this.#buildSlots(agent);
      this.#reindex(agent);
    }
  }

  #updateAgent(spec: AgentSpec, now: number, out: Decision[]): void {
    let agent = this.#agents.get(spec.id);
    if (!agent) {
      agent = { spec, load: newLoad(), slots: [], offers: new Set(), missed: 0, forcedNotReady: false };
      this.#agents.set(spec.id, agent);
    }
    const wasConnected = agent.spec.connected;
    agent.spec = spec;
    // An explicit update is the agent's (or a supervisor's) current choice.
    agent.forcedNotReady = false;
    if (spec.ready) agent.missed = 0;
    if (wasConnected && !spec.connected) this.#withdrawAll(agent, 'disconnected', now, out);
    this.#buildSlots(agent);
    this.#reindex(agent);
    this.#serveAgent(agent, now, out);
  }

  // ── contacts ───────────────────────────────────────────────────────────────

  #arrive(contactId: string, queueId: string, preferredAgentId: string | null, now: number, out: Decision[]): void {
    if (this.#contacts.has(contactId))
      throw new RoutingError('invalid_state', `contact ${contactId} is already routed`);
    const queue = this.#queue(queueId);
    const contact: Contact = {
      id: contactId,
      queueId,
      seq: ++this.#seq,
      arrivedAt: now,
      enqueuedAt: now,
      excluded: new Set(),
      offer: null,
      preferredAgentId,
      preferredUntil: preferredAgentId ? now + this.#preferredWindowMs : 0,
    };
    this.#contacts.set(contactId, contact);
    queue.waiting.push(contact);
    this.#serveContact(contact, now, out);
  }

  /** Finds the best agent for a waiting contact and offers it. */
  #serveContact(contact: Contact, now: number, out: Decision[]): void {
    if (contact.offer) return;
    const queue = this.#queue(contact.queueId);
    const preferred = contact.preferredAgentId ? this.#agents.get(contact.preferredAgentId) : undefined;
    if (preferred && now < contact.preferredUntil) {
      const eligible = preferred.slots.some((slot) => slot.queue === queue && slot.inPool);
      if (eligible && !contact.excluded.has(preferred.spec.id)) this.#offer(contact, preferred, now, out);
      // Otherwise it waits for the preferred agent until the window closes.
      return;
    }
    const pools = queue.spec.skillsBased ? queue.byProficiency : [queue.idle];
    for (let i = pools.length - 1; i >= 0; i--) {
      for (const agent of pools[i] ?? []) {
        if (!contact.excluded.has(agent.spec.id)) {
          this.#offer(contact, agent, now, out);
          return;
        }
      }
    }
  }

  /** Gives an agent with free capacity the best waiting contacts of its queues, while it has room. */
  #serveAgent(agent: Agent, now: number, out: Decision[]): void {
    for (;;) {
      let best: Contact | null = null;
      let bestPriority = -Infinity;
      for (const slot of agent.slots) {
        const queue = slot.queue;
        if (!slot.inPool || queue.spec.priority < bestPriority) continue;
        const head = queue.waiting.find((c) => this.#mayOffer(c, agent, now));
        if (!head) continue;
        if (!best || queue.spec.priority > bestPriority || head.seq < best.seq) {
          best = head;
          bestPriority = queue.spec.priority;
        }
      }
      if (!best) return;
      this.#offer(best, agent, now, out);
    }
  }

  /** Whether a waiting contact may be offered to this agent now. */
  #mayOffer(contact: Contact, agent: Agent, now: number): boolean {
    if (contact.offer || contact.excluded.has(agent.spec.id)) return false;
    return !contact.preferredAgentId || contact.preferredAgentId === agent.spec.id || now >= contact.preferredUntil;
  }

  #offer(contact: Contact, agent: Agent, now: number, out: Decision[]): void {
    const queue = this.#queue(contact.queueId);
    const expiresAt = now + queue.spec.offerTimeoutMs;
    contact.offer = { agentId: agent.spec.id, expiresAt };
    this.#offered.add(contact);
    agent.offers.add(contact.id);
    agent.load[queue.spec.channel] += 1;
    // Being offered work ends the agent's idle time: to the back of every line.
    this.#reindex(agent, true);
    out.push({ type: 'offer', contactId: contact.id, agentId: agent.spec.id, queueId: queue.spec.id, expiresAt });
  }

  /** The offer ends without the agent taking it: the contact keeps its place and never goes to this agent again. */
  #release(contact: Contact, agent: Agent): void {
    const channel = this.#queue(contact.queueId).spec.channel;
    contact.offer = null;
    contact.excluded.add(agent.spec.id);
    this.#offered.delete(contact);
    agent.offers.delete(contact.id);
    agent.load[channel] = Math.max(0, agent.load[channel] - 1);
    this.#reindex(agent);
  }

  #withdraw(contact: Contact, reason: WithdrawReason, out: Decision[]): void {
    const agentId = contact.offer?.agentId;
    if (!agentId) return;
    this.#release(contact, this.#agent(agentId));
    out.push({ type: 'offer_withdrawn', contactId: contact.id, agentId, reason });
  }

  #withdrawAll(agent: Agent, reason: WithdrawReason, now: number, out: Decision[]): void {
    const contacts = [...agent.offers].map((id) => this.#contact(id));
    for (const contact of contacts) this.#withdraw(contact, reason, out);
    for (const contact of contacts) this.#serveContact(contact, now, out);
  }

  #remove(contact: Contact): void {
    const queue = this.#queue(contact.queueId);
    const index = queue.waiting.indexOf(contact);
    if (index >= 0) queue.waiting.splice(index, 1);
    this.#contacts.delete(contact.id);
    this.#offered.delete(contact);
  }

  // ── time ───────────────────────────────────────────────────────────────────

  #tick(now: number, out: Decision[]): void {
    const touched = new Set<Agent>();
    for (const contact of [...this.#offered]) {
      if (!contact.offer || contact.offer.expiresAt > now) continue;
      const agent = this.#agent(contact.offer.agentId);
      this.#withdraw(contact, 'timeout', out);
      agent.missed += 1;
      if (this.#maxMissed > 0 && agent.missed >= this.#maxMissed && !agent.forcedNotReady) {
        agent.forcedNotReady = true;
        this.#reindex(agent);
        out.push({ type: 'agent_not_ready', agentId: agent.spec.id, reason: 'missed_offers' });
        this.#withdrawAll(agent, 'agent_not_ready', now, out);
      }
      touched.add(agent);
      this.#serveContact(contact, now, out);
    }
    for (const queue of this.#queues.values()) {
      const overflow = queue.spec.overflow;
      const target = overflow ? this.#queues.get(overflow.queueId) : undefined;
      if (overflow && target) {
        for (const contact of [...queue.waiting]) {
          if (contact.offer || contact.enqueuedAt + overflow.afterMs > now) continue;
          this.#move(contact, queue, target, now);
          out.push({
            type: 'overflowed',
            contactId: contact.id,
            fromQueueId: queue.spec.id,
            toQueueId: target.spec.id,
          });
          this.#serveContact(contact, now, out);
        }
      }
      // Contacts whose preferred agent did not come in time are open to everyone now.
      for (const contact of queue.waiting) {
        if (!contact.offer && contact.preferredAgentId && contact.preferredUntil <= now)
          this.#serveContact(contact, now, out);
      }
    }
    for (const agent of touched) this.#serveAgent(agent, now, out);
  }

  /** Moves a contact to another queue at its arrival place (it keeps its age). */
  #move(contact: Contact, from: Queue, to: Queue, now: number): void {
    from.waiting.splice(from.waiting.indexOf(contact), 1);
    let lo = 0;
    let hi = to.waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((to.waiting[mid]?.seq ?? Infinity) < contact.seq) lo = mid + 1;
      else hi = mid;
    }
    to.waiting.splice(lo, 0, contact);
    contact.queueId = to.spec.id;
    contact.enqueuedAt = now;
  }

  // ── eligibility index ──────────────────────────────────────────────────────

  /** A call always blocks new calls, and other channels too when configured so. */
  #hasRoom(agent: Agent, channel: ChannelType): boolean {
    if (agent.load.phone > 0 && (channel === 'phone' || this.#phoneBlocks)) return false;
    return agent.load[channel] < (agent.spec.capacity[channel] ?? 0);
  }

  /** Rebuilds the agent's slots from its memberships and the queues that exist. */
  #buildSlots(agent: Agent): void {
    for (const slot of agent.slots) if (slot.inPool) slot.pool.delete(agent);
    agent.slots = [];
    for (const m of agent.spec.memberships) {
      const queue = this.#queues.get(m.queueId);
      if (!queue) continue;
      const proficiency = Math.min(5, Math.max(1, Math.round(m.proficiency)));
      const pool = (queue.spec.skillsBased ? queue.byProficiency[proficiency] : queue.idle) ?? queue.idle;
      agent.slots.push({ queue, pool, inPool: false });
    }
  }

  /**
   * Puts the agent in (or out of) each queue's pool. With `toBack`, an agent
   * who stays eligible moves behind everyone else.
   */
  #reindex(agent: Agent, toBack = false): void {
    const available = agent.spec.connected && agent.spec.ready && !agent.forcedNotReady;
    for (const slot of agent.slots) {
      const eligible = available && this.#hasRoom(agent, slot.queue.spec.channel);
      if (slot.inPool && (toBack || !eligible)) {
        slot.pool.delete(agent);
        slot.inPool = false;
      }
      if (eligible && !slot.inPool) {
        slot.pool.add(agent);
        slot.inPool = true;
      }
    }
  }

  // ── lookups ────────────────────────────────────────────────────────────────

  #queue(id: string): Queue {
    const queue = this.#queues.get(id);
    if (!queue) throw new RoutingError('not_found', `no queue ${id}`);
    return queue;
  }

  #agent(id: string): Agent {
    const agent = this.#agents.get(id);
    if (!agent) throw new RoutingError('not_found', `no agent ${id}`);
    return agent;
  }

  #contact(id: string): Contact {
    const contact = this.#contacts.get(id);
    if (!contact) throw new RoutingError('not_found', `no contact ${id}`);
    return contact;
  }

  #offeredTo(contactId: string, agentId: string): Contact {
    const contact = this.#contact(contactId);
    if (contact.offer?.agentId !== agentId) {
      throw new RoutingError('invalid_state', `contact ${contactId} is not offered to agent ${agentId}`);
    }
    return contact;
  }
}
