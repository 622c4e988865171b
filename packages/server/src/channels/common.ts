/**
 * What several channels share: the address shapes, the rules for the text
 * channels (chat, SMS, WhatsApp) and matching a conversation by its address
 * pair. Each adapter composes these with what is its own.
 */
import { CodedError, type ChannelType } from '@parley/protocol';
import type { AgentMessage, ChannelTx, InboundMessage } from './adapter.ts';

export const PHONE_NUMBER = /^\+?[0-9*#]{2,32}$/;
export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** A text message's longest content; longer texts go by email. */
const MAX_TEXT = 4000;

/** What a text channel's message may not carry: long content, email's fields, and templates where it has none. */
export function refuseText(input: AgentMessage, templates: boolean): string | null {
  if (input.content.length > MAX_TEXT) return `content: at most ${MAX_TEXT} characters (longer texts go by email)`;
  if (input.subject !== undefined || input.to !== undefined || input.cc !== undefined)
    return 'subject, to and cc are for email only';
  if (input.templateId !== undefined && !templates) return 'template_id: templates are for WhatsApp only';
  return null;
}

/** A phone number as an agent typed it, without spaces, dashes and brackets; throws when it is not one. */
export function phoneAddress(to: string): string {
  const cleaned = to.replace(/[\s()-]/g, '');
  if (!PHONE_NUMBER.test(cleaned))
    throw CodedError.invalidArgument(
      `to: ${JSON.stringify(to)} is not a phone number. Enter digits, with the country code after a + (for example +49 30 1234567).`,
    );
  return cleaned;
}

/** The latest conversation between the same customer address and queue address on a channel. */
export async function latestByAddress(
  tx: ChannelTx,
  tenantId: string,
  channel: ChannelType,
  inbound: Pick<InboundMessage, 'from' | 'to'>,
): Promise<string | null> {
  const latest = await tx.trx
    .selectFrom('conversations')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('channel', '=', channel)
    .where('customer_address', '=', inbound.from)
    .where('local_address', '=', inbound.to)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return latest?.id ?? null;
}

/** A text's media links, kept with the message. */
export const mediaMeta = (inbound: InboundMessage): Record<string, unknown> | null =>
  inbound.media?.length ? { media: inbound.media } : null;

/** The rules of a channel that has none before storing. */
export const asWritten = (): Promise<Record<string, never>> => Promise.resolve({});

/** A stored JSON object (a message's meta, a tenant's settings); anything else reads as empty. */
export function parseMeta(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The strings of a stored list. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
