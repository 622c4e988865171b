/**
 * Outgoing email through an SMTP relay with nodemailer. In demo mode the
 * relay is Parley's own capture server (demo/mailbox.ts).
 */
import { CodedError } from '@parley/protocol';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Mail, Mailer } from '../adapter.ts';

/** Why the relay did not take a message; permanent (5xx) failures are not retried. */
export class MailError extends CodedError {
  override name = 'MailError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super('upstream_error', message);
  }
}

export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;

  constructor(relayUrl: string) {
    const options: SMTPTransport.Options = {
      url: relayUrl,
      name: 'parley',
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    };
    this.#transport = nodemailer.createTransport(options);
  }

  async send(m: Mail): Promise<void> {
    try {
      await this.#transport.sendMail({
        from: m.from,
        to: [...m.to],
        ...(m.cc?.length ? { cc: [...m.cc] } : {}),
        subject: m.subject ?? '',
        text: m.content,
        ...(m.messageId ? { messageId: m.messageId } : {}),
        ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
        ...(m.references?.length ? { references: [...m.references] } : {}),
        attachments: (m.attachments ?? []).map((a) => ({
          filename: a.name,
          content: a.data,
          contentType: a.contentType,
        })),
      });
    } catch (err) {
      const code = (err as { responseCode?: unknown }).responseCode;
      const permanent = typeof code === 'number' && code >= 500 && code < 600;
      throw new MailError(`relay refused: ${err instanceof Error ? err.message : String(err)}`, !permanent);
    }
  }

  close(): void {
    this.#transport.close();
  }
}
