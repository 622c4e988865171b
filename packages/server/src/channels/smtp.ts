/**
 * Inbound email: an SMTP server (smtp-server) that accepts mail for the
 * addresses of email queues and refuses every other recipient at RCPT. Each
 * message is parsed (mailparser), its HTML sanitised, its attachments
 * checked, and stored as a message of its thread's conversation before the
 * server says 250; a failure to store is a 451 so the sender tries again,
 * and nothing is half-stored.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Kysely } from 'kysely';
import { findMailbox } from '../queues/index.ts';
import type { InteractionService } from '../interactions/index.ts';
import type { Logger } from '../log/index.ts';
import type { Database } from '../store/index.ts';
import { refuseAttachment, safeFileName } from './attachments.ts';
import { sanitizeEmailHtml } from './sanitize.ts';

export interface InboundSmtpOptions {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly interactions: InteractionService;
  readonly maxBytes: number;
  readonly attachmentMaxBytes: number;
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
  readonly #mailboxes = new WeakMap<SMTPServerSession, Mailbox[]>();

  constructor(options: InboundSmtpOptions) {
    this.#o = options;
    this.#server = new SMTPServer({
      name: 'parley',
      banner: 'Parley contact center',
      // A mail exchanger: anyone may deliver to our queues, nobody may relay.
      authOptional: true,
      disabledCommands: ['AUTH'],
      hideSTARTTLS: true,
      disableReverseLookup: true,
      size: options.maxBytes,
      maxClients: 100,
      socketTimeout: 60_000,
      logger: false,
      // Each message (MAIL FROM) starts its own list of recipients: a connection may carry several.
      onMailFrom: (_address, session, callback) => {
        this.#mailboxes.delete(session);
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
    this.#server.on('error', (err) => options.log.warn({ err }, 'SMTP connection error'));
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
    const wanted = address.address.trim().toLowerCase();
    const row = await findMailbox(this.#o.db, wanted);
    if (!row) throw smtpError(550, `5.1.1 <${wanted}>: no such mailbox here`);
    const list = this.#mailboxes.get(session) ?? [];
    list.push(row);
    this.#mailboxes.set(session, list);
  }

  async #data(stream: NodeJS.ReadableStream & { sizeExceeded?: boolean }, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    if (stream.sizeExceeded) throw smtpError(552, `5.3.4 Message is larger than ${this.#o.maxBytes} bytes`);
    let mail: ParsedMail;
    try {
      mail = await simpleParser(Buffer.concat(chunks));
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
    const text = mail.text ?? '';
    const html = typeof mail.html === 'string' ? sanitizeEmailHtml(mail.html) : undefined;
    const boxes = this.#mailboxes.get(session) ?? [];
    this.#mailboxes.delete(session);
    for (const box of boxes) {
      try {
        await this.#o.interactions.inboundMessage(box.tenantId, {
          channel: 'email',
          queueId: box.queueId,
          from: from.address,
          ...(from.name ? { name: from.name } : {}),
          to: box.address,
          content: text.trim() === '' && !html ? '(no text)' : text,
          ...(html ? { html } : {}),
          subject: (mail.subject ?? '(no subject)').slice(0, 998),
          ...(mail.messageId ? { externalId: mail.messageId } : {}),
          ...(thread.length ? { thread } : {}),
          cc: addresses(mail.cc).map((a) => a.address),
          attachments: files,
        });
      } catch (err) {
        this.#o.log.error({ err }, 'an inbound email could not be stored');
        throw smtpError(451, '4.3.0 The message could not be stored; try again later');
      }
    }
  }
}

function addresses(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((o) =>
    o.value.flatMap((a) => (a.address ? [{ address: a.address.toLowerCase(), name: a.name }] : [])),
  );
}

function firstAddress(value: AddressObject | undefined): { address: string; name: string } | null {
  return addresses(value)[0] ?? null;
}
