/**
 * Inbound email: an SMTP server (smtp-server) that accepts mail for the
 * addresses of email queues and refuses every other recipient at RCPT. Each
 * message is parsed (mailparser), its HTML sanitised, its attachments
 * checked, and stored as a message of its thread's conversation before the
 * server says 250; a failure to store is a 451 so the sender tries again,
 * and nothing is half-stored.
 */
import { CodedError } from '@parley/protocol';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Kysely } from 'kysely';
import { findMailbox } from '../../queues/index.ts';
import type { Inbox } from '../adapter.ts';
import type { Logger } from '../../log/index.ts';
import type { Database } from '../../store/index.ts';
import { refuseAttachment, safeFileName } from '../attachments.ts';
import { sanitizeEmailHtml } from './sanitize.ts';

export interface InboundSmtpOptions {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly interactions: Inbox;
  readonly maxBytes: number;
  readonly attachmentMaxBytes: number;
  readonly limits?: Partial<SmtpLimits>;
}

/** What one client may take of the inbound server (docs/security.md). */
export interface SmtpLimits {
  /** Connections in all, and per client address. */
  readonly connections: number;
  readonly perAddress: number;
  /** A connection silent this long is closed (421). */
  readonly idleMs: number;
  /** RCPT commands per message (RFC 5321's minimum is 100); a connection may give ten times as many. */
  readonly recipients: number;
  /** A connection open this long is closed, however busy (slow senders). */
  readonly lifetimeMs: number;
  /** Messages per connection. */
  readonly messages: number;
}

const DEFAULT_LIMITS: SmtpLimits = {
  connections: 200,
  perAddress: 10,
  idleMs: 30_000,
  recipients: 100,
  lifetimeMs: 10 * 60_000,
  messages: 100,
};

/** What a connection has used so far. */
interface Usage {
  /** Distinct mailboxes of the current message (a repeated RCPT is accepted once). */
  mailboxes: Mailbox[];
  messageRcpts: number;
  connectionRcpts: number;
  messages: number;
  lifetime: NodeJS.Timeout | null;
}

/** smtp-server's connection, as far as closing one goes. */
interface SmtpConnection {
  readonly session: SMTPServerSession;
  send(code: number, text: string): void;
  close(): void;
}

/**
 * Reads a message up to `maxBytes`; past that it keeps reading (so the
 * client gets its answer) but holds nothing more and resolves null.
 */
export async function readLimited(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of stream) {
    if (over) continue;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxBytes) {
      over = true;
      chunks.length = 0;
    } else chunks.push(buffer);
  }
  return over ? null : Buffer.concat(chunks);
}

/** An email queue an address belongs to. */
interface Mailbox {
  readonly tenantId: string;
  readonly queueId: string;
  readonly address: string;
}

/** An SMTP error answered to the client with a code it understands. */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export class InboundSmtp {
  readonly #o: InboundSmtpOptions;
  readonly #server: SMTPServer;
  readonly #usage = new WeakMap<SMTPServerSession, Usage>();
  /** Open connections per client address. */
  readonly #perAddress = new Map<string, number>();
  readonly #limits: SmtpLimits;

  constructor(options: InboundSmtpOptions) {
    this.#o = options;
    const limits = (this.#limits = { ...DEFAULT_LIMITS, ...options.limits });
    this.#server = new SMTPServer({
      name: 'parley',
      banner: 'Parley contact center',
      // A mail exchanger: anyone may deliver to our queues, nobody may relay.
      authOptional: true,
      disabledCommands: ['AUTH'],
      hideSTARTTLS: true,
      disableReverseLookup: true,
      size: options.maxBytes,
      maxClients: limits.connections,
      socketTimeout: limits.idleMs,
      closeTimeout: 5_000,
      logger: false,
      onConnect: (session, callback) => {
        const address = session.remoteAddress;
        const open = this.#perAddress.get(address) ?? 0;
        if (open >= limits.perAddress) {
          callback(smtpError(421, `4.7.0 Too many connections from ${address}; try again later`));
          return;
        }
        this.#perAddress.set(address, open + 1);
        const usage: Usage = { mailboxes: [], messageRcpts: 0, connectionRcpts: 0, messages: 0, lifetime: null };
        this.#usage.set(session, usage);
        this.#endAtLifetime(session, usage);
        callback();
      },
      onClose: (session) => {
        const usage = this.#usage.get(session);
        if (!usage) return;
        if (usage.lifetime) clearTimeout(usage.lifetime);
        this.#usage.delete(session);
        const open = (this.#perAddress.get(session.remoteAddress) ?? 1) - 1;
        if (open > 0) this.#perAddress.set(session.remoteAddress, open);
        else this.#perAddress.delete(session.remoteAddress);
      },
      // Each message (MAIL FROM) starts its own list of recipients: a connection may carry several.
      onMailFrom: (_address, session, callback) => {
        const usage = this.#usage.get(session);
        if (!usage) return callback(smtpError(421, '4.7.0 Connection not accepted'));
        if (usage.messages >= limits.messages)
          return callback(smtpError(421, `4.7.0 At most ${limits.messages} messages per connection; reconnect`));
        usage.mailboxes = [];
        usage.messageRcpts = 0;
        callback();
      },
      onRcptTo: (address, session, callback) => {
        void this.#rcpt(address, session).then(
          () => callback(),
          (err: unknown) => callback(err as Error),
        );
      },
      onData: (stream, session, callback) => {
        void this.#data(stream, session).then(
          () => callback(),
          (err: unknown) => callback(err as Error),
        );
      },
    });
    // A client's broken connection is the client's business: not an error of ours.
    this.#server.on('error', (err) => options.log.info({ err }, 'SMTP connection error'));
  }

  /** Slow senders: a connection is closed once its lifetime is over, however busy it is (as a shutdown closes it). */
  #endAtLifetime(session: SMTPServerSession, usage: Usage): void {
    usage.lifetime = setTimeout(() => {
      const open = (this.#server as unknown as { connections: Set<SmtpConnection> }).connections;
      for (const connection of open) {
        if (connection.session !== session) continue;
        connection.send(421, '4.4.2 Connection open too long; closing');
        connection.close();
      }
    }, this.#limits.lifetimeMs);
    usage.lifetime.unref();
  }

  /** Listens; resolves with the port (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.server.off('error', reject);
        const address = this.#server.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #rcpt(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const usage = this.#usage.get(session);
    if (!usage) throw smtpError(421, '4.7.0 Connection not accepted');
    usage.messageRcpts += 1;
    usage.connectionRcpts += 1;
    if (usage.connectionRcpts > this.#limits.recipients * 10)
      throw smtpError(421, '4.5.3 Too many recipients on this connection; closing');
    if (usage.messageRcpts > this.#limits.recipients)
      throw smtpError(452, `4.5.3 At most ${this.#limits.recipients} recipients per message`);
    const wanted = address.address.trim().toLowerCase();
    const row = await findMailbox(this.#o.db, wanted);
    if (!row) throw smtpError(550, `5.1.1 <${wanted}>: no such mailbox here`);
    // The same queue named twice (or in two spellings) gets the message once.
    if (!usage.mailboxes.some((m) => m.tenantId === row.tenantId && m.queueId === row.queueId))
      usage.mailboxes.push(row);
  }

  async #data(stream: NodeJS.ReadableStream & { sizeExceeded?: boolean }, session: SMTPServerSession): Promise<void> {
    const usage = this.#usage.get(session);
    const boxes = usage?.mailboxes ?? [];
    if (usage) {
      usage.mailboxes = [];
      usage.messages += 1;
    }
    // Never more than the limit in memory: past it the rest is read and dropped.
    const raw = await readLimited(stream as AsyncIterable<Buffer>, this.#o.maxBytes);
    if (!raw || stream.sizeExceeded) throw smtpError(552, `5.3.4 Message is larger than ${this.#o.maxBytes} bytes`);
    let mail: ParsedMail;
    try {
      mail = await simpleParser(raw);
    } catch {
      throw smtpError(554, '5.6.0 The message cannot be parsed');
    }
    const from = firstAddress(mail.from);
    if (!from) throw smtpError(554, '5.1.7 The message has no From address');
    const files = [];
    for (const a of mail.attachments) {
      const file = { name: safeFileName(a.filename ?? 'attachment'), contentType: a.contentType, data: a.content };
      const refused = refuseAttachment(file, this.#o.attachmentMaxBytes);
      if (refused) throw smtpError(554, `5.7.1 Attachment refused: ${refused}`);
      files.push(file);
    }
    const thread = [
      ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []),
      ...(mail.inReplyTo ? [mail.inReplyTo] : []),
    ];
    // NUL cannot be stored (PostgreSQL) and means nothing in a mail; a charset like UTF-7 can decode to it.
    const text = stripNul(mail.text ?? '');
    const html = typeof mail.html === 'string' ? sanitizeEmailHtml(stripNul(mail.html)) : undefined;
    for (const box of boxes) {
      try {
        await this.#o.interactions.inboundMessage(box.tenantId, {
          channel: 'email',
          queueId: box.queueId,
          from: from.address,
          ...(from.name ? { name: stripNul(from.name) } : {}),
          to: box.address,
          content: text.trim() === '' && !html ? '(no text)' : text,
          ...(html ? { html } : {}),
          subject: stripNul(mail.subject ?? '(no subject)').slice(0, 998),
          ...(mail.messageId ? { externalId: stripNul(mail.messageId) } : {}),
          ...(thread.length ? { thread: thread.map(stripNul) } : {}),
          cc: addresses(mail.cc).map((a) => a.address),
          attachments: files,
        });
      } catch (err) {
        // A message refused for what it is will be refused again: permanent, so the sender stops retrying.
        if (err instanceof CodedError && err.status < 500) {
          this.#o.log.info({ err }, 'an inbound email was refused');
          throw smtpError(554, `5.6.0 The message cannot be accepted: ${err.message}`);
        }
        this.#o.log.error({ err }, 'an inbound email could not be stored');
        throw smtpError(451, '4.3.0 The message could not be stored; try again later');
      }
    }
  }
}

function stripNul(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

function addresses(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((o) =>
    o.value.flatMap((a) => (a.address ? [{ address: stripNul(a.address.toLowerCase()), name: stripNul(a.name) }] : [])),
  );
}

function firstAddress(value: AddressObject | undefined): { address: string; name: string } | null {
  return addresses(value)[0] ?? null;
}
