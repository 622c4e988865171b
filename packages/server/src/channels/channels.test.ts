/**
 * SMS, WhatsApp and email over a real server listening on loopback: signed
 * provider webhooks in, the demo provider's handsets out (real HTTP both
 * ways, status callbacks included), and email over real SMTP in (nodemailer
 * to the inbound server) and out (to the capture relay), threaded.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type Frame, startHarness, type Harness, STORE_KINDS } from '../testing/index.ts';
import { HandsetDevice } from '../demo/index.ts';
import { signRequest } from './signature.ts';

const SMS_NUMBER = '+15555557300';
const WA_NUMBER = '+15555557400';
const MAILBOX = 'help@test.parley.local';

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(STORE_KINDS)('messaging channels on %s', (kind) => {
  let h: Harness;
  let base: string;
  let agent: TestAgent;
  let secret: string;

  beforeAll(async () => {
    h = await startHarness({}, kind, { listen: true });
    base = h.url ?? '';
    const wsBase = base.replace('http', 'ws').slice(0, -1);
    const admin = await TestAgent.login(h, wsBase, 'admin');
    agent = await TestAgent.login(h, wsBase, 'agent1');
    for (const [name, type, address] of [
      ['SMS test', 'sms', SMS_NUMBER],
      ['WhatsApp test', 'whatsapp', WA_NUMBER],
      ['Email test', 'email', MAILBOX],
    ] as const) {
      const q = (await admin.rest('POST', '/api/v1/queues', { name, type, addresses: [address] })).json();
      await admin.rest('PUT', `/api/v1/queues/${q.id}/members/${agent.id}`, { can_serve: true, proficiency: 3 });
    }
    await agent.connect();
    await agent.setReady(true);
    const row = await h.db
      .selectFrom('tenants')
      .select('webhook_secret')
      .where('id', '=', h.tenant.id)
      .executeTakeFirst();
    secret = row?.webhook_secret ?? '';
    expect(secret.length).toBeGreaterThan(16);
  });
  afterAll(async () => {
    await agent.disconnect();
    await h.close();
  });

  const count = async (table: 'messages' | 'interactions') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const webhook = (path: string, form: Record<string, string>, signature?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
      },
      body: new URLSearchParams(form),
    });

  // One browser with the handset page: it claims each number it uses.
  let device: HandsetDevice | null = null;
  const handset = (number: string) => (device ??= new HandsetDevice(base)).messages(number);
  const text = (from: string, to: string, body: string, channel: 'sms' | 'whatsapp' = 'sms') =>
    (device ??= new HandsetDevice(base)).send(from, to, body, channel);

  /** Accepts the next offer from `from` and answers with the interaction id. */
  const acceptOffer = async (from: string): Promise<string> => {
    const offer: Frame = await agent.next(
      (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.remote_address.includes(from),
    );
    const id = offer.data.interaction.id as string;
    expect((await agent.act(id, 'accept')).statusCode).toBe(200);
    return id;
  };

  const close = async (id: string) => {
    await agent.act(id, 'hangup');
    await agent.act(id, 'handle', { code: 'resolved' });
  };

  it('refuses unsigned, badly signed, malformed and misaddressed webhooks, storing nothing', async () => {
    const before = await count('messages');
    const form = {
      From: '+4915100000009',
      To: SMS_NUMBER,
      Body: 'hi',
      MessageSid: `SM${'0'.repeat(31)}b`,
      NumMedia: '0',
    };
    const url = `${base}webhooks/sms`;
    expect((await webhook('webhooks/sms', form)).status).toBe(403);
    const forged = await webhook('webhooks/sms', form, signRequest('not-the-secret', url, form));
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toMatch(/signature/i);
    const tampered = await webhook('webhooks/sms', { ...form, Body: 'changed' }, signRequest(secret, url, form));
    expect(tampered.status).toBe(403);
    const noSid = { From: form.From, To: SMS_NUMBER, Body: 'hi' };
    expect((await webhook('webhooks/sms', noSid, signRequest(secret, url, noSid))).status).toBe(400);
    const unknown = { ...form, To: '+15555557399' };
    const notFound = await webhook('webhooks/sms', unknown, signRequest(secret, url, unknown));
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { message: string } }).error.message).toContain('+15555557399');
    const huge = { ...form, Body: 'x'.repeat(20_000) };
    expect((await webhook('webhooks/sms', huge, signRequest(secret, url, huge))).status).toBe(413);
    const wrongChannel = { ...form, To: WA_NUMBER };
    expect((await webhook('webhooks/sms', wrongChannel, signRequest(secret, url, wrongChannel))).status).toBe(404);
    expect(await count('messages')).toBe(before);
  });

  it('routes a handset SMS to the agent, joins follow-ups, and delivers the reply to the handset', async () => {
    const phone = '+4915100000001';
    const sent = await text(phone, SMS_NUMBER, 'My parcel is late');
    expect(sent.status).toBe(201);
    const id = await acceptOffer(phone);
    const reply = await agent.rest('POST', `/api/v1/interactions/${id}/messages`, { content: 'Sorry! Checking now.' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ direction: 'out', status: 'queued' });
    // The provider takes it, then reports delivery; the panel hears each step.
    await agent.next(
      (f) =>
        f.data?.event === 'message_status' &&
        f.data.detail.message.id === reply.json().id &&
        f.data.detail.message.status === 'delivered',
    );
    const received = await handset(phone);
    expect(received.map((m) => [m.direction, m.body])).toEqual([
      ['out', 'My parcel is late'],
      ['in', 'Sorry! Checking now.'],
    ]);
    expect(received[1]?.peer).toBe(SMS_NUMBER);

    // A follow-up joins the running conversation: no second offer.
    const interactionsBefore = await count('interactions');
    await text(phone, SMS_NUMBER, 'Order 4711');
    await agent.next((f) => f.data?.event === 'message' && f.data.detail.message.content === 'Order 4711');
    expect(await count('interactions')).toBe(interactionsBefore);
    const history = (await agent.rest('GET', `/api/v1/interactions/${id}/messages`)).json() as Array<{
      content: string;
    }>;
    expect(history.map((m) => m.content)).toEqual(['My parcel is late', 'Sorry! Checking now.', 'Order 4711']);

    // The provider retries a webhook: same MessageSid, stored once.
    const messagesBefore = await count('messages');
    const form = { From: phone, To: SMS_NUMBER, Body: 'retry me', MessageSid: `SM${'1'.repeat(32)}`, NumMedia: '0' };
    const signature = signRequest(secret, `${base}webhooks/sms`, form);
    expect((await webhook('webhooks/sms', form, signature)).status).toBe(200);
    expect((await webhook('webhooks/sms', form, signature)).status).toBe(200);
    expect(await count('messages')).toBe(messagesBefore + 1);

    // The same signed bytes re-split into other fields still verify (the provider's scheme joins names and
    // values without separators). A replay is known by its signature, whatever the split, and stores nothing.
    const sms = `${base}webhooks/sms`;
    const original = { From: phone, To: SMS_NUMBER, Body: 'HiCall me', MessageSid: `SM${'3'.repeat(32)}` };
    const resplit = { From: phone, To: SMS_NUMBER, Body: 'Hi', C: 'all me', MessageSid: `SM${'3'.repeat(32)}` };
    const signed = signRequest(secret, sms, original);
    expect(signRequest(secret, sms, resplit)).toBe(signed);
    expect((await webhook('webhooks/sms', original, signed)).status).toBe(200);
    expect((await webhook('webhooks/sms', resplit, signed)).status).toBe(200);
    expect(await count('messages')).toBe(messagesBefore + 2);
    // A split that moves characters into the id would make it another message: the id must keep the
    // provider's shape (SM/MM and 32 hex digits), so it is refused.
    const withStatus = {
      From: phone,
      To: SMS_NUMBER,
      Body: 'trick',
      MessageSid: `SM${'4'.repeat(32)}`,
      MessageStatus: 'received',
    };
    const movedIntoId = {
      From: phone,
      To: SMS_NUMBER,
      Body: 'trick',
      MessageSid: `SM${'4'.repeat(32)}Message`,
      Status: 'received',
    };
    const signedStatus = signRequest(secret, sms, withStatus);
    expect(signRequest(secret, sms, movedIntoId)).toBe(signedStatus);
    expect((await webhook('webhooks/sms', withStatus, signedStatus)).status).toBe(200);
    expect((await webhook('webhooks/sms', movedIntoId, signedStatus)).status).toBe(400);
    expect(await count('messages')).toBe(messagesBefore + 3);
    await close(id);
  });

  it('sends an SMS at once (sendSMS direct), and shows why an undeliverable one failed', async () => {
    const res = await agent.rest('POST', '/api/v1/interactions', {
      channel: 'sms',
      to: '+4915100000002',
      from: SMS_NUMBER,
      content: 'Your appointment is tomorrow at 10.',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    await until('the handset to receive it', async () =>
      (await handset('+4915100000002')).some((m) => m.body === 'Your appointment is tomorrow at 10.'),
    );
    await close(id);

    const failing = await agent.rest('POST', '/api/v1/interactions', {
      channel: 'sms',
      to: '+15555550999',
      from: SMS_NUMBER,
      content: 'Anyone there?',
    });
    const failed = await agent.next(
      (f) =>
        f.data?.event === 'message_status' &&
        f.data.interaction.id === failing.json().id &&
        f.data.detail.message.status === 'failed',
    );
    expect(failed.data.detail.message.error).toMatch(/unreachable/i);
    await close(failing.json().id);
  });

  it('holds WhatsApp to its rules: a template first, free text within 24 hours of the customer', async () => {
    const number = '+4915100000003';
    const free = await agent.rest('POST', '/api/v1/interactions', {
      channel: 'whatsapp',
      to: number,
      from: WA_NUMBER,
      content: 'Hi!',
    });
    expect(free.statusCode).toBe(409);
    expect(free.json().error.code).toBe('template_required');
    const templates = (await agent.rest('GET', '/api/v1/whatsapp/templates')).json() as Array<{
      id: string;
      body: string;
    }>;
    const welcome = templates.find((t) => t.id === 'welcome');
    expect(welcome).toBeDefined();
    const started = await agent.rest('POST', '/api/v1/interactions', {
      channel: 'whatsapp',
      to: number,
      from: WA_NUMBER,
      template_id: 'welcome',
    });
    expect(started.statusCode).toBe(201);
    const id = started.json().id as string;
    await until('the template on the handset', async () =>
      (await handset(number)).some((m) => m.channel === 'whatsapp' && m.body === welcome?.body),
    );
    // Still no free text: the customer has not written.
    const early = await agent.rest('POST', `/api/v1/interactions/${id}/messages`, { content: 'Are you there?' });
    expect(early.json().error.code).toBe('template_required');
    expect((await text(number, WA_NUMBER, 'Yes, hello', 'whatsapp')).status).toBe(201);
    await agent.next((f) => f.data?.event === 'message' && f.data.detail.message.content === 'Yes, hello');
    const now = await agent.rest('POST', `/api/v1/interactions/${id}/messages`, { content: 'Great, how can I help?' });
    expect(now.statusCode).toBe(201);
    await close(id);
  });

  it('takes email over SMTP for queue addresses only, and threads the reply and the answer', async () => {
    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: h.smtpPort ?? 0,
      secure: false,
      ignoreTLS: true,
    });
    await expect(
      smtp.sendMail({ from: 'casey@example.com', to: 'nobody@test.parley.local', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/550|no such mailbox/i);
    const before = await count('messages');
    await expect(
      smtp.sendMail({
        from: 'casey@example.com',
        to: MAILBOX,
        subject: 'Invoice',
        text: 'see attached',
        attachments: [
          { filename: 'run.exe', content: Buffer.from('MZ\x90\x00'), contentType: 'application/x-msdownload' },
        ],
      }),
    ).rejects.toThrow(/not accepted/);
    expect(await count('messages')).toBe(before);

    const first = await smtp.sendMail({
      from: { name: 'Casey Customer', address: 'casey@example.com' },
      to: MAILBOX,
      subject: 'Broken kettle',
      text: 'My kettle stopped working.',
      html: '<p>My kettle <b>stopped</b> working.</p><script>alert(1)</script>',
      attachments: [{ filename: 'receipt.txt', content: 'Receipt #42', contentType: 'text/plain' }],
    });
    const id = await acceptOffer('casey@example.com');
    const [inbound] = (await agent.rest('GET', `/api/v1/interactions/${id}/messages`)).json() as Array<Frame>;
    expect(inbound).toMatchObject({
      subject: 'Broken kettle',
      from: 'casey@example.com',
      content: expect.stringContaining('kettle'),
    });
    expect(inbound.html).toContain('<b>stopped</b>');
    expect(inbound.html).not.toContain('script');
    expect(inbound.attachments).toEqual([expect.objectContaining({ name: 'receipt.txt', content_type: 'text/plain' })]);
    const file = await agent.rest('GET', `/api/v1/attachments/${inbound.attachments[0].id}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('Receipt #42');
    expect(file.headers['content-disposition']).toContain('attachment');

    const reply = await agent.rest('POST', `/api/v1/interactions/${id}/messages`, {
      content: 'Please send us a photo.',
    });
    expect(reply.statusCode).toBe(201);
    const mailbox = async () =>
      (await (await fetch(`${base}demo/mailbox/messages`)).json()) as Array<{
        subject: string;
        in_reply_to: string | null;
        message_id: string;
        references: string[];
        to: string[];
        text: string;
      }>;
    const delivered = await until('the reply in the mailbox', async () =>
      (await mailbox()).find((m) => m.text.includes('Please send us a photo.')),
    );
    expect(delivered).toMatchObject({
      subject: 'Re: Broken kettle',
      in_reply_to: first.messageId,
      to: ['casey@example.com'],
    });
    expect(delivered.references).toContain(first.messageId);

    // The customer answers the reply: same conversation, same interaction.
    const interactionsBefore = await count('interactions');
    await smtp.sendMail({
      from: 'casey@example.com',
      to: MAILBOX,
      subject: 'Re: Broken kettle',
      text: 'Photo attached soon.',
      inReplyTo: delivered.message_id,
      references: [first.messageId, delivered.message_id],
    });
    await agent.next(
      (f) =>
        f.data?.event === 'message' &&
        f.data.interaction.id === id &&
        f.data.detail.message.content.includes('Photo attached soon.'),
    );
    expect(await count('interactions')).toBe(interactionsBefore);
    await close(id);

    // After the conversation closed, an answer opens a new interaction in the same conversation.
    await smtp.sendMail({
      from: 'casey@example.com',
      to: MAILBOX,
      subject: 'Re: Broken kettle',
      text: 'It works again, thanks.',
      inReplyTo: delivered.message_id,
    });
    const again = await acceptOffer('casey@example.com');
    expect(again).not.toBe(id);
    const thread = (await agent.rest('GET', `/api/v1/interactions/${again}/messages`)).json() as Array<{
      content: string;
    }>;
    expect(thread.map((m) => m.content.trim())).toEqual([
      'My kettle stopped working.',
      'Please send us a photo.',
      'Photo attached soon.',
      'It works again, thanks.',
    ]);
    await close(again);
    smtp.close();
  });

  it('lets only an admin set the webhook secret, never serves it back, and verifies with the new one', async () => {
    const wsBase = base.replace('http', 'ws').slice(0, -1);
    const admin = await TestAgent.login(h, wsBase, 'admin');
    const next = 'a-brand-new-secret-0123456789';
    expect((await agent.rest('PUT', '/api/v1/tenant/webhook-secret', { secret: next })).statusCode).toBe(403);
    expect((await admin.rest('PUT', '/api/v1/tenant/webhook-secret', { secret: 'short' })).statusCode).toBe(400);
    expect((await admin.rest('PUT', '/api/v1/tenant/webhook-secret', { secret: next })).statusCode).toBe(204);
    expect(JSON.stringify((await admin.rest('GET', '/api/v1/tenant')).json())).not.toContain(next);
    const form = {
      From: '+4915100000077',
      To: SMS_NUMBER,
      Body: 'new key',
      MessageSid: `SM${'2'.repeat(32)}`,
      NumMedia: '0',
    };
    const url = `${base}webhooks/sms`;
    expect((await webhook('webhooks/sms', form, signRequest(secret, url, form))).status).toBe(403);
    expect((await webhook('webhooks/sms', form, signRequest(next, url, form))).status).toBe(200);
    secret = next;
  });
});
