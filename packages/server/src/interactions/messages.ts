/**
 * The messages of conversations as stored, and as the wire has them:
 * delivery reports that only move forward, what the dispatcher sends,
 * and the files of a chat.
 */
import { idFrom, parseInteractionId } from '@parley/protocol';
import { CHANNEL_TRAITS, isExternalChannel, type Message, type MessageStatus } from '@parley/protocol';
import { CodedError } from '@parley/protocol';
import { parseMeta, strings } from '../channels/index.ts';
import type { AttachmentTable, MessageTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';
import type { Audience } from './audience.ts';
import type { GroupCommit } from './commit.ts';
import type { OutgoingMessage } from './inputs.ts';
import type { Ledger } from './ledger.ts';

export interface MessageStoreOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly audience: Audience;
  readonly clock: () => number;
}

export class MessageStore {
  readonly #d: MessageStoreOptions;

  constructor(o: MessageStoreOptions) {
    this.#d = o;
  }

  /**
   * A delivery report: the provider or relay took, delivered or failed an
   * outgoing message, or a chat side read it. Statuses only move forward
   * (a late `sent` after `delivered` changes nothing). Null for an unknown message.
   */
  async messageStatus(input: {
    id?: string;
    externalId?: string;
    status: MessageStatus;
    error?: string;
    /** The provider's id, learnt when it accepted the message. */
    setExternalId?: string;
  }): Promise<Message | null> {
    let query = this.#d.gc.db().selectFrom('messages').selectAll().where('tenant_id', '=', this.#d.tenantId);
    if (input.id) query = query.where('id', '=', input.id);
    else if (input.externalId) query = query.where('external_id', '=', input.externalId);
    else return null;
    const row = await query.executeTakeFirst();
    if (!row) return null;
    const rank = STATUS_RANK[input.status];
    const forward =
      input.status === 'failed'
        ? row.status === 'queued' || row.status === 'sent'
        : rank > STATUS_RANK[row.status as MessageStatus];
    if (!forward && !(input.setExternalId && !row.external_id)) return (await this.wireMessages([row]))[0] ?? null;
    return this.#d.gc.commit(null, async (tx) => {
      const set = {
        ...(forward ? { status: input.status } : {}),
        ...(input.status === 'failed' ? { error: (input.error ?? 'delivery failed').slice(0, 500) } : {}),
        ...(input.setExternalId && !row.external_id ? { external_id: input.setExternalId } : {}),
      };
      await tx.trx.updateTable('messages').set(set).where('id', '=', row.id).execute();
      const updated = { ...row, ...set };
      const [message] = await this.wireMessages([updated]);
      if (!message) throw new Error(`message ${row.id} vanished`);
      const r = await this.#d.ledger.find(tx.trx, row.interaction_id);
      if (r && forward) await this.#d.ledger.write(tx, r, 'message_status', r.agentId, { message });
      const conversation = this.#d.audience.conversations.get(row.conversation_id);
      if (conversation && forward && !row.internal)
        tx.customers.push({ tenantId: this.#d.tenantId, conversationId: row.conversation_id, message });
      return message;
    });
  }

  /** A stored outgoing message with what the dispatcher needs to send it; null unless still queued. */
  async outgoing(messageId: string): Promise<OutgoingMessage | null> {
    const row = await this.#d.gc
      .db()
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select([
        'messages.id',
        'messages.body',
        'messages.subject',
        'messages.status',
        'messages.external_id',
        'messages.meta',
        'conversations.channel',
        'conversations.customer_address',
        'conversations.local_address',
      ])
      .where('messages.tenant_id', '=', this.#d.tenantId)
      .where('messages.id', '=', messageId)
      .where('messages.direction', '=', 'out')
      .executeTakeFirst();
    if (!row || row.status !== 'queued') return null;
    if (!isExternalChannel(row.channel)) return null;
    const meta = parseMeta(row.meta);
    const files = await this.#d.gc
      .db()
      .selectFrom('attachments')
      .select(['name', 'content_type', 'data'])
      .where('message_id', '=', row.id)
      .execute();
    return {
      id: row.id,
      channel: row.channel,
      from: typeof meta['from'] === 'string' ? meta['from'] : (row.local_address ?? ''),
      to: strings(meta['to']).length ? strings(meta['to']) : row.customer_address ? [row.customer_address] : [],
      cc: strings(meta['cc']),
      subject: row.subject,
      content: row.body,
      messageId: CHANNEL_TRAITS[row.channel].threaded ? row.external_id : null,
      inReplyTo: typeof meta['in_reply_to'] === 'string' ? meta['in_reply_to'] : null,
      references: strings(meta['references']),
      attachments: files.map((f) => ({
        name: f.name,
        contentType: f.content_type,
        data: Buffer.from(f.data, 'base64'),
      })),
      status: row.status,
    };
  }

  /** Outgoing messages stored but not yet handed over (after a restart), oldest first. */
  async queuedMessageIds(limit = 1000): Promise<string[]> {
    const rows = await this.#d.gc
      .db()
      .selectFrom('messages')
      .select('id')
      .where('tenant_id', '=', this.#d.tenantId)
      .where('status', '=', 'queued')
      .where('direction', '=', 'out')
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A file a customer uploads to their chat, sent with their next message. */
  async addAttachment(
    conversationId: string,
    file: { name: string; contentType: string; data: Buffer },
  ): Promise<{ id: string; name: string; content_type: string; size: number }> {
    if (!this.#d.audience.conversations.has(conversationId))
      throw new CodedError('invalid_state', 'This conversation has ended; start a new one.');
    const row: AttachmentTable = {
      id: newId(),
      tenant_id: this.#d.tenantId,
      conversation_id: conversationId,
      message_id: null,
      name: file.name,
      content_type: file.contentType,
      size: file.data.length,
      data: file.data.toString('base64'),
      created_at: nowIso(new Date(this.#d.clock())),
    };
    await this.#d.gc.db().insertInto('attachments').values(row).execute();
    return { id: row.id, name: row.name, content_type: row.content_type, size: row.size };
  }

  /** An attachment for its conversation's customer, or for an agent who served (or supervises) it. */
  async attachment(
    id: string,
    reader: { conversationId: string } | { userId: string; supervisor: boolean },
  ): Promise<{ name: string; contentType: string; data: Buffer } | null> {
    const row = await this.#d.gc
      .db()
      .selectFrom('attachments')
      .selectAll()
      .where('tenant_id', '=', this.#d.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    if ('conversationId' in reader) {
      if (row.conversation_id !== reader.conversationId) return null;
    } else if (!reader.supervisor) {
      const served = await this.#d.gc
        .db()
        .selectFrom('interactions')
        .select('id')
        .where('tenant_id', '=', this.#d.tenantId)
        .where('conversation_id', '=', row.conversation_id)
        .where('agent_id', '=', reader.userId)
        .executeTakeFirst();
      if (!served) throw CodedError.forbidden(`Attachment ${id} belongs to a conversation you did not serve.`);
    }
    return { name: row.name, contentType: row.content_type, data: Buffer.from(row.data, 'base64') };
  }

  /** A conversation's messages, oldest first; for its customer, without what agents wrote to each other. */
  async messagesOf(conversationId: string, reader: 'agent' | 'customer' = 'agent'): Promise<Message[]> {
    let query = this.#d.gc.db().selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    if (reader === 'customer') query = query.where('internal', '=', 0);
    const rows = await query.orderBy('created_at').orderBy('id').limit(1000).execute();
    return this.wireMessages(rows);
  }

  /** Messages as the wire has them: authors' names and attachments looked up once for all. */
  async wireMessages(rows: readonly MessageTable[]): Promise<Message[]> {
    if (rows.length === 0) return [];
    const db = this.#d.gc.db();
    const conversationIds = [...new Set(rows.map((m) => m.conversation_id))];
    const customers = await db
      .selectFrom('conversations')
      .select(['id', 'customer_name'])
      .where('id', 'in', conversationIds)
      .execute();
    const customerNames = new Map(customers.map((c) => [c.id, c.customer_name]));
    const agentIds = [...new Set(rows.flatMap((m) => (m.author_id ? [m.author_id] : [])))];
    const agents = agentIds.length
      ? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', agentIds).execute()
      : [];
    const names = new Map(agents.map((a) => [a.id, a.display_name]));
    const files = await db
      .selectFrom('attachments')
      .select(['id', 'message_id', 'name', 'content_type', 'size'])
      .where(
        'message_id',
        'in',
        rows.map((m) => m.id),
      )
      .execute();
    const byMessage = new Map<string, Array<{ id: string; name: string; content_type: string; size: number }>>();
    for (const f of files)
      if (f.message_id)
        byMessage.set(f.message_id, [
          ...(byMessage.get(f.message_id) ?? []),
          { id: f.id, name: f.name, content_type: f.content_type, size: Number(f.size) },
        ]);
    return rows.map((m) =>
      toWireMessage(
        m,
        m.author_id ? (names.get(m.author_id) ?? 'Agent') : (customerNames.get(m.conversation_id) ?? 'Customer'),
        byMessage.get(m.id) ?? [],
      ),
    );
  }
}

const STATUS_RANK: Record<MessageStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

function toWireMessage(
  m: MessageTable,
  author: string,
  attachments: ReadonlyArray<{ id: string; name: string; content_type: string; size: number }>,
): Message {
  const meta = parseMeta(m.meta);
  const status = (m.status in STATUS_RANK ? m.status : 'sent') as MessageStatus;
  return {
    id: m.id,
    conversation_id: m.conversation_id,
    interaction_id: idFrom(parseInteractionId, m.interaction_id, 'interaction_id'),
    direction: m.direction === 'out' ? 'out' : 'in',
    author,
    content: m.body,
    status,
    created: m.created_at,
    ...(m.client_message_id ? { client_message_id: m.client_message_id } : {}),
    ...(m.subject ? { subject: m.subject } : {}),
    ...(m.html ? { html: m.html } : {}),
    ...(typeof meta['from'] === 'string' ? { from: meta['from'] } : {}),
    ...(Array.isArray(meta['to']) ? { to: strings(meta['to']) } : {}),
    ...(strings(meta['cc']).length ? { cc: strings(meta['cc']) } : {}),
    ...(strings(meta['media']).length ? { media: strings(meta['media']) } : {}),
    ...(typeof meta['template_id'] === 'string' ? { template_id: meta['template_id'] } : {}),
    ...(attachments.length ? { attachments } : {}),
    ...(m.error ? { error: m.error } : {}),
    ...(m.internal ? { internal: true as const } : {}),
  };
}
