/**
 * The interactions service: one {@link Desk} per tenant, opened on first use
 * (or at start for tenants with open interactions), fed by the bus (agent
 * state, connections, queue changes). Every call runs on the tenant's desk,
 * one at a time.
 */
import type { Interaction, Message, MessageStatus } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Bus, BusEvents } from '../bus/index.ts';
import type { Logger } from '../log/index.ts';
import type { RoutingOptions } from '../routing/index.ts';
import type { Database } from '../store/index.ts';
import { Desk } from './desk.ts';
import type { SupervisorActor, SuperviseOp } from './supervise.ts';
import type { DispatchOp } from './dispatch.ts';
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

export interface InteractionServiceOptions {
  readonly db: Kysely<Database>;
  readonly bus: Bus;
  readonly log: Logger;
  /** Whether a user of a tenant has a panel connected (presence/'s `OnlineUsers`, kept by the agent gateway). */
  readonly isOnline: (tenantId: string, userId: string) => boolean;
  /** Milliseconds since the epoch; tests pass their own. Date.now by default. */
  readonly clock?: () => number;
  /** Run timers on their own (default); tests turn them off and call tick(). */
  readonly timers?: boolean;
  readonly routing?: RoutingOptions;
}

/** The voice plane as the desk asks it: whether a tenant's phone trunk can ring a number now. */
export interface Reachability {
  reachable(tenantId: string, number: string): boolean;
}

/** How many missed events a resuming panel gets replayed before it gets a snapshot instead. */
export const REPLAY_LIMIT = 500;

export class InteractionService {
  readonly #o: InteractionServiceOptions;
  readonly #desks = new Map<string, Promise<Desk>>();
  readonly #unsubscribe: Array<() => void>;
  #voice: Reachability | null = null;
  #closed = false;

  constructor(options: InteractionServiceOptions) {
    this.#o = options;
    const onError = (err: unknown) => options.log.error({ err }, 'routing update failed');
    this.#unsubscribe = [
      options.bus.subscribe('user.changed', (e) => {
        if (e.source === 'routing') return;
        // After the change's own answer has gone out (the desk's batch holds the store meanwhile).
        setImmediate(() => {
          if (!this.#closed) void this.#on(e.tenantId, (d) => d.agentChanged(e.userId)).catch(onError);
        });
      }),
      options.bus.subscribe('agent.connection', (e) => {
        void this.#on(e.tenantId, (d) =>
          e.connected ? d.agentChanged(e.userId) : d.agentDisconnected(e.userId),
        ).catch(onError);
      }),
      options.bus.subscribe('queue.changed', (e) => {
        void this.#on(e.tenantId, (d) => d.queueChanged()).catch(onError);
      }),
    ];
  }

  /**
   * The voice plane joins the desk: from now on an outbound call or a
   * transfer to a number is refused as `unreachable` when no phone answers
   * it. Without one (tests that play the far party) every number can ring.
   */
  connectVoice(voice: Reachability): void {
    this.#voice = voice;
  }

  /** Opens the desks of tenants with open interactions, so their timers run again after a restart. */
  async start(): Promise<void> {
    const tenants = await this.#o.db
      .selectFrom('interactions')
      .select('tenant_id')
      .where('state', 'in', ['incoming', 'outgoing', 'alerting', 'accepted', 'held', 'ended', 'wrap_up'])
      .groupBy('tenant_id')
      .execute();
    for (const t of tenants) await this.desk(t.tenant_id);
  }

  close(): void {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const desk of this.#desks.values()) void desk.then((d) => d.close()).catch(() => undefined);
  }

  /** The desks' clock, in ms (tests drive it). */
  now(): number {
    return (this.#o.clock ?? Date.now)();
  }

  /** The tenant's desk, opened once. */
  desk(tenantId: string): Promise<Desk> {
    let desk = this.#desks.get(tenantId);
    if (!desk) {
      const o = this.#o;
      desk = Desk.open({
        db: o.db,
        bus: o.bus,
        log: o.log,
        tenantId,
        isOnline: (userId) => o.isOnline(tenantId, userId),
        clock: o.clock ?? Date.now,
        timers: o.timers ?? true,
        ...(o.routing ? { routing: o.routing } : {}),
        reachable: (n: string) => this.#voice?.reachable(tenantId, n) ?? true,
      });
      // A desk that failed to open is tried again next time.
      desk.catch(() => this.#desks.delete(tenantId));
      this.#desks.set(tenantId, desk);
    }
    return desk;
  }

  async #on<T>(tenantId: string, fn: (desk: Desk) => Promise<T>): Promise<T> {
    const desk = await this.desk(tenantId);
    return desk.run(() => fn(desk));
  }

  inbound(tenantId: string, input: InboundInput): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.inbound(input));
  }

  outbound(tenantId: string, actor: Actor, input: OutboundInput, requestId?: string): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.outbound(actor, input, requestId));
  }

  act(tenantId: string, actor: Actor, id: string, action: AgentAction, requestId?: string): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.act(actor, id, action, requestId));
  }

  /** A supervisor on an agent's call (monitor, whisper, barge, leave, intercept); rights are the caller's to check. */
  supervise(tenantId: string, actor: SupervisorActor, id: string, op: SuperviseOp): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.supervise(actor, id, op));
  }

  /** A supervisor moves a waiting contact; rights are the caller's to check. */
  dispatch(tenantId: string, actor: Actor, id: string, op: DispatchOp): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.dispatch(actor, id, op));
  }

  pick(
    tenantId: string,
    actor: Actor,
    contactId: string,
    servedQueueIds: readonly string[],
    requestId?: string,
  ): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.pick(actor, contactId, servedQueueIds, requestId));
  }

  remote(tenantId: string, id: string, event: RemoteEvent): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.remote(id, event));
  }

  /** Keys the far party pressed during a call. */
  remoteTones(tenantId: string, id: string, digits: string): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.remoteTones(id, digits));
  }

  /** Puts a call back in its queue (its agent's panel stayed away). Null when there is nothing to requeue. */
  requeue(tenantId: string, id: string, reason: string): Promise<Interaction | null> {
    return this.#on(tenantId, (d) => d.requeue(id, reason));
  }

  get(tenantId: string, actor: Actor, id: string): Promise<Interaction> {
    return this.#on(tenantId, (d) => d.get(actor, id));
  }

  list(tenantId: string, actor: Actor, opts: { open: boolean; limit: number }): Promise<Interaction[]> {
    return this.#on(tenantId, (d) => d.list(actor, opts));
  }

  waiting(tenantId: string, queueIds: readonly string[], limit: number): Promise<WaitingEntry[]> {
    return this.#on(tenantId, (d) => d.waiting(queueIds, limit));
  }

  async queueStats(tenantId: string, queueId: string): Promise<{ waiting: number; oldestArrivedAt: number | null }> {
    return (await this.desk(tenantId)).queueStats(queueId);
  }

  /** The agent's open interactions, consistent with the event sequence returned. */
  snapshot(tenantId: string, agentId: string): Promise<{ interactions: Interaction[]; eventSeq: number }> {
    return this.#on(tenantId, (d) => d.snapshot(agentId));
  }

  /** The agent's events after `afterSeq`, or null when a snapshot is due instead. */
  replay(tenantId: string, agentId: string, afterSeq: number): Promise<BusEvents['interaction.changed'][] | null> {
    return this.#on(tenantId, (d) => d.replay(agentId, afterSeq, REPLAY_LIMIT));
  }

  startChat(tenantId: string, input: ChatStartInput): Promise<{ conversationId: string; interaction: Interaction }> {
    return this.#on(tenantId, (d) => d.startChat(input));
  }

  conversationIdByToken(tenantId: string, tokenHash: string): Promise<string | null> {
    return this.#on(tenantId, (d) => d.conversationIdByToken(tokenHash));
  }

  conversationByToken(tenantId: string, tokenHash: string): Promise<ConversationView | null> {
    return this.#on(tenantId, (d) => d.conversationByToken(tokenHash));
  }

  messages(tenantId: string, actor: Actor, interactionId: string): Promise<Message[]> {
    return this.#on(tenantId, (d) => d.messages(actor, interactionId));
  }

  agentMessage(tenantId: string, actor: Actor, interactionId: string, input: MessageInput): Promise<Message> {
    return this.#on(tenantId, (d) => d.agentMessage(actor, interactionId, input));
  }

  customerMessage(tenantId: string, conversationId: string, input: MessageInput): Promise<Message> {
    return this.#on(tenantId, (d) => d.customerMessage(conversationId, input));
  }

  /** A customer's SMS, WhatsApp message or email (from a webhook or the SMTP server). */
  inboundMessage(
    tenantId: string,
    input: InboundMessageInput,
  ): Promise<{ message: Message; interactionId: string; duplicate: boolean }> {
    return this.#on(tenantId, (d) => d.inboundMessage(input));
  }

  /** A delivery report for an outgoing message (by Parley's id or the provider's). */
  messageStatus(
    tenantId: string,
    input: { id?: string; externalId?: string; status: MessageStatus; error?: string; setExternalId?: string },
  ): Promise<Message | null> {
    return this.#on(tenantId, (d) => d.messageStatus(input));
  }

  /** One side of a chat read the other's messages up to one of them. */
  markRead(
    tenantId: string,
    reader: { agentId: string; interactionId: string } | { conversationId: string },
    messageId: string,
  ): Promise<number> {
    return this.#on(tenantId, (d) => d.markRead(reader, messageId));
  }

  outgoing(tenantId: string, messageId: string): Promise<OutgoingMessage | null> {
    return this.#on(tenantId, (d) => d.outgoing(messageId));
  }

  /** The tenants that have outgoing messages stored but not yet handed over (after a restart). */
  async tenantsWithQueuedMessages(): Promise<string[]> {
    const rows = await this.#o.db
      .selectFrom('messages')
      .select('tenant_id')
      .where('status', '=', 'queued')
      .where('direction', '=', 'out')
      .groupBy('tenant_id')
      .execute();
    return rows.map((r) => r.tenant_id);
  }

  queuedMessageIds(tenantId: string): Promise<string[]> {
    return this.#on(tenantId, (d) => d.queuedMessageIds());
  }

  addAttachment(
    tenantId: string,
    conversationId: string,
    file: { name: string; contentType: string; data: Buffer },
  ): Promise<{ id: string; name: string; content_type: string; size: number }> {
    return this.#on(tenantId, (d) => d.addAttachment(conversationId, file));
  }

  attachment(
    tenantId: string,
    id: string,
    reader: { conversationId: string } | { userId: string; supervisor: boolean },
  ): Promise<{ name: string; contentType: string; data: Buffer } | null> {
    return this.#on(tenantId, (d) => d.attachment(id, reader));
  }

  /** Typing news from an agent (for one of their interactions) or a customer. */
  async typing(
    tenantId: string,
    from: { agentId: string; interactionId: string } | { conversationId: string },
  ): Promise<void> {
    (await this.desk(tenantId)).typing(from);
  }

  customerLeft(tenantId: string, conversationId: string): Promise<void> {
    return this.#on(tenantId, (d) => d.customerLeft(conversationId));
  }

  /** Runs what is due now (tests drive time this way). */
  tick(tenantId: string): Promise<void> {
    return this.#on(tenantId, (d) => d.tick());
  }
}
