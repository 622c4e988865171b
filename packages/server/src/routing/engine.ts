/**
 * The ACD: who gets which contact, when. Pure: no I/O and no clock (every
 * call takes `now`), deterministic for the same events. Fed events, it
 * returns decisions; the edge persists them and talks to panels.
 *
 * Rules:
 * - A contact's priority is its queue's, or the higher one it brings along
 *   (transfer, overflow). Contacts are served by priority, then age, within a
 *   queue and across the queues an agent serves.
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
 * - Timers live in one min-heap of deadlines (offer expiry, overflow,
 *   preferred window), so `nextDeadline()` and `tick` touch only what is due.
 *
 * Performance: each agent holds one slot per queue it serves, with direct
 * references; eligible agents' slots sit in linked lines (pools), so the
 * longest-idle one is the first, with no sorting, and going to the back of
 * a line is a few pointer moves (bench/routing).
 */
import type { ChannelType } from '@parley/protocol';
import { MinHeap } from './heap.ts';
import {
  ahead,
  before,
  buildSlots,
  exclude,
  excludes,
  hasRoom,
  newLoad,
  OFFER,
  OVERFLOW,
  Pool,
  PREFERRED,
  REOFFER,
  reindex,
  stillDue,
  toWaiting,
  type Agent,
  type Contact,
  type Deadline,
  type Queue,
} from './model.ts';
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

export class RoutingEngine {
  readonly #queues = new Map<string, Queue>();
  readonly #agents = new Map<string, Agent>();
  readonly #contacts = new Map<string, Contact>();
  readonly #deadlines = new MinHeap<Deadline>(before);
  #seq = 0;
  readonly #maxMissed: number;
  readonly #reofferAfterMs: number;
  readonly #preferredWindowMs: number;
  readonly #phoneBlocks: boolean;

  constructor(options: RoutingOptions = {}) {
    this.#maxMissed = options.maxMissedOffers ?? 3;
    this.#reofferAfterMs = options.reofferAfterMs ?? 30_000;
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
        reindex(agent, this.#phoneBlocks);
        break;
      }
      case 'contact_arrived':
        this.#arrive(event, now, out);
        break;
      case 'contact_abandoned': {
        const contact = this.#contact(event.contactId);
        const agentId = contact.offer?.agentId;
        if (agentId) this.#withdraw(contact, 'abandoned', now, out);
        this.#remove(contact);
        // The agent it was offered to is free for the next contact.
        if (agentId) this.#serveAgent(this.#agent(agentId), now, out);
        break;
      }
      case 'contact_picked': {
        const contact = this.#contact(event.contactId);
        const agent = this.#agent(event.agentId);
        const channel = this.#queue(contact.queueId).spec.channel;
        if (contact.offer?.agentId === agent.spec.id) {
          // Picking what one is offered is accepting it.
          return this.handle({ type: 'offer_accepted', contactId: contact.id, agentId: agent.spec.id }, now);
        }
        if (!hasRoom(agent, channel, this.#phoneBlocks))
          throw new RoutingError('invalid_state', `agent ${agent.spec.id} has no free ${channel} capacity`);
        const other = contact.offer ? this.#agent(contact.offer.agentId) : null;
        if (other) {
          this.#withdraw(contact, 'picked', now, out);
          // The pick is not the other agent's doing: it may be offered this contact's peers again.
          contact.excluded?.delete(other.spec.id);
        }
        this.#remove(contact);
        agent.load[channel] += 1;
        reindex(agent, this.#phoneBlocks, true);
        out.push({ type: 'assigned', contactId: contact.id, agentId: agent.spec.id, queueId: contact.queueId });
        if (other) this.#serveAgent(other, now, out);
        break;
      }
      case 'interaction_assigned': {
        const agent = this.#agent(event.agentId);
        agent.load[event.channel] += 1;
        reindex(agent, this.#phoneBlocks);
        break;
      }
      case 'offer_accepted': {
        const contact = this.#offeredTo(event.contactId, event.agentId);
        const agent = this.#agent(event.agentId);
        contact.offer = null;
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
        this.#release(contact, agent, now);
        this.#serveContact(contact, now, out);
        this.#serveAgent(agent, now, out);
        break;
      }
      case 'interaction_ended': {
        const agent = this.#agent(event.agentId);
        agent.load[event.channel] = Math.max(0, agent.load[event.channel] - 1);
        reindex(agent, this.#phoneBlocks);
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
    for (;;) {
      const top = this.#deadlines.peek();
      if (!top) return null;
      if (this.#live(top)) return top.at;
      this.#deadlines.pop();
    }
  }

  /** The contacts waiting in a queue, in the order they will be served. */
  waiting(queueId: string): WaitingContact[] {
    return this.#queue(queueId).waiting.map(toWaiting);
  }

  /** One routed contact, or null when routing does not hold it. */
  contact(contactId: string): WaitingContact | null {
    const contact = this.#contacts.get(contactId);
    return contact ? toWaiting(contact) : null;
  }

  /** Whether the queue exists in routing. */
  hasQueue(queueId: string): boolean {
    return this.#queues.has(queueId);
  }

  /** Whether the agent has room for one more interaction on the channel, ready or not (outbound work). */
  hasRoom(agentId: string, channel: ChannelType): boolean {
    const agent = this.#agents.get(agentId);
    return agent ? hasRoom(agent, channel, this.#phoneBlocks) : false;
  }

  /** Whether the agent could take one more interaction on the channel now (connected, ready, with room). */
  isAvailable(agentId: string, channel: ChannelType): boolean {
    const agent = this.#agents.get(agentId);
    if (!agent) return false;
    const { connected, ready } = agent.spec;
    return connected && ready && !agent.forcedNotReady && hasRoom(agent, channel, this.#phoneBlocks);
  }

  /** The channels' loads of an agent (offers and assigned interactions). */
  loadOf(agentId: string): Readonly<Record<ChannelType, number>> {
    return { ...this.#agent(agentId).load };
  }

  // ── configuration ──────────────────────────────────────────────────────────

  #configureQueue(spec: QueueSpec): void {
    const existing = this.#queues.get(spec.id);
    if (existing && spec.overflow) {
      // A new overflow rule applies to the contacts already waiting.
      for (const contact of existing.waiting) this.#scheduleOverflow(contact, spec);
    }
    if (existing && existing.spec.skillsBased === spec.skillsBased) {
      existing.spec = spec;
      return;
    }
    if (existing) existing.spec = spec;
    else
      this.#queues.set(spec.id, {
        spec,
        waiting: [],
        idle: new Pool(),
        byProficiency: [0, 1, 2, 3, 4, 5].map(() => new Pool()),
      });
    // Agents who list this queue get a slot for it, in the kind of pool the queue uses now.
    for (const agent of this.#agents.values()) {
      if (!agent.spec.memberships.some((m) => m.queueId === spec.id)) continue;
      buildSlots(agent, this.#queues);
      reindex(agent, this.#phoneBlocks);
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
    buildSlots(agent, this.#queues);
    reindex(agent, this.#phoneBlocks);
    this.#serveAgent(agent, now, out);
  }

  // ── contacts ───────────────────────────────────────────────────────────────

  #arrive(event: Extract<RoutingEvent, { type: 'contact_arrived' }>, now: number, out: Decision[]): void {
    const { contactId, queueId } = event;
    if (this.#contacts.has(contactId))
      throw new RoutingError('invalid_state', `contact ${contactId} is already routed`);
    const queue = this.#queue(queueId);
    const preferredAgentId = event.preferredAgentId ?? null;
    const contact: Contact = {
      id: contactId,
      queueId,
      priority: Math.max(queue.spec.priority, event.priority ?? -Infinity),
      seq: ++this.#seq,
      arrivedAt: Math.min(now, event.arrivedAt ?? now),
      enqueuedAt: now,
      excluded: null,
      offer: null,
      preferredAgentId,
      preferredUntil: preferredAgentId ? now + this.#preferredWindowMs : 0,
    };
    for (const agentId of event.excluded ?? []) this.#exclude(contact, agentId, now);
    this.#contacts.set(contactId, contact);
    this.#insert(queue, contact);
    this.#scheduleOverflow(contact, queue.spec);
    if (preferredAgentId) this.#deadlines.push({ at: contact.preferredUntil, kind: PREFERRED, contact });
    this.#serveContact(contact, now, out);
  }

  /** Inserts by priority (higher first), then age (older first), then arrival order. */
  #insert(queue: Queue, contact: Contact): void {
    const waiting = queue.waiting;
    const last = waiting[waiting.length - 1];
    if (!last || !ahead(contact, last)) {
      waiting.push(contact);
      return;
    }
    let lo = 0;
    let hi = waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ahead(waiting[mid] as Contact, contact)) lo = mid + 1;
      else hi = mid;
    }
    waiting.splice(lo, 0, contact);
  }

  #scheduleOverflow(contact: Contact, spec: QueueSpec): void {
    if (spec.overflow)
      this.#deadlines.push({ at: contact.enqueuedAt + spec.overflow.afterMs, kind: OVERFLOW, contact });
  }

  /** Finds the best agent for a waiting contact and offers it. */
  #serveContact(contact: Contact, now: number, out: Decision[]): void {
    if (contact.offer) return;
    const queue = this.#queue(contact.queueId);
    const preferred = contact.preferredAgentId ? this.#agents.get(contact.preferredAgentId) : undefined;
    if (preferred && now < contact.preferredUntil) {
      const eligible = preferred.slots.some((slot) => slot.queue === queue && slot.inPool);
      if (eligible && !excludes(contact, preferred.spec.id, now)) this.#offer(contact, preferred, now, out);
      // Otherwise it waits for the preferred agent until the window closes.
      return;
    }
    const pools = queue.spec.skillsBased ? queue.byProficiency : [queue.idle];
    for (let i = pools.length - 1; i >= 0; i--) {
      for (let slot = pools[i]?.head ?? null; slot; slot = slot.next) {
        if (!excludes(contact, slot.agent.spec.id, now)) {
          this.#offer(contact, slot.agent, now, out);
          return;
        }
      }
    }
  }

  /** Gives an agent with free capacity the best waiting contacts of its queues, while it has room. */
  #serveAgent(agent: Agent, now: number, out: Decision[]): void {
    for (;;) {
      let best: Contact | null = null;
      for (const slot of agent.slots) {
        if (!slot.inPool) continue;
        const waiting = slot.queue.waiting;
        // The head is the queue's best contact; a lower priority cannot beat the best found so far.
        const first = waiting[0];
        if (!first || (best && first.priority < best.priority)) continue;
        const head = waiting.find((c) => this.#mayOffer(c, agent, now));
        if (head && (!best || ahead(head, best))) best = head;
      }
      if (!best) return;
      this.#offer(best, agent, now, out);
    }
  }

  /** Whether a waiting contact may be offered to this agent now. */
  #mayOffer(contact: Contact, agent: Agent, now: number): boolean {
    if (contact.offer || excludes(contact, agent.spec.id, now)) return false;
    return !contact.preferredAgentId || contact.preferredAgentId === agent.spec.id || now >= contact.preferredUntil;
  }

  #offer(contact: Contact, agent: Agent, now: number, out: Decision[]): void {
    const queue = this.#queue(contact.queueId);
    const expiresAt = now + queue.spec.offerTimeoutMs;
    contact.offer = { agentId: agent.spec.id, expiresAt };
    this.#deadlines.push({ at: expiresAt, kind: OFFER, contact });
    agent.offers.add(contact.id);
    agent.load[queue.spec.channel] += 1;
    // Being offered work ends the agent's idle time: to the back of every line.
    reindex(agent, this.#phoneBlocks, true);
    out.push({ type: 'offer', contactId: contact.id, agentId: agent.spec.id, queueId: queue.spec.id, expiresAt });
  }

  /** The offer ends without the agent taking it: the contact keeps its place, kept from this agent for a while. */
  #release(contact: Contact, agent: Agent, now: number): void {
    const channel = this.#queue(contact.queueId).spec.channel;
    contact.offer = null;
    this.#exclude(contact, agent.spec.id, now);
    agent.offers.delete(contact.id);
    // Deadlines skipped while it was offered count again (one that fell due happens at the next tick).
    this.#scheduleOverflow(contact, this.#queue(contact.queueId).spec);
    if (contact.preferredAgentId && contact.preferredUntil > now)
      this.#deadlines.push({ at: contact.preferredUntil, kind: PREFERRED, contact });
    // A window that closed while it was offered is over: the release serves it as anyone's, and the
    // window's own deadline must not come due again (found by the deadline property).
    else if (contact.preferredAgentId) contact.preferredUntil = 0;
    agent.load[channel] = Math.max(0, agent.load[channel] - 1);
    reindex(agent, this.#phoneBlocks);
  }

  #withdraw(contact: Contact, reason: WithdrawReason, now: number, out: Decision[]): void {
    const agentId = contact.offer?.agentId;
    if (!agentId) return;
    this.#release(contact, this.#agent(agentId), now);
    out.push({ type: 'offer_withdrawn', contactId: contact.id, agentId, reason });
  }

  #withdrawAll(agent: Agent, reason: WithdrawReason, now: number, out: Decision[]): void {
    const contacts = [...agent.offers].map((id) => this.#contact(id));
    for (const contact of contacts) this.#withdraw(contact, reason, now, out);
    for (const contact of contacts) this.#serveContact(contact, now, out);
  }

  #remove(contact: Contact): void {
    const queue = this.#queue(contact.queueId);
    const index = queue.waiting.indexOf(contact);
    if (index >= 0) queue.waiting.splice(index, 1);
    this.#contacts.delete(contact.id);
  }

  // ── time ───────────────────────────────────────────────────────────────────

  /** Whether a deadline still means something (its contact may have moved on since). */
  #live(d: Deadline): boolean {
    if (this.#contacts.get(d.contact.id) !== d.contact) return false;
    return stillDue(d, this.#queues.get(d.contact.queueId)?.spec.overflow?.afterMs);
  }

  /** Keeps a contact from an agent who let it go, for the re-offer time (or for good). */
  #exclude(contact: Contact, agentId: string, now: number): void {
    const at = exclude(contact, agentId, this.#reofferAfterMs > 0 ? now + this.#reofferAfterMs : Infinity);
    if (at !== null) this.#deadlines.push({ at, kind: REOFFER, contact });
  }

  #tick(now: number, out: Decision[]): void {
    const touched = new Set<Agent>();
    for (let d = this.#deadlines.peek(); d && d.at <= now; d = this.#deadlines.peek()) {
      this.#deadlines.pop();
      if (!this.#live(d)) continue;
      const contact = d.contact;
      if (d.kind === OFFER && contact.offer) {
        const agent = this.#agent(contact.offer.agentId);
        this.#withdraw(contact, 'timeout', now, out);
        agent.missed += 1;
        if (this.#maxMissed > 0 && agent.missed >= this.#maxMissed && !agent.forcedNotReady) {
          agent.forcedNotReady = true;
          reindex(agent, this.#phoneBlocks);
          out.push({ type: 'agent_not_ready', agentId: agent.spec.id, reason: 'missed_offers' });
          this.#withdrawAll(agent, 'agent_not_ready', now, out);
        }
        touched.add(agent);
        this.#serveContact(contact, now, out);
      } else if (d.kind === OVERFLOW) {
        const from = this.#queue(contact.queueId);
        const target = this.#queues.get(from.spec.overflow?.queueId ?? '');
        if (!target || target === from) continue;
        this.#move(contact, from, target, now);
        out.push({ type: 'overflowed', contactId: contact.id, fromQueueId: from.spec.id, toQueueId: target.spec.id });
        this.#serveContact(contact, now, out);
      } else {
        // The preferred agent did not come in time, or an agent who let it go may have it again.
        this.#serveContact(contact, now, out);
      }
    }
    for (const agent of touched) this.#serveAgent(agent, now, out);
  }

  /** Moves a contact to another queue at its place by priority and age (it keeps both). */
  #move(contact: Contact, from: Queue, to: Queue, now: number): void {
    from.waiting.splice(from.waiting.indexOf(contact), 1);
    contact.queueId = to.spec.id;
    contact.priority = Math.max(contact.priority, to.spec.priority);
    contact.enqueuedAt = now;
    this.#insert(to, contact);
    this.#scheduleOverflow(contact, to.spec);
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
