/**
 * WhatsApp: texts through the messaging provider (numbers prefixed
 * `whatsapp:` on its wire). WhatsApp lets a business write free text only
 * within 24 hours of the customer's last message; otherwise (and to a number
 * that never wrote) only an approved template, from the tenant's settings.
 */
import { CodedError } from '@parley/protocol';
import type { ChannelAdapter, ChannelTx, Draft, Prepared } from '../adapter.ts';
import { latestByAddress, mediaMeta, parseMeta, phoneAddress, refuseText } from '../common.ts';
import { providerWebhook, sendText } from '../provider.ts';

/** How long after the customer's last WhatsApp message free text may be sent. */
const WINDOW_MS = 24 * 3600 * 1000;

export interface WhatsAppTemplate {
  readonly id: string;
  readonly name: string;
  readonly body: string;
}

/** The tenant's WhatsApp templates from its settings (`whatsapp_templates: [{id, name?, body}]`), stored or parsed. */
export function whatsappTemplates(settings: string | Readonly<Record<string, unknown>>): WhatsAppTemplate[] {
  const templates = (typeof settings === 'string' ? parseMeta(settings) : settings)['whatsapp_templates'];
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t: unknown) => {
    if (typeof t !== 'object' || t === null) return [];
    const { id, name, body } = t as Record<string, unknown>;
    return typeof id === 'string' && typeof body === 'string'
      ? [{ id, name: typeof name === 'string' ? name : id, body }]
      : [];
  });
}

/** The template to send instead of the text, or the window's refusal. */
async function windowRule(tx: ChannelTx, draft: Draft): Promise<Prepared> {
  const { tenantId, conversationId, input } = draft;
  if (input.templateId !== undefined) {
    const row = await tx.trx.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
    const template = whatsappTemplates(row?.settings ?? '{}').find((t) => t.id === input.templateId);
    if (!template)
      throw CodedError.invalidArgument(`template_id: no WhatsApp template ${JSON.stringify(input.templateId)}`);
    return { body: template.body, meta: { template_id: template.id } };
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
  if (tx.now - Date.parse(last.created_at) > WINDOW_MS)
    throw new CodedError(
      'template_required',
      `The customer last wrote ${last.created_at}, more than 24 hours ago: WhatsApp allows only a template now.`,
    );
  return {};
}

export const whatsapp: ChannelAdapter<'whatsapp'> = {
  channel: 'whatsapp',
  refuse: (input) => refuseText(input, true),
  prepare: windowRule,
  match: (tx, tenantId, inbound) => latestByAddress(tx, tenantId, 'whatsapp', inbound),
  inboundMeta: mediaMeta,
  outboundAddress: phoneAddress,
  send: sendText,
  webhook: providerWebhook('whatsapp', 'whatsapp:'),
};
