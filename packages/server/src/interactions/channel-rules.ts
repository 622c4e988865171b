/**
 * What is particular to a channel when an agent writes: the fields a
 * channel takes, WhatsApp's 24-hour window and templates, and email's
 * recipients, subject and thread headers.
 */
import type { ChannelType } from '@parley/protocol';
import { CodedError } from '@parley/protocol';
import type { Tx } from './commit.ts';
import type { InboundMessageInput, MessageInput } from './inputs.ts';
import { parseMeta, strings } from './messages.ts';
import type { InteractionRecord } from './records.ts';
import { EMAIL } from './rules.ts';

/** How long after the customer's last WhatsApp message free text may be sent. */
const WHATSAPP_WINDOW_MS = 24 * 3600 * 1000;

/** What an agent's message may not carry on its channel, or null when it fits. */
export function refuseFields(channel: ChannelType, input: MessageInput): string | null {
  if (channel !== 'email' && input.content.length > 4000)
    return 'content: at most 4000 characters (longer texts go by email)';
  if (channel !== 'email' && (input.subject !== undefined || input.to !== undefined || input.cc !== undefined))
    return 'subject, to and cc are for email only';
  if (input.templateId !== undefined && channel !== 'whatsapp') return 'template_id: templates are for WhatsApp only';
  return null;
}

/** `Re: subject`, without piling up prefixes. */
function reply(subject: string): string {
  return /^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`;
}

/** The tenant's WhatsApp templates from its settings (`whatsapp_templates: [{id, body}]`). */
export function whatsappTemplates(settingsJson: string): Array<{ id: string; name: string; body: string }> {
  const templates = parseMeta(settingsJson)['whatsapp_templates'];
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t: unknown) => {
    if (typeof t !== 'object' || t === null) return [];
    const { id, name, body } = t as Record<string, unknown>;
    return typeof id === 'string' && typeof body === 'string'
      ? [{ id, name: typeof name === 'string' ? name : id, body }]
      : [];
  });
}

/**
 * WhatsApp lets a business write free text only within 24 hours of the
 * customer's last message; otherwise (and to a number that never wrote)
 * only an approved template. Returns the template to send, if one is used.
 */
export async function whatsappRule(
  tx: Tx,
  tenantId: string,
  conversationId: string,
  input: MessageInput,
): Promise<{ id: string; body: string } | null> {
  if (input.templateId !== undefined) {
    const row = await tx.trx.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
    const template = whatsappTemplates(row?.settings ?? '{}').find((t) => t.id === input.templateId);
    if (!template)
      throw CodedError.invalidArgument(`template_id: no WhatsApp template ${JSON.stringify(input.templateId)}`);
    return template;
  }
  const c = await tx.trx
    .selectFrom('conversations')
    .select(['customer_address', 'local_address'])
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  const last = await tx.trx
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select('messages.created_at')
    .where('messages.tenant_id', '=', tenantId)
    .where('conversations.channel', '=', 'whatsapp')
    .where('conversations.customer_address', '=', c.customer_address)
    .where('messages.direction', '=', 'in')
    .orderBy('messages.created_at', 'desc')
    .executeTakeFirst();
  if (!last)
    throw new CodedError(
      'template_required',
      `${c.customer_address ?? 'This number'} has never written to you on WhatsApp: the first message must be a template.`,
    );
  if (tx.now - Date.parse(last.created_at) > WHATSAPP_WINDOW_MS)
    throw new CodedError(
      'template_required',
      `The customer last wrote ${last.created_at}, more than 24 hours ago: WhatsApp allows only a template now.`,
    );
  return null;
}

/**
 * An agent's email: its recipients (the customer unless named), its subject
 * (`Re:` the conversation's), its Message-ID and the thread it answers.
 */
export async function prepareEmail(
  tx: Tx,
  conversationId: string,
  r: InteractionRecord,
  messageId: string,
  input: MessageInput,
): Promise<{ subject: string; externalId: string; meta: Record<string, unknown> }> {
  const conversation = await tx.trx
    .selectFrom('conversations')
    .select(['customer_address', 'subject'])
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  const last = await tx.trx
    .selectFrom('messages')
    .select(['external_id', 'meta'])
    .where('conversation_id', '=', conversationId)
    .where('external_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const to = input.to?.length ? [...input.to] : conversation.customer_address ? [conversation.customer_address] : [];
  for (const address of [...to, ...(input.cc ?? [])])
    if (!EMAIL.test(address))
      throw CodedError.invalidArgument(`to: ${JSON.stringify(address)} is not an email address`);
  if (to.length === 0) throw CodedError.invalidArgument('to: name at least one recipient');
  const subject = input.subject ?? (conversation.subject ? reply(conversation.subject) : null);
  if (!subject) throw CodedError.invalidArgument('subject: an email needs a subject');
  const domain = r.localAddress.split('@')[1] ?? 'parley.local';
  const references = last?.external_id ? [...strings(parseMeta(last.meta)['references']), last.external_id] : [];
  return {
    subject,
    externalId: `<${messageId}@${domain}>`,
    meta: {
      from: r.localAddress,
      to,
      cc: input.cc ?? [],
      ...(last?.external_id ? { in_reply_to: last.external_id } : {}),
      references: references.slice(-20),
    },
  };
}

/**
 * The conversation an inbound message continues, if any: for email the
 * thread its `In-Reply-To`/`References` answer; for SMS and WhatsApp the
 * latest conversation between the same number and queue address.
 */
export async function matchConversation(
  tx: Tx,
  tenantId: string,
  input: Pick<InboundMessageInput, 'channel' | 'thread' | 'from' | 'to'>,
): Promise<string | null> {
  if (input.channel === 'email') {
    if (!input.thread?.length) return null;
    const answered = await tx.trx
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select('messages.conversation_id')
      .where('messages.tenant_id', '=', tenantId)
      .where('messages.external_id', 'in', [...input.thread])
      .where('conversations.channel', '=', 'email')
      .orderBy('messages.created_at', 'desc')
      .executeTakeFirst();
    return answered?.conversation_id ?? null;
  }
  const latest = await tx.trx
    .selectFrom('conversations')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('channel', '=', input.channel)
    .where('customer_address', '=', input.from)
    .where('local_address', '=', input.to)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return latest?.id ?? null;
}
