/**
 * Outgoing SMS and WhatsApp go through a provider adapter. The first one
 * speaks the widely used REST form: `POST {url}` (the account's Messages
 * endpoint) with form fields `To`, `From`, `Body`, `StatusCallback`, HTTP
 * Basic auth with the account id and token, and a JSON answer
 * `{sid, status}`. WhatsApp numbers carry a `whatsapp:` prefix. The
 * provider later reports `queued`/`sent`/`delivered`/`failed` to the status
 * callback (see webhooks.ts).
 */
import { CodedError } from '@parley/protocol';

export interface OutgoingSms {
  readonly channel: 'sms' | 'whatsapp';
  readonly from: string;
  readonly to: string;
  readonly body: string;
  /** Where the provider reports delivery. */
  readonly statusCallback: string;
  /** Parley's message id: a retried send is the same message to the provider. */
  readonly idempotencyKey: string;
}

export interface ProviderAnswer {
  /** The provider's message id, used by its status callbacks. */
  readonly sid: string;
  readonly status: 'queued' | 'sent' | 'delivered' | 'failed';
}

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

export interface MessagingProvider {
  send(message: OutgoingSms): Promise<ProviderAnswer>;
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
