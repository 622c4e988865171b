/**
 * Email: in through Parley's SMTP server (smtp.ts), out through the
 * operator's relay (mailer.ts). Replies thread by headers: an agent's email
 * gets a Message-ID and answers the thread's last one (In-Reply-To,
 * References), and an inbound email continues the conversation whose
 * message it answers.
 */
import { CodedError } from '@parley/protocol';
import type { ChannelAdapter, ChannelTx, Draft, Prepared, Sender } from '../adapter.ts';
import { EMAIL, parseMeta, strings } from '../common.ts';
import { MailError } from './mailer.ts';

export { SmtpMailer, MailError } from './mailer.ts';
export { InboundSmtp, type InboundSmtpOptions, type SmtpLimits } from './smtp.ts';
export { sanitizeEmailHtml } from './sanitize.ts';

/** `Re: subject`, without piling up prefixes. */
function reply(subject: string): string {
  return /^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`;
}

/** An agent's email: its recipients (the customer unless named), its subject (`Re:` the conversation's), its Message-ID and the thread it answers. */
async function prepare(tx: ChannelTx, draft: Draft): Promise<Prepared> {
  const { conversationId, input } = draft;
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
  const domain = draft.localAddress.split('@')[1] ?? 'parley.local';
  const references = last?.external_id ? [...strings(parseMeta(last.meta)['references']), last.external_id] : [];
  return {
    subject,
    externalId: `<${draft.messageId}@${domain}>`,
    meta: {
      from: draft.localAddress,
      to,
      cc: input.cc ?? [],
      ...(last?.external_id ? { in_reply_to: last.external_id } : {}),
      references: references.slice(-20),
    },
  };
}

const send: Sender = async (deps, _tenantId, message) => {
  if (!deps.mail) throw new MailError('no SMTP relay is configured (PARLEY_SMTP_RELAY)', false);
  await deps.mail.send(message);
  return { status: 'sent' };
};

export const email: ChannelAdapter<'email'> = {
  channel: 'email',
  refuse: (input) => (input.templateId !== undefined ? 'template_id: templates are for WhatsApp only' : null),
  prepare,
  /** The thread its `In-Reply-To`/`References` answer. */
  async match(tx, tenantId, inbound) {
    if (!inbound.thread?.length) return null;
    const answered = await tx.trx
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select('messages.conversation_id')
      .where('messages.tenant_id', '=', tenantId)
      .where('messages.external_id', 'in', [...inbound.thread])
      .where('conversations.channel', '=', 'email')
      .orderBy('messages.created_at', 'desc')
      .executeTakeFirst();
    return answered?.conversation_id ?? null;
  },
  inboundMeta: (inbound) => ({
    from: inbound.from,
    to: [inbound.to],
    cc: inbound.cc ?? [],
    references: inbound.thread ?? [],
  }),
  outboundAddress(to) {
    if (!EMAIL.test(to)) throw CodedError.invalidArgument(`to: ${JSON.stringify(to)} is not an email address`);
    return to;
  },
  send,
  webhook: null,
};
