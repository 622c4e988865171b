/**
 * Malformed SMTP input against the inbound server, over a raw socket:
 * nonsense commands, out-of-order commands, junk bytes, a message too large.
 * Each gets an SMTP error reply, nothing is stored, and the server still
 * takes a proper message afterwards.
 */
import net from 'node:net';
import nodemailer from 'nodemailer';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../testing/index.ts';
import { InboundSmtp, readLimited } from './smtp.ts';

/** A raw SMTP session: send lines, read the reply codes. */
async function session(port: number, localAddress = '127.0.0.1') {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
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
  /** Several commands at once (PIPELINING), then their replies in order. */
  const pipeline = async (lines: readonly string[]) => {
    socket.write(lines.map((l) => `${l}\r\n`).join(''));
    const replies: string[] = [];
    for (const _ of lines) replies.push(await reply());
    return replies;
  };
  return { socket, reply, send, pipeline, closed };
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

describe('inbound SMTP under abuse', () => {
  let h: Harness;
  let strict: InboundSmtp;
  let strictPort: number;
  const count = async (table: 'messages' | 'interactions') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  beforeAll(async () => {
    h = await startHarness();
    // A second inbound server on the same store, with small limits the test can reach quickly.
    strict = new InboundSmtp({
      db: h.db,
      log: h.log,
      interactions: h.ctx.interactions,
      maxBytes: 4096,
      attachmentMaxBytes: 1024,
      limits: { perAddress: 3, idleMs: 1000, lifetimeMs: 3000, recipients: 2, connections: 50 },
    });
    strictPort = await strict.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await strict.close();
    await h.close();
  });

  it('stores one message for one mailbox however often RCPT names it, and refuses past 100 recipients', async () => {
    const [messages, interactions] = [await count('messages'), await count('interactions')];
    const s = await session(h.smtpPort ?? 0);
    await s.reply();
    await s.send('EHLO tester');
    expect(await s.send('MAIL FROM:<flood@example.com>')).toMatch(/^250 /);
    const rcpts = Array.from({ length: 150 }, (_, i) =>
      i % 2 ? 'RCPT TO:<SUPPORT@demo.parley.local>' : 'RCPT TO:<support@demo.parley.local>',
    );
    const replies = await s.pipeline(rcpts);
    expect(replies.filter((r) => r.startsWith('250 '))).toHaveLength(100);
    expect(replies.filter((r) => r.startsWith('452 '))).toHaveLength(50);
    expect(await s.send('DATA')).toMatch(/^354 /);
    s.socket.write('From: flood@example.com\r\nSubject: Once\r\n\r\nOnce only.\r\n');
    expect(await s.send('.')).toMatch(/^250 /);
    s.socket.destroy();
    expect([await count('messages'), await count('interactions')]).toEqual([messages + 1, interactions + 1]);
  });

  it('caps recipients per connection: past ten messages’ worth the connection is closed', async () => {
    const s = await session(strictPort, '127.0.0.5');
    await s.reply();
    await s.send('EHLO tester');
    const replies: string[] = [];
    for (let m = 0; m < 11; m++) {
      await s.send('MAIL FROM:<harvest@example.com>');
      for (const to of ['nobody', 'x']) {
        replies.push(await s.send(`RCPT TO:<${to}@demo.parley.local>`));
        if (replies.at(-1)?.startsWith('421')) break;
      }
      if (replies.at(-1)?.startsWith('421')) break;
      await s.send('RSET');
    }
    expect(replies.filter((r) => r.startsWith('550 '))).toHaveLength(20);
    expect(replies[20]).toMatch(/^421 /);
    await s.closed;
  });

  it('caps connections per client address; another address still gets in', async () => {
    const held = await Promise.all([1, 2, 3].map(() => session(strictPort)));
    for (const s of held) expect(await s.reply()).toMatch(/^220 /);
    const fourth = await session(strictPort);
    expect(await fourth.reply()).toMatch(/^421 /);
    const other = await session(strictPort, '127.0.0.2');
    expect(await other.reply()).toMatch(/^220 /);
    for (const s of [...held, fourth, other]) s.socket.destroy();
  });

  it('closes idle connections, and busy ones past their lifetime', async () => {
    const idle = await session(strictPort, '127.0.0.3');
    expect(await idle.reply()).toMatch(/^220 /);
    expect(await idle.reply()).toMatch(/^421 /);
    await idle.closed;
    // A slow sender that never stops talking: closed once its lifetime is over.
    const busy = await session(strictPort, '127.0.0.4');
    await busy.reply();
    let last = '';
    for (let i = 0; i < 100 && !busy.socket.destroyed; i++) {
      last = await busy.send('NOOP');
      if (!last.startsWith('250')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The 421 came as the answer to a NOOP, or while the client waited between two.
    if (last.startsWith('250')) last = await busy.reply();
    expect(last).toMatch(/^421 4\.4\.2 /);
    await busy.closed;
  });

  it('reads a mail over the size limit to its end without holding it', async () => {
    let read = 0;
    async function* big() {
      for (let i = 0; i < 1000; i++) {
        read += 1;
        yield Buffer.alloc(100 * 1024, 0x61);
      }
    }
    expect(await readLimited(big(), 4096)).toBeNull();
    expect(read).toBe(1000);
    expect(String(await readLimited(Readable.from([Buffer.from('abc'), 'def']), 6))).toBe('abcdef');
    expect(await readLimited(Readable.from([Buffer.from('abc'), 'defg']), 6)).toBeNull();
  });
});

describe('inbound SMTP with text PostgreSQL cannot store', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, 'postgres');
  });
  afterAll(async () => {
    await h.close();
  });

  it('takes a mail with NUL characters and an HTML-only UTF-7 mail once, instead of a 451 forever', async () => {
    const s = await session(h.smtpPort ?? 0);
    await s.reply();
    await s.send('EHLO tester');
    const mails = [
      'From: nul@example.com\r\nSubject: Nul\0here\r\n\r\nBefore\0after.\r\n',
      'From: seven@example.com\r\nSubject: Seven\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-7\r\n\r\n<p>Hi +AAA- there</p>\r\n',
    ];
    for (const mail of mails) {
      expect(await s.send('MAIL FROM:<sender@example.com>')).toMatch(/^250 /);
      expect(await s.send('RCPT TO:<support@demo.parley.local>')).toMatch(/^250 /);
      expect(await s.send('DATA')).toMatch(/^354 /);
      s.socket.write(mail);
      expect(await s.send('.')).toMatch(/^250 /);
    }
    s.socket.destroy();
    const stored = await h.db
      .selectFrom('messages')
      .select(['body', 'subject', 'html'])
      .where('subject', 'in', ['Nulhere', 'Seven'])
      .orderBy('subject')
      .execute();
    expect(stored.map((m) => m.subject)).toEqual(['Nulhere', 'Seven']);
    expect(stored[0]?.body).toContain('Beforeafter.');
    expect(stored[1]?.html ?? '').toContain('there');
  });
});
