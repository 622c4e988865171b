/**
 * Malformed SMTP input against the inbound server, over a raw socket:
 * nonsense commands, out-of-order commands, junk bytes, a message too large.
 * Each gets an SMTP error reply, nothing is stored, and the server still
 * takes a proper message afterwards.
 */
import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness.ts';

/** A raw SMTP session: send lines, read the reply codes. */
async function session(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => undefined);
  const reply = async (): Promise<string> => {
    for (let i = 0; i < 100; i++) {
      // A complete reply: its last line has a space after the code.
      const m = /^(\d{3}) .*\r\n/m.exec(buffer);
      if (m) {
        const end = buffer.indexOf('\r\n', m.index) + 2;
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end);
        return text;
      }
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
    throw new Error(`no SMTP reply; have ${JSON.stringify(buffer)}`);
  };
  const send = async (line: string | Buffer) => {
    socket.write(typeof line === 'string' ? `${line}\r\n` : line);
    return reply();
  };
  return { socket, reply, send };
}

describe('inbound SMTP under malformed input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ PARLEY_MAIL_MAX_BYTES: '4096' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers every malformed command with an SMTP error and stores nothing', async () => {
    const port = h.smtpPort ?? 0;
    const count = async () =>
      Number(
        (
          await h.db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const s = await session(port);
    expect(await s.reply()).toMatch(/^220 /);
    expect(await s.send('HELO')).toMatch(/^50[01] /);
    expect(await s.send('EHLO tester')).toMatch(/^250/);
    expect(await s.send('DATA')).toMatch(/^503 /);
    expect(await s.send('RCPT TO:<support@demo.parley.local>')).toMatch(/^503 /);
    expect(await s.send('MAIL FROM:<not an address')).toMatch(/^5\d\d /);
    expect(await s.send('FROB nicate')).toMatch(/^500 /);
    expect(await s.send(Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a]))).toMatch(/^5\d\d /);
    expect(await s.send('AUTH PLAIN AGFkbWluAHNlY3JldA==')).toMatch(/^50[02] /);
    expect(await s.send('MAIL FROM:<casey@example.com>')).toMatch(/^250 /);
    expect(await s.send('RCPT TO:<relay@elsewhere.example>')).toMatch(/^550 /);
    expect(await s.send('RCPT TO:<support@demo.parley.local>')).toMatch(/^250 /);
    expect(await s.send('DATA')).toMatch(/^354 /);
    // Over PARLEY_MAIL_MAX_BYTES: refused once the message ends.
    s.socket.write(`Subject: big\r\n\r\n${'x'.repeat(200)}\r\n`.repeat(40));
    expect(await s.send('.')).toMatch(/^552 /);
    expect(await s.send('QUIT')).toMatch(/^221 /);
    s.socket.destroy();
    expect(await count()).toBe(before);

    // Two messages on one connection (as pooled senders do): each goes to its own recipients, once.
    const two = await session(port);
    await two.reply();
    await two.send('EHLO tester');
    for (const n of [1, 2]) {
      expect(await two.send('MAIL FROM:<casey@example.com>')).toMatch(/^250 /);
      expect(await two.send('RCPT TO:<support@demo.parley.local>')).toMatch(/^250 /);
      expect(await two.send('DATA')).toMatch(/^354 /);
      two.socket.write(`From: casey@example.com\r\nSubject: Pooled ${n}\r\n\r\nMessage ${n}.\r\n`);
      expect(await two.send('.')).toMatch(/^250 /);
    }
    two.socket.destroy();
    expect(await count()).toBe(before + 2);

    // Still open for business.
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'casey@example.com', to: 'support@demo.parley.local', subject: 'Hi', text: 'Fine.' });
    smtp.close();
    expect(await count()).toBe(before + 3);
  });
});
