/**
 * One tenant's live contact center: the facade over the parts that run it.
 * Every operation runs on the desk's group commit (one at a time, every
 * change and its event stored before anything is answered or published):
 *
 * - {@link GroupCommit}: batches, savepoints, answers after commit;
 * - {@link Ledger}: every row change and its numbered event;
 * - {@link Router}: the routing engine, its decisions and the desk's timers;
 * - {@link Calls}, {@link Endings}, {@link Transfers}, {@link Outbound}: actions;
 * - {@link Conversations}, {@link MessageStore}, {@link Audience}: messages
 *   and what customers hear.
 *
 * Whatever routing knows is rebuilt from the store when a desk opens, so a
 * restart loses no waiting contact, queue position or agent state. If a
 * write fails after routing moved on, the desk rebuilds itself from the store.
 */
import type { Interaction, Message, MessageStatus } from '@parley/protocol';
import { CodedError } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Bus, BusEvents } from '../bus/index.ts';
import type { Logger } from '../log/index.ts';
import type { RoutingOptions } from '../routing/index.ts';
import type { Database } from '../store/index.ts';
import { Audience } from './audience.ts';
import { Calls } from './calls.ts';
import { GroupCommit } from './commit.ts';
import { Conversations } from './conversations.ts';
import { Endings } from './endings.ts';
import type {
  Actor,
  AgentAction,
  ChatStartInput,
  ConversationView,
  InboundInput,
  InboundMessageInput,
  MessageInput,
  OutboundInput,
  OutgoingMessage,
  RemoteEvent,
  WaitingEntry,
} from './inputs.ts';
import { Ledger } from './ledger.ts';
import { MessageStore } from './messages.ts';
import { OpenInteractions } from './open-set.ts';
import { Outbound } from './outbound.ts';
import { QueueBook, specOf } from './queue-book.ts';
import { rebuild } from './rebuild.ts';
import { findInteraction } from './records.ts';
import { Router } from './router.ts';
import { Dispatch, type DispatchOp } from './dispatch.ts';
import { DeskReads } from './reads.ts';
import { Supervise, type SupervisorActor, type SuperviseOp } from './supervise.ts';
import { Transfers } from './transfers.ts';

export interface DeskOptions {
  readonly db: Kysely<Database>;
  readonly bus: Bus;
  readonly log: Logger;
  readonly tenantId: string;
  /** Whether the user has a panel connected. */
  readonly isOnline: (userId: string) => boolean;
  /** Milliseconds since the epoch; tests pass their own. */
  readonly clock: () => number;
  /** Run timers (offer timeouts, wrap-up, overflow) on their own; tests call tick() instead. */
  readonly timers: boolean;
  readonly routing?: RoutingOptions;
  /** Whether the phone trunk can ring a number now; calls to others answer `unreachable`. Any number when left out. */
  readonly reachable?: (number: string) => boolean;
}

export class Desk {
  readonly #o: DeskOptions;
  readonly #tenantId: string;
  readonly #gc: GroupCommit;
  readonly #queues: QueueBook;
  readonly #open = new OpenInteractions();
  readonly #audience: Audience;
  readonly #ledger: Ledger;
  readonly #router: Router;
  readonly #calls: Calls;
  readonly #transfers: Transfers;
  readonly #messages: MessageStore;
  readonly #conversations: Conversations;
  readonly #outbound: Outbound;
  readonly #supervise: Supervise;
  readonly #dispatch: Dispatch;
  readonly #reads: DeskReads;

  private constructor(o: DeskOptions) {
    this.#o = o;
    const tenantId = (this.#tenantId = o.tenantId);
    const { bus, clock } = o;
    const open = this.#open;
    // The hooks run only once the desk is built: after a batch, never during construction.
    const gc = (this.#gc = new GroupCommit({
      db: o.db,
      bus,
      tenantId,
      clock,
      rebuild: () => this.#rebuild(),
      settle: (tx) => this.#ledger.settle(tx),
      published: () => this.#audience.tellPositions(this.#router.engine),
      drained: () => this.#router.arm(),
      replay: async (db, id) => {
        const r = await findInteraction(db, tenantId, id);
        return r ? this.#ledger.wire(r) : null;
      },
    }));
    const queues = (this.#queues = new QueueBook(tenantId));
    const audience = (this.#audience = new Audience({ tenantId, gc, bus, open }));
    const ledger = (this.#ledger = new Ledger({ tenantId, gc, queues, open, audience }));
    const router = (this.#router = new Router({
      tenantId,
      gc,
      ledger,
      queues,
      clock,
      isOnline: o.isOnline,
      timers: o.timers,
      ...(o.routing ? { routing: o.routing } : {}),
      onDue: () => {
        this.run(() => this.tick()).catch((err: unknown) => o.log.error({ err }, 'routing tick failed'));
      },
    }));
    const endings = new Endings({ tenantId, ledger, router, queues });
    const calls = (this.#calls = new Calls({ tenantId, gc, ledger, router, audience, endings }));
    const reachable = o.reachable;
    const transfers = (this.#transfers = new Transfers({
      tenantId,
      gc,
      ledger,
      router,
      queues,
      audience,
      endings,
      reachable,
    }));
    this.#supervise = new Supervise({ tenantId, gc, ledger, router, endings, transfers });
    this.#dispatch = new Dispatch({ tenantId, gc, ledger, router, queues });
    this.#reads = new DeskReads({ tenantId, gc, ledger, router });
    const messages = (this.#messages = new MessageStore({ tenantId, gc, ledger, audience, clock }));
    const conversations = (this.#conversations = new Conversations({
      tenantId,
      gc,
      ledger,
      router,
      queues,
      audience,
      messages,
      open,
      calls,
      bus,
      clock,
    }));
    this.#outbound = new Outbound({ tenantId, gc, ledger, router, queues, audience, conversations, reachable });
  }

  /** Opens a desk: routing state rebuilt from the store. */
  static async open(options: DeskOptions): Promise<Desk> {
    const desk = new Desk(options);
    await desk.run(() => desk.#rebuild());
    return desk;
  }

  get tenantId(): string {
    return this.#tenantId;
  }

  /** Runs one operation after the ones before it, in the next batch (see {@link GroupCommit}). */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#gc.run(fn);
  }

  close(): void {
    this.#router.close();
  }

  #rebuild(): Promise<void> {
    const { clock, isOnline } = this.#o;
    return rebuild({
      tenantId: this.#tenantId,
      gc: this.#gc,
      ledger: this.#ledger,
      router: this.#router,
      queues: this.#queues,
      open: this.#open,
      audience: this.#audience,
      clock,
      isOnline,
    });
  }

  // ── reading (reads.ts) ────────────────────────────────────────────────────

  snapshot(agentId: string): Promise<{ interactions: Interaction[]; eventSeq: number }> {
    return this.#reads.snapshot(agentId);
  }

  replay(agentId: string, afterSeq: number, limit: number): Promise<BusEvents['interaction.changed'][] | null> {
    return this.#reads.replay(agentId, afterSeq, limit);
  }

  get(actor: Actor, id: string): Promise<Interaction> {
    return this.#reads.get(actor, id);
  }

  list(actor: Actor, opts: { open: boolean; limit: number }): Promise<Interaction[]> {
    return this.#reads.list(actor, opts);
  }

  waiting(queueIds: readonly string[], limit: number): Promise<WaitingEntry[]> {
    return this.#reads.waiting(queueIds, limit);
  }

  queueStats(queueId: string): { waiting: number; oldestArrivedAt: number | null } {
    return this.#reads.queueStats(queueId);
  }

  // ── contacts arriving and starting ────────────────────────────────────────

  /** A customer contact arrives in a queue (channel connectors; the demo API). */
  inbound(input: InboundInput): Promise<Interaction> {
    return this.#router.inbound(input);
  }

  /** An agent starts a call, SMS, WhatsApp or email from an address of a queue they serve. */
  outbound(actor: Actor, input: OutboundInput, requestId?: string): Promise<Interaction> {
    return this.#outbound.outbound(actor, input, requestId);
  }

  // ── actions ───────────────────────────────────────────────────────────────

  /** A supervisor joins, changes, leaves (`mode` null) or takes over an agent's call (rights checked by the caller). */
  async supervise(actor: SupervisorActor, id: string, op: SuperviseOp): Promise<Interaction> {
    const r = await findInteraction(this.#gc.db(), this.#tenantId, id);
    if (!r) throw new CodedError('not_found', `No interaction ${id}.`);
    return op.kind === 'intercept'
      ? this.#supervise.intercept(actor, r)
      : this.#supervise.monitor(actor, r, op.mode, op.notify);
  }

  /** A supervisor moves a waiting contact (another queue, an agent, a priority); rights checked by the caller. */
  dispatch(actor: Actor, id: string, op: DispatchOp): Promise<Interaction> {
    return this.#dispatch.move(actor, id, op);
  }

  /** An action of the agent on one of their interactions; a repeated `requestId` answers without acting twice. */
  async act(actor: Actor, id: string, action: AgentAction, requestId?: string): Promise<Interaction> {
    return this.#gc.idempotent(actor, requestId, action.type, id, async () => {
      const r = await this.#ledger.own(actor, id);
      const calls = this.#calls;
      const transfers = this.#transfers;
      switch (action.type) {
        case 'accept':
          return calls.accept(actor, r);
        case 'reject':
          return calls.reject(actor, r);
        case 'hangup':
          // Hanging up a consultation leg cancels the consultation.
          return r.consultationOf && r.direction === 'outbound'
            ? transfers.cancelConsult(actor, r)
            : calls.hangup(actor, r);
        case 'hold':
        case 'unhold':
          return calls.hold(actor, r, action.type);
        case 'mute':
        case 'unmute':
        case 'start_recording':
        case 'stop_recording':
          return calls.flag(actor, r, action.type);
        case 'handle':
          return calls.handle(actor, r, action);
        case 'wrapup':
          return calls.wrapup(actor, r, action);
        case 'transfer':
          return transfers.transfer(actor, r, action.to);
        case 'consult':
          return transfers.consult(actor, r, action.to);
        case 'cancel_consult':
          return transfers.cancelConsult(actor, r);
        case 'join':
        case 'conference':
          return transfers.joinOrConference(actor, r, action.type);
        case 'dtmf':
          return calls.dtmf(actor, r, action.digits);
        case 'drop':
          return transfers.dropParty(actor, r, action.party);
      }
    });
  }

  /** An agent takes a waiting contact from the picklist. */
  pick(actor: Actor, contactId: string, servedQueueIds: readonly string[], requestId?: string): Promise<Interaction> {
    return this.#calls.pick(actor, contactId, servedQueueIds, requestId);
  }

  /** The far party answers, hangs up, declines, does not answer, or cannot be reached. */
  remote(id: string, event: RemoteEvent): Promise<Interaction> {
    return this.#calls.remote(id, event);
  }

  /** The far party pressed keys during a call (RFC 4733 events): recorded in the interaction's event log. */
  remoteTones(id: string, digits: string): Promise<Interaction> {
    return this.#calls.remoteTones(id, digits);
  }

  /** A call whose agent's panel stayed away too long goes back to its queue, ahead of newer contacts. */
  requeue(id: string, reason: string): Promise<Interaction | null> {
    return this.#transfers.requeue(id, reason);
  }

  // ── conversations and messages ────────────────────────────────────────────

  /** A customer starts a chat: the conversation and its first interaction, routed to the queue. */
  startChat(input: ChatStartInput): Promise<{ conversationId: string; interaction: Interaction }> {
    return this.#conversations.startChat(input);
  }

  /** The id of the conversation a customer token opens, or null. */
  conversationIdByToken(tokenHash: string): Promise<string | null> {
    return this.#conversations.conversationIdByToken(tokenHash);
  }

  /** The conversation a customer token opens, with its history; null for an unknown token. */
  conversationByToken(tokenHash: string): Promise<ConversationView | null> {
    return this.#conversations.conversationByToken(tokenHash);
  }

  /** The messages of one of the agent's interactions' conversation, oldest first. */
  messages(actor: Actor, interactionId: string): Promise<Message[]> {
    return this.#conversations.messages(actor, interactionId);
  }

  /** An agent writes to the customer of a conversation they are in (chat, SMS, WhatsApp, email). */
  agentMessage(actor: Actor, interactionId: string, input: MessageInput): Promise<Message> {
    return this.#conversations.agentMessage(actor, interactionId, input);
  }

  /** A customer writes; the message goes to the conversation's current leg. */
  customerMessage(conversationId: string, input: MessageInput): Promise<Message> {
    return this.#conversations.customerMessage(conversationId, input);
  }

  /** A customer's SMS, WhatsApp message or email arrives (see {@link Conversations.inboundMessage}). */
  inboundMessage(input: InboundMessageInput): Promise<{ message: Message; interactionId: string; duplicate: boolean }> {
    return this.#conversations.inboundMessage(input);
  }

  /** A delivery report; statuses only move forward. Null for an unknown message. */
  messageStatus(input: {
    id?: string;
    externalId?: string;
    status: MessageStatus;
    error?: string;
    setExternalId?: string;
  }): Promise<Message | null> {
    return this.#messages.messageStatus(input);
  }

  /** One side of a chat saw the other's messages up to `messageId`: they become `read`. */
  markRead(
    reader: { agentId: string; interactionId: string } | { conversationId: string },
    messageId: string,
  ): Promise<number> {
    return this.#conversations.markRead(reader, messageId);
  }

  /** A stored outgoing message with what the dispatcher needs to send it; null unless still queued. */
  outgoing(messageId: string): Promise<OutgoingMessage | null> {
    return this.#messages.outgoing(messageId);
  }

  /** Outgoing messages stored but not yet handed over (after a restart), oldest first. */
  queuedMessageIds(limit = 1000): Promise<string[]> {
    return this.#messages.queuedMessageIds(limit);
  }

  /** A file a customer uploads to their chat, sent with their next message. */
  addAttachment(
    conversationId: string,
    file: { name: string; contentType: string; data: Buffer },
  ): Promise<{ id: string; name: string; content_type: string; size: number }> {
    return this.#messages.addAttachment(conversationId, file);
  }

  /** An attachment for its conversation's customer, or for an agent who served (or supervises) it. */
  attachment(
    id: string,
    reader: { conversationId: string } | { userId: string; supervisor: boolean },
  ): Promise<{ name: string; contentType: string; data: Buffer } | null> {
    return this.#messages.attachment(id, reader);
  }

  /** Someone types in a conversation: its other side hears of it. Only news: nothing is stored. */
  typing(from: { agentId: string; interactionId: string } | { conversationId: string }): void {
    this.#conversations.typing(from);
  }

  /** The customer leaves: a waiting chat is abandoned, a running one ends. */
  customerLeft(conversationId: string): Promise<void> {
    return this.#conversations.customerLeft(conversationId);
  }

  // ── routing inputs ────────────────────────────────────────────────────────

  /** The agent's stored state, memberships or connection changed. */
  async agentChanged(userId: string): Promise<void> {
    const spec = await this.#router.agentSpec(userId);
    await this.#gc.commit(null, async (tx) => {
      await this.#router.route(tx, { type: 'agent_updated', agent: spec });
    });
  }

  /** The agent's last panel went away: pending offers go elsewhere at once. */
  async agentDisconnected(userId: string): Promise<void> {
    await this.#gc.commit(null, (tx) => this.#router.disconnected(tx, userId));
  }

  /** A queue's configuration changed. */
  async queueChanged(): Promise<void> {
    await this.#queues.load(this.#gc.db());
    await this.#gc.commit(null, async (tx) => {
      for (const q of this.#queues.values())
        await this.#router.route(tx, { type: 'queue_configured', queue: specOf(q) });
    });
  }

  /** Runs whatever is due now: offer timeouts, overflow, preferred windows, direct offers, wrap-ups. */
  async tick(): Promise<void> {
    await this.#gc.commit(null, async (tx) => {
      await this.#router.route(tx, { type: 'tick' });
      await this.#router.due(tx);
    });
  }
}
