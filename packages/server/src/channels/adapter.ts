/**
 * What a channel is to the server: one `ChannelAdapter` per channel type,
 * holding everything particular to it (the fields an agent's message may
 * carry, the rules applied before it is stored, how an inbound message finds
 * its conversation, how a stored message leaves Parley, and the provider
 * webhook it arrives by). The registry (registry.ts) is a record over every
 * channel type, and `send` is required exactly for external channels, so a
 * new channel cannot compile until its adapter exists, and an external one
 * cannot compile without a way out.
 *
 * The ports at the end are what the adapters and the dispatcher need from
 * the rest of the server, so this module does not import the desk.
 */
import type { ChannelType, ExternalChannel, MessageStatus } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.ts';

/** The transaction a channel's rules read in, and the commit's clock (ms). */
export interface ChannelTx {
  readonly trx: Kysely<Database>;
  readonly now: number;
}

/** The fields of an agent's message a channel rules on. */
export interface AgentMessage {
  readonly content: string;
  readonly subject?: string;
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly templateId?: string;
}

/** An agent's message about to be stored in a conversation. */
export interface Draft {
  readonly tenantId: string;
  readonly conversationId: string;
  /** The id the message will be stored under. */
  readonly messageId: string;
  /** The queue address the conversation is held on (the sender). */
  readonly localAddress: string;
  readonly input: AgentMessage;
}

/** What the channel's rules make of a draft; what is left out stays as written. */
export interface Prepared {
  readonly body?: string;
  readonly subject?: string;
  readonly externalId?: string;
  readonly meta?: Record<string, unknown>;
}

/** A message from a customer on SMS, WhatsApp or email, as a connector received it. */
export interface InboundMessage {
  readonly channel: ExternalChannel;
  readonly queueId: string;
  /** The customer's number or email address. */
  readonly from: string;
  readonly name?: string;
  /** The queue address written to. */
  readonly to: string;
  readonly content: string;
  readonly html?: string;
  readonly subject?: string;
  /** The provider's message id or the email's Message-ID: a repeat is the same message. */
  readonly externalId?: string;
  /** Email: the Message-IDs this one answers (In-Reply-To, References), newest last. */
  readonly thread?: readonly string[];
  readonly cc?: readonly string[];
  readonly media?: readonly string[];
  readonly attachments?: ReadonlyArray<{ name: string; contentType: string; data: Buffer }>;
}

/** A stored outgoing message as the dispatcher hands it to the provider or relay. */
export interface OutgoingMessage {
  readonly id: string;
  readonly channel: ExternalChannel;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string | null;
  readonly content: string;
  /** Email: this message's Message-ID and the thread it answers. */
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly attachments: ReadonlyArray<{ name: string; contentType: string; data: Buffer }>;
  readonly status: string;
}

/** An inbound message as a provider's webhook form gives it, once verified. */
export interface WebhookMessage {
  readonly from: string;
  readonly to: string;
  readonly content: string;
  readonly externalId: string;
  readonly media?: readonly string[];
}

/** Reads a verified webhook form; throws a `CodedError` naming the field to fix. */
export type WebhookParser = (form: Readonly<Record<string, string>>) => WebhookMessage;

/** Where outgoing messages go: the operator's SMS/WhatsApp provider and SMTP relay, when configured. */
export interface SendDeps {
  readonly sms: MessagingProvider | null;
  readonly mail: Mailer | null;
  /** The status callback URL the provider reports a message's delivery to. */
  readonly statusCallback: (tenantId: string, messageId: string) => Promise<string>;
}

/** What became of a send: the provider's id when it gave one. */
export interface SendResult {
  readonly status: Exclude<MessageStatus, 'queued' | 'read'>;
  readonly externalId?: string;
}

export type Sender = (deps: SendDeps, tenantId: string, message: OutgoingMessage) => Promise<SendResult>;

export interface ChannelAdapter<C extends ChannelType = ChannelType> {
  readonly channel: C;
  /** What an agent's message may not carry on this channel, or null when it fits. */
  refuse(input: AgentMessage): string | null;
  /** The channel's rules for an agent's message, inside the transaction that stores it. */
  prepare(tx: ChannelTx, draft: Draft): Promise<Prepared>;
  /** The conversation an inbound message continues, or null for a new one. */
  match(
    tx: ChannelTx,
    tenantId: string,
    inbound: Pick<InboundMessage, 'from' | 'to' | 'thread'>,
  ): Promise<string | null>;
  /** What an inbound message keeps besides its text (email's addresses and thread, a text's media). */
  inboundMeta(inbound: InboundMessage): Record<string, unknown> | null;
  /** An address an agent starts a conversation or call with, normalised; throws when it is not one. */
  outboundAddress(to: string): string;
  /** How a stored message leaves Parley: required for external channels, absent for the ones Parley carries. */
  readonly send: C extends ExternalChannel ? Sender : null;
  /** The provider webhook inbound messages arrive by (`{base}webhooks/<channel>`), if any. */
  readonly webhook: WebhookParser | null;
}

// Ports: what the channels need from the desk and the outside world.

/** The desk as the dispatcher sees it. */
export interface Outbox {
  queuedMessageIds(tenantId: string): Promise<string[]>;
  outgoing(tenantId: string, messageId: string): Promise<OutgoingMessage | null>;
  messageStatus(
    tenantId: string,
    input: { id?: string; externalId?: string; status: MessageStatus; error?: string; setExternalId?: string },
  ): Promise<unknown>;
}

/** The desk as the inbound connectors (SMTP, webhooks) see it. */
export interface Inbox {
  inboundMessage(tenantId: string, input: InboundMessage): Promise<unknown>;
}

/** What a mail needs: a stored outgoing email has all of it, a transcript only some. */
export type Mail = Pick<OutgoingMessage, 'from' | 'to' | 'subject' | 'content'> &
  Partial<Pick<OutgoingMessage, 'cc' | 'messageId' | 'inReplyTo' | 'references' | 'attachments'>>;

export interface Mailer {
  /** Sends one email; resolves once the relay accepted it. */
  send(message: Mail): Promise<void>;
  close(): void;
}

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

export interface MessagingProvider {
  send(message: OutgoingSms): Promise<ProviderAnswer>;
}
