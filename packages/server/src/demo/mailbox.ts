/**
 * The demo mailbox (demo mode only): Parley's own capture relay. Outgoing
 * email goes to this SMTP server instead of the world, and the `/mailbox`
 * page shows what customers received, thread headers and all. From the page
 * a customer can also write to a queue address or answer a mail: that goes
 * over real SMTP to Parley's inbound server, threaded by `In-Reply-To`.
 */
import { CodedError } from '@parley/protocol';
import { EventEmitter } from 'node:events';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { simpleParser, type AddressObject } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { AppContext } from '../context.ts';
import type { Logger } from '../log/index.ts';
import type { Database, DemoMailboxTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';

export interface MailboxMessage {
  readonly id: string;
  readonly message_id: string | null;
  readonly in_reply_to: string | null;
  readonly references: readonly string[];
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly received: string;
}

function toWire(row: DemoMailboxTable): MailboxMessage {
  const list = (s: string | null) => (s ? s.split(/\s*,\s*|\s+/).filter(Boolean) : []);
  return {
    id: row.id,
    message_id: row.message_id,
    in_reply_to: row.in_reply_to,
    references: list(row.references),
    from: row.from,
    to: list(row.to),
    cc: list(row.cc),
    subject: row.subject,
    text: row.text,
    received: row.received_at,
  };
}

const addressList = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((o) =>
    o.value.flatMap((a) => (a.address ? [a.address.toLowerCase()] : [])),
  );

/** The capture relay: takes every message, stores it, never sends anything on. */
export class CaptureRelay {
  readonly news = new EventEmitter();
  readonly #server: SMTPServer;
  #port = 0;

  constructor(db: Kysely<Database>, log: Logger) {
    this.news.setMaxListeners(0);
    this.#server = new SMTPServer({
      name: 'parley-capture',
      authOptional: true,
      disabledCommands: ['AUTH'],
      hideSTARTTLS: true,
      disableReverseLookup: true,
      size: 25 * 1024 * 1024,
      logger: false,
      onData: (stream, _session, callback) => {
        void (async () => {
          const mail = await simpleParser(stream);
          const refs = Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [];
          const row: DemoMailboxTable = {
            id: newId(),
            message_id: mail.messageId ?? null,
            in_reply_to: mail.inReplyTo ?? null,
            references: refs.join(' ') || null,
            from: addressList(mail.from)[0] ?? '',
            to: addressList(mail.to).join(', '),
            cc: addressList(mail.cc).join(', ') || null,
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            received_at: nowIso(),
          };
          await db.insertInto('demo_mailbox').values(row).execute();
          this.news.emit('mail', toWire(row));
        })().then(
          () => callback(),
          (err: unknown) => {
            log.error({ err }, 'demo mailbox: cannot store a message');
            callback(Object.assign(new Error('4.3.0 cannot store'), { responseCode: 451 }));
          },
        );
      },
    });
  }

  /** Starts on a free loopback port; returns the relay URL for nodemailer. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve()));
    const address = this.#server.server.address();
    this.#port = typeof address === 'object' && address ? address.port : 0;
    return `smtp://127.0.0.1:${this.#port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

const Send = Type.Object(
  {
    from: Type.String({ pattern: '^[^\\s@<>]+@[^\\s@<>]+$', maxLength: 254 }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    to: Type.String({ pattern: '^[^\\s@<>]+@[^\\s@<>]+$', maxLength: 254 }),
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
    in_reply_to: Type.Optional(Type.String({ maxLength: 998 })),
    references: Type.Optional(Type.Array(Type.String({ maxLength: 998 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export function mailboxRoutes(ctx: AppContext, relay: CaptureRelay, inbound: () => number | null) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const streams = new Set<FastifyReply['raw']>();
    app.addHook('onClose', async () => {
      for (const raw of streams) raw.end();
    });

    app.get('/demo/mailbox/messages', { schema: { hide: true } }, async () => {
      const rows = await ctx.db
        .selectFrom('demo_mailbox')
        .selectAll()
        .orderBy('received_at', 'desc')
        .limit(200)
        .execute();
      return rows.map(toWire);
    });

    app.get('/demo/mailbox/events', { schema: { hide: true } }, async (request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      reply.raw.write(': connected\n\n');
      const listener = (m: MailboxMessage) => reply.raw.write(`data: ${JSON.stringify(m)}\n\n`);
      relay.news.on('mail', listener);
      streams.add(reply.raw);
      request.raw.on('close', () => {
        streams.delete(reply.raw);
        relay.news.off('mail', listener);
      });
    });

    // A customer writes (or answers) to a queue address: real SMTP to Parley's inbound server.
    app.post<{ Body: Static<typeof Send> }>(
      '/demo/mailbox/send',
      { schema: { body: Send, hide: true } },
      async (request, reply) => {
        const port = inbound();
        if (port === null) throw new CodedError('invalid_state', 'Inbound email is off (PARLEY_SMTP_PORT=off).');
        const b = request.body;
        const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
        try {
          const info = await transport.sendMail({
            from: b.name ? { name: b.name, address: b.from } : b.from,
            to: b.to,
            subject: b.subject,
            text: b.text,
            ...(b.in_reply_to ? { inReplyTo: b.in_reply_to } : {}),
            ...(b.references?.length ? { references: b.references } : {}),
          });
          return await reply.code(201).send({ message_id: info.messageId });
        } catch (err) {
          throw CodedError.invalidArgument(
            `The mail server refused: ${err instanceof Error ? err.message : String(err)}`,
          );
        } finally {
          transport.close();
        }
      },
    );
  };
}
