/**
 * How a contact's address says who the customer is: a phone number (calls,
 * SMS and WhatsApp share it, so a customer's history spans those channels)
 * or an email address (email, and chats that gave one). Pure.
 */
import type { ChannelType } from '@parley/protocol';

export type IdentityKind = 'phone' | 'email';

export interface Identity {
  readonly kind: IdentityKind;
  readonly value: string;
}

/** What a contact tells about its customer. */
export interface Seen {
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly identities: readonly Identity[];
}

const NAMED = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/;
const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+$/;

/** `+49 30 1234-567`, `0049301234567`, `tel:+4930…` → `+49301234567`; null when it is not a number. */
export function normalPhone(text: string): string | null {
  const bare = text.trim().replace(/^(tel:|sip:|whatsapp:)/i, '');
  if (!/^\+?[\d\s().-]+$/.test(bare)) return null;
  let digits = bare.replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  const count = digits.replace(/\D/g, '').length;
  if (count < 5 || count > 15 || digits.lastIndexOf('+') > 0) return null;
  return digits;
}

/** A lower-case address, or null when `text` is not one. */
export function normalEmail(text: string): string | null {
  const t = text.trim().toLowerCase();
  return EMAIL.test(t) && t.length <= 254 ? t : null;
}

/** The customer a contact's remote address (and the name it came with) describes. */
export function seenIn(channel: ChannelType, remoteAddress: string, name?: string): Seen {
  const named = NAMED.exec(remoteAddress);
  const email = normalEmail(named?.[2] ?? remoteAddress);
  const phone = channel === 'phone' || channel === 'sms' || channel === 'whatsapp' ? normalPhone(remoteAddress) : null;
  const identities: Identity[] = [];
  if (phone) identities.push({ kind: 'phone', value: phone });
  if (email) identities.push({ kind: 'email', value: email });
  const given = (name ?? named?.[1] ?? '').trim();
  const fallback = email ?? phone ?? remoteAddress.trim();
  return { name: (given || fallback || 'Customer').slice(0, 200), email, phone, identities };
}
