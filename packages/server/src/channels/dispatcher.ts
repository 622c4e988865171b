/**
 * Hands stored outgoing SMS, WhatsApp and email messages to the provider or
 * relay, and records what happened. A message is stored `queued` before the
 * agent gets an answer; the dispatcher sends it after the commit (told by
 * `message.queued`), and at start it sends whatever a stopped process left
 * queued. Transient failures are retried with backoff; refusals mark the
 * message `failed` with the reason, which the agent sees.
 * One queue per tenant keeps each conversation's messages in order.
 */
import type { Bus } from '../bus/index.ts';
import type { Logger } from '../log/index.ts';
import type { Mailer, MessagingProvider, Outbox, OutgoingMessage, SendDeps } from './adapter.ts';
import { MailError } from './email/index.ts';
import { ProviderError } from './provider.ts';
import { adapterOf } from './registry.ts';

export interface DispatcherOptions {
  readonly bus: Bus;
  readonly log: Logger;
  readonly interactions: Outbox;
  readonly sms: MessagingProvider | null;
  readonly mail: Mailer | null;
  /** The status callback URL the provider reports a message's delivery to. */
  readonly statusCallback: (tenantId: string, messageId: string) => Promise<string>;
  /** Delays between attempts (ms); the last failure marks the message failed. */
  readonly retryDelays?: readonly number[];
}

const RETRY_DELAYS = [1_000, 5_000, 30_000, 120_000];

export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #queues = new Map<string, Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#o = options;
  }

  /** Listens for new messages and sends what was left queued. */
  async start(tenantIds: readonly string[]): Promise<void> {
    this.#unsubscribe = this.#o.bus.subscribe('message.queued', (e) => {
      for (const id of e.messageIds) this.#enqueue(e.tenantId, id, 0);
    });
    for (const tenantId of tenantIds)
      for (const id of await this.#o.interactions.queuedMessageIds(tenantId)) this.#enqueue(tenantId, id, 0);
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #enqueue(tenantId: string, messageId: string, attempt: number): void {
    if (this.#closed) return;
    const previous = this.#queues.get(tenantId) ?? Promise.resolve();
    const next = previous.then(() => this.#send(tenantId, messageId, attempt));
    this.#queues.set(tenantId, next);
    void next.finally(() => {
      if (this.#queues.get(tenantId) === next) this.#queues.delete(tenantId);
    });
  }

  get #deps(): SendDeps {
    return { sms: this.#o.sms, mail: this.#o.mail, statusCallback: this.#o.statusCallback };
  }

  /** Hands the message to its channel's sender (every external channel has one) and records the outcome. */
  async #deliver(tenantId: string, message: OutgoingMessage): Promise<void> {
    const result = await adapterOf(message.channel).send(this.#deps, tenantId, message);
    await this.#o.interactions.messageStatus(tenantId, {
      id: message.id,
      status: result.status,
      ...(result.externalId ? { setExternalId: result.externalId } : {}),
    });
  }

  async #send(tenantId: string, messageId: string, attempt: number): Promise<void> {
    if (this.#closed) return;
    const { interactions, log } = this.#o;
    let message: OutgoingMessage | null;
    try {
      message = await interactions.outgoing(tenantId, messageId);
    } catch (err) {
      log.error({ err, messageId }, 'cannot read an outgoing message');
      return;
    }
    // Sent already (a duplicate notice) or gone.
    if (!message) return;
    try {
      await this.#deliver(tenantId, message);
    } catch (err) {
      const retryable = err instanceof ProviderError || err instanceof MailError ? err.retryable : true;
      const delays = this.#o.retryDelays ?? RETRY_DELAYS;
      const reason = err instanceof Error ? err.message : String(err);
      if (retryable && attempt < delays.length) {
        log.warn({ messageId, attempt, reason }, 'sending a message failed; trying again');
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.#enqueue(tenantId, messageId, attempt + 1);
        }, delays[attempt]);
        timer.unref();
        this.#timers.add(timer);
        return;
      }
      log.warn({ messageId, reason }, 'a message could not be sent');
      await interactions
        .messageStatus(tenantId, { id: messageId, status: 'failed', error: reason })
        .catch((e: unknown) => log.error({ err: e, messageId }, 'cannot record a failed message'));
    }
  }
}
