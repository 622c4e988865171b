/**
 * Outgoing SMS and WhatsApp go through a provider adapter. The first one
 * speaks the widely used REST form: `POST {url}` (the account's Messages
 * endpoint) with form fields `To`, `From`, `Body`, `StatusCallback`, HTTP
 * Basic auth with the account id and token, and a JSON answer
 * `{sid, status}`. WhatsApp numbers carry a `whatsapp:` prefix. The
 * provider later reports `queued`/`sent`/`delivered`/`failed` to the status
 * callback (routes/webhooks.ts), and its inbound webhooks carry the same
 * form fields (`From`, `To`, `Body`, `MessageSid`, `NumMedia`, `MediaUrl0`…).
 * The SMS and WhatsApp adapters share this file: it is the provider's, not
 * either channel's.
 */
import { CodedError } from '@parley/protocol';
import type {
  MessagingProvider,
  OutgoingSms,
  ProviderAnswer,
  Sender,
  WebhookMessage,
  WebhookParser,
} from './adapter.ts';

/** Why a send failed, and whether trying again can help. */
export class ProviderError extends CodedError {
  override name = 'ProviderError';
  constructor(
    message: string,
    /** False for a refusal (bad number, bad credentials): retrying is pointless. */
    readonly retryable: boolean,
  ) {
    super('upstream_error', message);
  }
}

export interface HttpProviderOptions {
  /** The Messages endpoint, e.g. `https://api.example.com/2010-04-01/Accounts/AC…/Messages.json`. */
  readonly url: string;
  readonly account: string | null;
  readonly token: string | null;
  /** Abort a send after this long (ms). */
  readonly timeoutMs?: number;
}

const STATUSES = new Set(['queued', 'accepted', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'canceled']);

/** The REST adapter: one form POST per message. */
export class HttpMessagingProvider implements MessagingProvider {
  readonly #o: HttpProviderOptions;

  constructor(options: HttpProviderOptions) {
    this.#o = options;
  }

  async send(message: OutgoingSms): Promise<ProviderAnswer> {
    const prefix = message.channel === 'whatsapp' ? 'whatsapp:' : '';
    const form = new URLSearchParams({
      To: prefix + message.to,
      From: prefix + message.from,
      Body: message.body,
      StatusCallback: message.statusCallback,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'i-twilio-idempotency-token': message.idempotencyKey,
    };
    if (this.#o.account && this.#o.token)
      headers['authorization'] = `Basic ${Buffer.from(`${this.#o.account}:${this.#o.token}`).toString('base64')}`;
    let response: Response;
    try {
      response = await fetch(this.#o.url, {
        method: 'POST',
        headers,
        body: form,
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ProviderError(`provider unreachable: ${err instanceof Error ? err.message : String(err)}`, true);
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: the status tells what happened.
    }
    if (!response.ok) {
      const reason = typeof body['message'] === 'string' ? body['message'] : `HTTP ${response.status}`;
      // 429 and 5xx pass; other 4xx are refusals of this message.
      throw new ProviderError(`provider refused: ${reason}`, response.status === 429 || response.status >= 500);
    }
    const sid = body['sid'];
    const status = body['status'];
    if (typeof sid !== 'string' || sid === '') throw new ProviderError('provider answered without a message sid', true);
    return { sid, status: toStatus(typeof status === 'string' && STATUSES.has(status) ? status : 'queued') };
  }
}

/** The provider's status words in Parley's terms. */
export function toStatus(status: string): ProviderAnswer['status'] {
  if (status === 'delivered' || status === 'read') return 'delivered';
  if (status === 'failed' || status === 'undelivered' || status === 'canceled') return 'failed';
  if (status === 'sent') return 'sent';
  return 'queued';
}

/** Sends an SMS or WhatsApp message through the provider. */
export const sendText: Sender = async (deps, tenantId, message) => {
  if (message.channel === 'email') throw new ProviderError('an email does not go through the SMS provider', false);
  if (!deps.sms) throw new ProviderError('no SMS provider is configured (PARLEY_SMS_PROVIDER_URL)', false);
  const to = message.to[0];
  if (!to) throw new ProviderError('the message has no recipient', false);
  const answer = await deps.sms.send({
    channel: message.channel,
    from: message.from,
    to,
    body: message.content,
    statusCallback: await deps.statusCallback(tenantId, message.id),
    idempotencyKey: message.id,
  });
  return { status: answer.status === 'queued' ? 'sent' : answer.status, externalId: answer.sid };
};

const PHONE = /^\+?[0-9]{3,20}$/;
/** The provider's message ids: `SM` (or `MM` with media) and 32 hex digits; a re-split field cannot keep this shape. */
const SID = /^(SM|MM)[0-9a-f]{32}$/;
const MAX_BODY = 1600;
const MAX_MEDIA = 10;

function sidOf(form: Readonly<Record<string, string>>): string {
  const sid = form['MessageSid'] ?? '';
  if (!SID.test(sid))
    throw CodedError.invalidArgument("MessageSid: expected the provider's message id (SM or MM and 32 hex digits)");
  return sid;
}

/**
 * The provider's inbound-message webhook for a channel whose numbers carry
 * `prefix` (`whatsapp:`), read into a message: numbers, the provider's id
 * (kept as `<channel>:<sid>`), the text and up to ten media links.
 */
export function providerWebhook(channel: 'sms' | 'whatsapp', prefix: string): WebhookParser {
  return (form): WebhookMessage => {
    const address = (name: 'From' | 'To'): string => {
      let value = form[name]?.trim() ?? '';
      if (prefix) {
        if (!value.startsWith(prefix)) throw CodedError.invalidArgument(`${name}: expected ${prefix}+number`);
        value = value.slice(prefix.length);
      }
      if (!PHONE.test(value))
        throw CodedError.invalidArgument(`${name}: ${JSON.stringify(form[name] ?? '')} is not a phone number`);
      return value;
    };
    const from = address('From');
    const to = address('To');
    const sid = sidOf(form);
    const body = form['Body'] ?? '';
    if (body.length > MAX_BODY) throw CodedError.invalidArgument(`Body: longer than ${MAX_BODY} characters`);
    const numMedia = Number(form['NumMedia'] ?? '0');
    if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > MAX_MEDIA)
      throw CodedError.invalidArgument(`NumMedia: expected 0 to ${MAX_MEDIA}`);
    const media: string[] = [];
    for (let i = 0; i < numMedia; i++) {
      const url = form[`MediaUrl${i}`] ?? '';
      if (!/^https?:\/\/\S{1,2000}$/.test(url))
        throw CodedError.invalidArgument(`MediaUrl${i}: expected an http(s) URL`);
      media.push(url);
    }
    if (body.trim() === '' && media.length === 0) throw CodedError.invalidArgument('Body: the message is empty');
    return { from, to, content: body, externalId: `${channel}:${sid}`, ...(media.length ? { media } : {}) };
  };
}

/** A delivery report, in Parley's terms; `queued` tells nothing new. */
export interface DeliveryReport {
  readonly sid: string;
  readonly status: ProviderAnswer['status'];
  readonly error?: string;
}

/** Reads the provider's status callback form. */
export function parseDeliveryReport(form: Readonly<Record<string, string>>): DeliveryReport {
  const status = form['MessageStatus'] ?? form['SmsStatus'] ?? '';
  if (!/^[a-z_]{2,20}$/.test(status)) throw CodedError.invalidArgument('MessageStatus: expected a status word');
  const sid = sidOf(form);
  const error = form['ErrorMessage'] ?? (form['ErrorCode'] ? `provider error ${form['ErrorCode']}` : undefined);
  return { sid, status: toStatus(status), ...(error ? { error } : {}) };
}
