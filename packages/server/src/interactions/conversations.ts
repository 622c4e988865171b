/**
 * Conversations: a customer's web chat from start to leaving, SMS, WhatsApp
 * and email arriving and joining the conversation they continue, and what
 * agents and customers write in them. Messages are stored, with their
 * channel's rules applied, in the same transaction as their event.
 */
import { CHANNEL_TRAITS, type ChannelType, type Interaction, type Message } from '@parley/protocol';
import type { Bus, CustomerState } from '../bus/index.ts';
import { adapterOf } from '../channels/index.ts';
import { CodedError } from '@parley/protocol';
import type { MessageTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';
import type { Audience } from './audience.ts';
import type { Calls } from './calls.ts';
import type { GroupCommit, Tx } from './commit.ts';
import type { Actor, ChatStartInput, ConversationView, InboundMessageInput, MessageInput } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import type { MessageStore } from './messages.ts';
import type { OpenInteractions } from './open-set.ts';
import type { QueueBook } from './queue-book.ts';
import type { InteractionRecord } from './records.ts';
import type { Router } from './router.ts';
import { customerStateOf, isConsultLeg, TALKING } from './rules.ts';

/** Which way a message goes: from the customer, to them, or between agents. */
type Direction = 'in' | 'out' | 'internal';

export interface ConversationsOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly queues: QueueBook;
  readonly audience: Audience;
  readonly messages: MessageStore;
  readonly open: OpenInteractions;
  readonly calls: Calls;
  readonly bus: Bus;
  readonly clock: () => number;
}

export class Conversations {
  readonly #d: ConversationsOptions;

  constructor(o: ConversationsOptions) {
    this.#d = o;
  }

  /** A customer starts a chat: the conversation and its first interaction, routed to the queue. */
  async startChat(input: ChatStartInput): Promise<{ conversationId: string; interaction: Interaction }> {
    const queue = this.#d.queues.require(input.queueId);
    if (queue.channel !== 'chat') throw CodedError.invalidArgument(`queue: ${queue.name} is not a chat queue`);
    const conversationId = newId();
    await this.#d.gc
      .db()
      .insertInto('conversations')
      .values({
        id: conversationId,
        tenant_id: this.#d.tenantId,
        channel: 'chat',
        customer_name: input.name,
        customer_email: input.email,
        token_hash: input.tokenHash,
        interaction_id: '',
        state: 'open',
        created_at: nowIso(new Date(this.#d.clock())),
        customer_address: input.email,
        local_address: queue.addresses[0] ?? null,
        subject: null,
      })
      .execute();
    this.#d.gc.touch();
    const interaction = await this.#d.router.inbound({
      queueId: queue.id,
      from: input.email ? `${input.name} <${input.email}>` : input.name,
      conversationId,
      ...(input.attributes ? { attributes: input.attributes } : {}),
    });
    await this.#d.gc
      .db()
      .updateTable('conversations')
      .set({ interaction_id: interaction.id })
      .where('id', '=', conversationId)
      .execute();
    this.#d.audience.conversations.set(conversationId, { interactionId: interaction.id, told: 'waiting' });
    return { conversationId, interaction };
  }

  /** The id of the conversation a customer token opens, or null. */
  async conversationIdByToken(tokenHash: string): Promise<string | null> {
    const row = await this.#d.gc
      .db()
      .selectFrom('conversations')
      .select('id')
      .where('tenant_id', '=', this.#d.tenantId)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The conversation a customer token opens, with its history; null for an unknown token. */
  async conversationByToken(tokenHash: string): Promise<ConversationView | null> {
    const row = await this.#d.gc
      .db()
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', this.#d.tenantId)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    const current = this.#d.open.get(row.interaction_id);
    const state: CustomerState = row.state !== 'open' ? 'closed' : customerStateOf(current?.state ?? 'incoming');
    const position =
      state === 'waiting' ? this.#d.audience.positionOf(this.#d.router.engine, row.interaction_id) : undefined;
    const estimate =
      position !== undefined && current?.queueId ? this.#d.audience.estimate(current.queueId, position) : undefined;
    return {
      id: row.id,
      state,
      agent:
        state === 'connected' && current?.agentId
          ? await this.#d.audience.displayName(this.#d.gc.db(), current.agentId)
          : null,
      ...(position === undefined ? {} : { position }),
      ...(estimate === undefined ? {} : { estimatedWaitSeconds: estimate }),
      messages: await this.#d.messages.messagesOf(row.id, 'customer'),
    };
  }

  /** The messages of one of the agent's interactions' conversation, oldest first. */
  async messages(actor: Actor, interactionId: string): Promise<Message[]> {
    const r = await this.#d.ledger.own(actor, interactionId);
    return r.conversationId ? this.#d.messages.messagesOf(r.conversationId) : [];
  }

  /** An agent writes to the customer of a conversation they are in (chat, SMS, WhatsApp, email). */
  async agentMessage(actor: Actor, interactionId: string, input: MessageInput): Promise<Message> {
    const r = await this.#d.ledger.own(actor, interactionId);
    if (!r.conversationId)
      throw CodedError.invalidArgument(`message: interaction ${r.id} has no conversation to write to`);
    if (!TALKING.has(r.state))
      throw new CodedError(
        'invalid_state',
        `Interaction ${r.id} is ${r.state}; messages go to conversations in progress.`,
      );
    // On a consultation's leg the agents write to each other, next to the customer's transcript.
    return this.#postMessage(
      r.conversationId,
      r,
      isConsultLeg(r) && !r.conference ? 'internal' : 'out',
      actor.id,
      input,
    );
  }

  /** A customer writes; the message goes to the conversation's current leg. */
  async customerMessage(conversationId: string, input: MessageInput): Promise<Message> {
    const current = this.#d.audience.conversations.get(conversationId);
    const r = current ? this.#d.open.get(current.interactionId) : undefined;
    if (!current || !r) throw new CodedError('invalid_state', 'This conversation has ended; start a new one.');
    return this.#postMessage(conversationId, r, 'in', null, input);
  }

  /**
   * A customer's SMS, WhatsApp message or email arrives. It joins the
   * conversation it continues (the same number and queue address; for email
   * the thread of `In-Reply-To`/`References`) while that is in progress;
   * otherwise a new interaction is routed to the queue, in the same
   * conversation when there was one (its history stays together, its last
   * agent is preferred). A repeated provider id is answered, not stored again.
   */
  async inboundMessage(
    input: InboundMessageInput,
  ): Promise<{ message: Message; interactionId: string; duplicate: boolean }> {
    const queue = this.#d.queues.require(input.queueId);
    if (queue.channel !== input.channel)
      throw CodedError.invalidArgument(`to: ${input.to} is a ${queue.channel} address, not ${input.channel}`);
    if (input.externalId) {
      const seen = await this.#d.gc
        .db()
        .selectFrom('messages')
        .selectAll()
        .where('tenant_id', '=', this.#d.tenantId)
        .where('external_id', '=', input.externalId)
        .executeTakeFirst();
      if (seen) {
        const [message] = await this.#d.messages.wireMessages([seen]);
        if (message) return { message, interactionId: seen.interaction_id, duplicate: true };
      }
    }
    return this.#d.gc.commit(null, async (tx) => {
      const adapter = adapterOf(input.channel);
      let conversationId = await adapter.match(tx, this.#d.tenantId, input);
      let r: InteractionRecord | undefined;
      if (conversationId) {
        const entry = this.#d.audience.conversations.get(conversationId);
        r = entry ? this.#d.open.get(entry.interactionId) : undefined;
        // A conversation that ended (or is being wrapped up) gets a new interaction.
        if (r && !(r.state === 'incoming' || r.state === 'alerting' || TALKING.has(r.state))) r = undefined;
      }
      if (!r) {
        let preferredAgentId: string | undefined;
        let customerId: string | undefined;
        if (conversationId) {
          const last = await tx.trx
            .selectFrom('interactions')
            .select(['agent_id', 'customer_id'])
            .where('tenant_id', '=', this.#d.tenantId)
            .where('conversation_id', '=', conversationId)
            .where('agent_id', 'is not', null)
            .where('consultation_of', 'is', null)
            .orderBy('created_at', 'desc')
            .executeTakeFirst();
          preferredAgentId = last?.agent_id ?? undefined;
          customerId = last?.customer_id ?? undefined;
          await tx.trx.updateTable('conversations').set({ state: 'open' }).where('id', '=', conversationId).execute();
        } else {
          conversationId = await this.newConversation(tx, {
            channel: input.channel,
            name: input.name || input.from,
            address: input.from,
            local: input.to,
            subject: input.subject ?? null,
          });
        }
        r = await this.#d.router.arrive(tx, queue, {
          from: input.name && input.channel === 'email' ? `${input.name} <${input.from}>` : input.from,
          to: input.to,
          ...(input.subject ? { subject: input.subject } : {}),
          conversationId,
          ...(preferredAgentId ? { preferredAgentId } : {}),
          ...(customerId ? { customerId } : {}),
          ...(input.name ? { name: input.name } : {}),
        });
        await tx.trx
          .updateTable('conversations')
          .set({ interaction_id: r.id })
          .where('id', '=', conversationId)
          .execute();
        this.#d.audience.conversations.set(conversationId, { interactionId: r.id, told: 'waiting' });
        this.#d.gc.touch();
      }
      if (!r.conversationId) throw new Error(`interaction ${r.id} lost its conversation`);
      const message = await this.storeMessage(
        tx,
        r.conversationId,
        r,
        'in',
        null,
        { content: input.content, ...(input.subject ? { subject: input.subject } : {}) },
        {
          external_id: input.externalId ?? null,
          html: input.html ?? null,
          meta: adapter.inboundMeta(input),
        },
        input.attachments ?? [],
      );
      return { message, interactionId: r.id, duplicate: false };
    });
  }

  /** One side of a chat saw the other's messages up to `messageId`: they become `read`. */
  async markRead(
    reader: { agentId: string; interactionId: string } | { conversationId: string },
    messageId: string,
  ): Promise<number> {
    let conversationId: string;
    if ('agentId' in reader) {
      const r = await this.#d.ledger.own({ id: reader.agentId, username: '' }, reader.interactionId);
      // A consulted colleague reading the transcript has not answered the customer.
      if (!r.conversationId || isConsultLeg(r)) return 0;
      conversationId = r.conversationId;
    } else conversationId = reader.conversationId;
    const upTo = await this.#d.gc
      .db()
      .selectFrom('messages')
      .select(['created_at', 'direction'])
      .where('id', '=', messageId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (!upTo) throw new CodedError('not_found', `No message ${messageId} in this conversation.`);
    const direction = 'agentId' in reader ? 'in' : 'out';
    const unread = await this.#d.gc
      .db()
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', direction)
      .where('internal', '=', 0)
      .where('status', 'in', ['sent', 'delivered'])
      .where('created_at', '<=', upTo.created_at)
      .execute();
    for (const m of unread) await this.#d.messages.messageStatus({ id: m.id, status: 'read' });
    return unread.length;
  }

  /** Someone types in a conversation: its other side hears of it. Only news: nothing is stored. */
  typing(from: { agentId: string; interactionId: string } | { conversationId: string }): void {
    let r: InteractionRecord | undefined;
    if ('agentId' in from) {
      r = this.#d.open.get(from.interactionId);
      if (!r || r.agentId !== from.agentId || !TALKING.has(r.state) || isConsultLeg(r)) return;
    } else {
      const entry = this.#d.audience.conversations.get(from.conversationId);
      r = entry ? this.#d.open.get(entry.interactionId) : undefined;
    }
    if (!r?.conversationId) return;
    this.#d.bus.publish('conversation.typing', {
      tenantId: this.#d.tenantId,
      conversationId: r.conversationId,
      interactionId: r.id,
      agentId: r.agentId,
      from: 'agentId' in from ? 'agent' : 'customer',
    });
  }

  /** The customer leaves: a waiting chat is abandoned, a running one ends. */
  async customerLeft(conversationId: string): Promise<void> {
    const current = this.#d.audience.conversations.get(conversationId);
    const r = current ? this.#d.open.get(current.interactionId) : undefined;
    if (!r || !(r.state === 'incoming' || r.state === 'alerting' || TALKING.has(r.state))) return;
    await this.#d.calls.remote(r.id, 'hangup');
  }

  async newConversation(
    tx: Tx,
    c: {
      channel: ChannelType;
      name: string;
      email?: string | null;
      address: string;
      local: string;
      subject: string | null;
      tokenHash?: string;
    },
  ): Promise<string> {
    const id = newId();
    await tx.trx
      .insertInto('conversations')
      .values({
        id,
        tenant_id: this.#d.tenantId,
        channel: c.channel,
        customer_name: c.name.slice(0, 200),
        customer_email: c.email ?? (c.channel === 'email' ? c.address : null),
        token_hash: c.tokenHash ?? null,
        interaction_id: '',
        state: 'open',
        created_at: nowIso(new Date(tx.now)),
        customer_address: c.address,
        local_address: c.local,
        subject: c.subject,
      })
      .execute();
    return id;
  }

  /** The consulted party's legs of a consultation on `r` in progress. */
  #consultedOn(r: InteractionRecord): InteractionRecord[] {
    if (!r.agentId) return [];
    return this.#d.open
      .ofAgent(r.agentId)
      .filter((leg) => leg.consultationOf === r.id && leg.direction === 'outbound' && leg.peerId)
      .flatMap((leg) => {
        const peer = leg.peerId ? this.#d.open.get(leg.peerId) : undefined;
        return peer && TALKING.has(peer.state) ? [peer] : [];
      });
  }

  async #postMessage(
    conversationId: string,
    r: InteractionRecord,
    direction: Direction,
    authorId: string | null,
    input: MessageInput,
  ): Promise<Message> {
    if (input.clientMessageId) {
      const seen = await this.#d.gc
        .db()
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', direction === 'in' ? 'in' : 'out')
        .where('internal', '=', direction === 'internal' ? 1 : 0)
        .where('client_message_id', '=', input.clientMessageId)
        .executeTakeFirst();
      // A resend of a stored message is the same message: acknowledged again, stored once.
      const [message] = seen ? await this.#d.messages.wireMessages([seen]) : [];
      if (message) return message;
    }
    return this.#d.gc.commit(authorId, (tx) => this.storeMessage(tx, conversationId, r, direction, authorId, input));
  }

  /**
   * Stores one message and its event. An agent's SMS, WhatsApp or email is
   * stored `queued` for the dispatcher, with the channel's rules applied
   * first: WhatsApp's 24-hour window and templates, email's thread headers.
   */
  async storeMessage(
    tx: Tx,
    conversationId: string,
    r: InteractionRecord,
    direction: Direction,
    authorId: string | null,
    input: MessageInput,
    extra: { external_id?: string | null; html?: string | null; meta?: Record<string, unknown> | null } = {},
    files: ReadonlyArray<{ name: string; contentType: string; data: Buffer }> = [],
  ): Promise<Message> {
    if (direction === 'out') {
      const refused = adapterOf(r.channel).refuse(input);
      if (refused) throw CodedError.invalidArgument(refused);
    }
    const internal = direction === 'internal';
    const id = newId();
    const external = direction === 'out' && CHANNEL_TRAITS[r.channel].external;
    let body = input.content;
    let subject = input.subject ?? null;
    let externalId = extra.external_id ?? null;
    let meta = extra.meta ?? null;
    if (external) {
      // The channel's rules: WhatsApp's window and templates, email's recipients and thread headers.
      const prepared = await adapterOf(r.channel).prepare(tx, {
        tenantId: this.#d.tenantId,
        conversationId,
        messageId: id,
        localAddress: r.localAddress,
        input,
      });
      body = prepared.body ?? body;
      subject = prepared.subject ?? subject;
      externalId = prepared.externalId ?? externalId;
      meta = prepared.meta ?? meta;
    }
    if (body.trim() === '' && !input.attachmentIds?.length)
      throw CodedError.invalidArgument('content: write something');
    const row: MessageTable = {
      id,
      tenant_id: this.#d.tenantId,
      conversation_id: conversationId,
      interaction_id: r.id,
      direction: internal ? 'out' : direction,
      author_id: authorId,
      client_message_id: input.clientMessageId ?? null,
      body,
      status: external ? 'queued' : 'sent',
      created_at: nowIso(new Date(tx.now)),
      subject,
      html: extra.html ?? null,
      external_id: externalId,
      error: null,
      meta: meta ? JSON.stringify(meta) : null,
      internal: internal ? 1 : 0,
    };
    await tx.trx.insertInto('messages').values(row).execute();
    if (input.attachmentIds?.length) {
      const linked = await tx.trx
        .updateTable('attachments')
        .set({ message_id: id })
        .where('conversation_id', '=', conversationId)
        .where('message_id', 'is', null)
        .where('id', 'in', [...input.attachmentIds])
        .executeTakeFirst();
      if (Number(linked.numUpdatedRows) !== new Set(input.attachmentIds).size)
        throw CodedError.invalidArgument('attachments: upload each file to this conversation first, and send it once');
    }
    for (const f of files)
      await tx.trx
        .insertInto('attachments')
        .values({
          id: newId(),
          tenant_id: this.#d.tenantId,
          conversation_id: conversationId,
          message_id: id,
          name: f.name,
          content_type: f.contentType,
          size: f.data.length,
          data: f.data.toString('base64'),
          created_at: row.created_at,
        })
        .execute();
    if (external) tx.queued.push(id);
    const [message] = await this.#d.messages.wireMessages([row]);
    if (!message) throw new Error(`message ${id} vanished`);
    await this.#d.ledger.write(tx, r, 'message', r.agentId, { message });
    if (internal) {
      // Both ends of the consultation hear it; the customer never does.
      const peer = r.peerId ? await this.#d.ledger.find(tx.trx, r.peerId) : null;
      if (peer && TALKING.has(peer.state)) await this.#d.ledger.write(tx, peer, 'message', peer.agentId, { message });
    } else {
      if (r.channel === 'chat') tx.customers.push({ tenantId: this.#d.tenantId, conversationId, message });
      // A colleague consulted on the conversation follows it live.
      for (const consulted of this.#consultedOn(r))
        await this.#d.ledger.write(tx, consulted, 'message', consulted.agentId, { message });
    }
    return message;
  }
}
