/**
 * Web chat over a real server: a customer starts a chat (public REST), talks
 * over `/ws/customer`, an agent answers over REST and the panel socket.
 * Messages go both ways exactly once, survive a transfer, and the customer
 * hears when they wait, are connected and when the chat ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestAgent, type Frame, startHarness, type Harness, STORE_KINDS } from '../testing/index.ts';

/** The customer's side: a widget-like client. */
async function customer(wsBase: string, token: string) {
  const ws = new WebSocket(`${wsBase}/ws/customer`, ['parley.v1', `parley.customer.${token}`]);
  const frames: Frame[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waitFor = async (match: (f: Frame) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const found = frames.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`customer: no frame; got ${JSON.stringify(frames)}`);
  };
  let n = 0;
  const request = async (type: string, data: unknown) => {
    const id = `c${++n}`;
    ws.send(JSON.stringify({ id, type, data }));
    return waitFor((f) => f.re === id);
  };
  return { ws, frames, waitFor, request };
}

describe.each(STORE_KINDS)('web chat on %s', (kind) => {
  let h: Harness;
  let wsBase: string;
  let agent1: TestAgent;
  let agent2: TestAgent;
  let chatQueue: string;

  beforeAll(async () => {
    h = await startHarness({}, kind);
    wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const admin = await TestAgent.login(h, wsBase, 'admin');
    const res = await admin.rest('POST', '/api/v1/queues', {
      name: 'Chat test',
      type: 'chat',
      addresses: ['chat-test'],
    });
    chatQueue = res.json().id;
    agent1 = await TestAgent.login(h, wsBase, 'agent1');
    agent2 = await TestAgent.login(h, wsBase, 'agent2');
    for (const a of [agent1, agent2]) {
      await admin.rest('PUT', `/api/v1/queues/${chatQueue}/members/${a.id}`, { can_serve: true, proficiency: 3 });
      await a.connect();
    }
  });
  afterAll(async () => {
    await agent1.disconnect();
    await agent2.disconnect();
    await h.close();
  });

  const start = async (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/api/v1/chat', payload: body, headers });

  it('starts from any site without credentials, and refuses bad input clearly', async () => {
    const bad = await start({ name: '' });
    expect(bad.statusCode).toBe(400);
    const unknown = await start({ name: 'Eve', address: 'nowhere' });
    expect(unknown.statusCode).toBe(404);
    const phoneQueue = (
      await h.db.selectFrom('queues').select('id').where('channel', '=', 'phone').executeTakeFirstOrThrow()
    ).id;
    expect((await start({ name: 'Eve', queue_id: phoneQueue })).statusCode).toBe(400);
    const cors = await start({ name: 'Eve', address: 'chat-test' }, { origin: 'https://shop.example' });
    expect(cors.statusCode).toBe(201);
    expect(cors.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(cors.headers['access-control-allow-credentials']).toBeUndefined();
    expect(cors.json()).toMatchObject({ state: 'waiting', token: expect.any(String) });
    const stored = await h.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', cors.json().conversation_id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(cors.json().token);
  });

  it('carries messages both ways exactly once, through a transfer, until the agent ends it', async () => {
    await agent2.setReady(false);
    await agent1.setReady(true);
    const started = await start({ name: 'Grace', email: 'grace@example.org', queue_id: chatQueue });
    const { token } = started.json();
    const c = await customer(wsBase, token);
    const hello = await c.waitFor((f) => f.type === 'hello');
    expect(hello.data.conversation.state).toBe('waiting');

    // (The chats started in the test before wait too; this one is Grace's.)
    const offer = await agent1.next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.remote_address.startsWith('Grace'),
    );
    const interactionId = offer.data.interaction.id as string;
    expect(offer.data.interaction).toMatchObject({ channel_type: 'chat', remote_address: 'Grace <grace@example.org>' });
    const early = await c.request('send', { content: 'Hello, anyone?', client_message_id: 'm1' });
    expect(early).toMatchObject({ ok: true, data: { direction: 'in', content: 'Hello, anyone?', author: 'Grace' } });
    // The same message resent (say after a reconnect) is acknowledged again and stored once.
    const again = await c.request('send', { content: 'Hello, anyone?', client_message_id: 'm1' });
    expect(again.data.id).toBe(early.data.id);
    // Text the store cannot hold (PostgreSQL and NUL) is refused, clearly, and the socket stays.
    const nul = await c.request('send', { content: 'Hello\u0000', client_message_id: 'm-nul' });
    expect(nul).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: 'data/content: may not contain NUL characters' },
    });

    await agent1.act(interactionId, 'accept');
    const connected = await c.waitFor((f) => f.type === 'state' && f.data.state === 'connected');
    expect(connected.data.agent).toBe('Ada Agent');
    // Typing, both ways: only news, nothing stored.
    agent1.ws!.send(JSON.stringify({ id: 't1', type: 'typing', data: { interaction_id: interactionId } }));
    await c.waitFor((f) => f.type === 'typing');
    await c.request('typing', null);
    expect((await agent1.next((f) => f.type === 'typing')).data).toEqual({ interaction_id: interactionId });
    const history = await agent1.rest('GET', `/api/v1/interactions/${interactionId}/messages`);
    expect(history.json().map((m: { content: string }) => m.content)).toEqual(['Hello, anyone?']);

    const reply = await agent1.rest('POST', `/api/v1/interactions/${interactionId}/messages`, {
      content: 'Hi Grace, how can I help?',
      client_message_id: 'a1',
    });
    expect(reply.statusCode).toBe(201);
    const got = await c.waitFor((f) => f.type === 'message' && f.data.direction === 'out');
    expect(got.data).toMatchObject({ content: 'Hi Grace, how can I help?', author: 'Ada Agent' });
    await c.request('send', { content: 'My order is late', client_message_id: 'm2' });
    const frame = await agent1.next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'message' && f.data.detail.message.content === 'My order is late',
    );
    expect(frame.data.detail.message.direction).toBe('in');

    // Transferred to agent2: the customer keeps their conversation, agent2 sees all of it.
    await agent2.setReady(true);
    await agent1.act(interactionId, 'transfer', { to: { agent_id: agent2.id } });
    const moved = await agent2.next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.transferred_from === interactionId,
    );
    await agent2.act(moved.data.interaction.id, 'accept');
    await c.waitFor((f) => f.type === 'state' && f.data.state === 'connected' && f.data.agent === 'Ben Agent');
    const all = await agent2.rest('GET', `/api/v1/interactions/${moved.data.interaction.id}/messages`);
    expect(all.json().map((m: { content: string }) => m.content)).toEqual([
      'Hello, anyone?',
      'Hi Grace, how can I help?',
      'My order is late',
    ]);
    await c.request('send', { content: 'Thanks!', client_message_id: 'm3' });
    await agent2.next(
      (f) => f.type === 'interaction' && f.data.event === 'message' && f.data.detail.message.content === 'Thanks!',
    );
    // The agent who transferred it can no longer write into it.
    const stale = await agent1.rest('POST', `/api/v1/interactions/${interactionId}/messages`, { content: 'hello?' });
    expect(stale.statusCode).toBe(409);

    await agent2.act(moved.data.interaction.id, 'hangup');
    await c.waitFor((f) => f.type === 'state' && f.data.state === 'closed');
    const late = await c.request('send', { content: 'one more thing' });
    expect(late).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    const count = await h.db
      .selectFrom('messages')
      .select(h.db.fn.countAll().as('n'))
      .where('conversation_id', '=', started.json().conversation_id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
    c.ws.close();
    await agent1.act(interactionId, 'handle');
    await agent2.act(moved.data.interaction.id, 'handle');
  });

  it("after a consult and join, tells the customer who serves them now; the agents' thread stays between them", async () => {
    await agent2.setReady(false);
    await agent1.setReady(true);
    const started = await start({ name: 'Hedy', queue_id: chatQueue });
    const c = await customer(wsBase, started.json().token);
    await c.waitFor((f) => f.type === 'hello');
    const offer = await agent1.next(
      (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.remote_address === 'Hedy',
    );
    const original = offer.data.interaction.id as string;
    await agent1.act(original, 'accept');
    await c.waitFor((f) => f.type === 'state' && f.data.state === 'connected' && f.data.agent === 'Ada Agent');
    await c.request('send', { content: 'Can I change my plan?', client_message_id: 'h1' });

    await agent2.setReady(true);
    const leg = (await agent1.act(original, 'consult', { to: { agent_id: agent2.id } })).json();
    const ring = await agent2.next(
      (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.consultation_of === original,
    );
    const consulted = ring.data.interaction.id as string;
    await agent2.act(consulted, 'accept');
    // The consulted agent reads the customer's transcript on their leg, and the two agents write to each other.
    const transcript = (await agent2.rest('GET', `/api/v1/interactions/${consulted}/messages`)).json();
    expect(transcript.map((m: { content: string }) => m.content)).toEqual(['Can I change my plan?']);
    const ask = await agent1.rest('POST', `/api/v1/interactions/${leg.id}/messages`, {
      content: 'Ben, can you take a plan change?',
    });
    expect(ask.statusCode).toBe(201);
    expect(ask.json()).toMatchObject({ internal: true, author: 'Ada Agent' });
    const heard = await agent2.next(
      (f) =>
        f.type === 'interaction' &&
        f.data.event === 'message' &&
        f.data.interaction.id === consulted &&
        f.data.detail.message.content === 'Ben, can you take a plan change?',
    );
    expect(heard.data.detail.message.internal).toBe(true);
    const answer = await agent2.rest('POST', `/api/v1/interactions/${consulted}/messages`, { content: 'Sure.' });
    expect(answer.statusCode).toBe(201);
    await agent1.next(
      (f) =>
        f.type === 'interaction' &&
        f.data.event === 'message' &&
        f.data.interaction.id === leg.id &&
        f.data.detail.message.content === 'Sure.',
    );

    // What the customer writes meanwhile reaches the consulted agent too.
    await c.request('send', { content: 'Still there?', client_message_id: 'h2' });
    await agent2.next(
      (f) =>
        f.type === 'interaction' &&
        f.data.event === 'message' &&
        f.data.interaction.id === consulted &&
        f.data.detail.message.content === 'Still there?',
    );

    await agent1.act(original, 'join');
    await c.waitFor((f) => f.type === 'state' && f.data.state === 'connected' && f.data.agent === 'Ben Agent');
    const reply = await agent2.rest('POST', `/api/v1/interactions/${consulted}/messages`, {
      content: 'Hi Hedy, Ben here.',
    });
    expect(reply.json().internal).toBeUndefined();
    await c.waitFor((f) => f.type === 'message' && f.data.content === 'Hi Hedy, Ben here.');
    // The customer reads everything up to the newest message: the agents' thread is not part of it.
    await c.request('read', { message_id: reply.json().id });
    // The customer never hears the agents' thread: not live, not in read receipts, not when they come back.
    expect(c.frames.some((f) => f.type === 'message' && f.data.internal)).toBe(false);
    const again = await customer(wsBase, started.json().token);
    const hello = await again.waitFor((f) => f.type === 'hello');
    expect(hello.data.conversation.agent).toBe('Ben Agent');
    expect(hello.data.messages.map((m: { content: string }) => m.content)).toEqual([
      'Can I change my plan?',
      'Still there?',
      'Hi Hedy, Ben here.',
    ]);
    await agent2.act(consulted, 'hangup');
    await agent2.act(consulted, 'handle');
    await agent1.act(original, 'handle');
    c.ws.close();
    again.ws.close();
  });

  it('answers a request too large to take with too_large, and keeps the customer connected', async () => {
    const started = await start({ name: 'Paste', queue_id: chatQueue });
    const c = await customer(wsBase, started.json().token);
    await c.waitFor((f) => f.type === 'hello');
    const closed: number[] = [];
    c.ws.on('close', (code) => closed.push(code));
    const big = await c.request('message', { content: 'x'.repeat(100_000) });
    expect(big).toMatchObject({ ok: false, error: { code: 'too_large', message: expect.stringContaining('98 KB') } });
    // Still there: the next request is answered.
    const small = await c.request('typing', {});
    expect(small.re).toBeDefined();
    expect(closed).toEqual([]);
    c.ws.close();
  });

  it('tells waiting customers their place in line as it changes', async () => {
    await agent1.setReady(false);
    await agent2.setReady(false);
    const waitingBefore = (await agent1.rest('GET', `/api/v1/queues/${chatQueue}/contacts`)).json().length as number;
    const first = await start({ name: 'First', queue_id: chatQueue });
    const second = await start({ name: 'Second', queue_id: chatQueue });
    const c1 = await customer(wsBase, first.json().token);
    const c2 = await customer(wsBase, second.json().token);
    expect((await c1.waitFor((f) => f.type === 'hello')).data.conversation.position).toBe(waitingBefore + 1);
    expect((await c2.waitFor((f) => f.type === 'hello')).data.conversation.position).toBe(waitingBefore + 2);
    await c1.request('end', null);
    const moved = await c2.waitFor((f) => f.type === 'state' && f.data.position === waitingBefore + 1);
    expect(moved.data.state).toBe('waiting');
    await c2.request('end', null);
    c1.ws.close();
    c2.ws.close();
  });

  it('estimates the wait from the pace the queue answers at, once it has answered a few', async () => {
    // An agent of its own, so offers left over from other tests do not get in the way.
    const admin = await TestAgent.login(h, wsBase, 'admin');
    const agent3 = await TestAgent.login(h, wsBase, 'agent3');
    const q = (await admin.rest('POST', '/api/v1/queues', { name: 'Pace', type: 'chat', addresses: ['pace'] })).json();
    await admin.rest('PUT', `/api/v1/queues/${q.id}/members/${agent3.id}`, { can_serve: true, proficiency: 3 });
    await agent3.connect();
    await agent3.setReady(true);
    const quiet = await start({ name: 'Early', queue_id: q.id });
    const early = await customer(wsBase, quiet.json().token);
    // Not answered yet, nothing to go by: no estimate rather than a made-up one.
    const first = await agent3.next(
      (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.queue_id === q.id,
    );
    expect((await early.waitFor((f) => f.type === 'hello')).data.conversation.estimated_wait_s).toBeUndefined();
    const answered = [first.data.interaction.id as string];
    await agent3.act(answered[0] ?? '', 'accept');
    for (const name of ['B', 'C']) {
      await start({ name, queue_id: q.id });
      const offer = await agent3.next(
        (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.queue_id === q.id,
      );
      answered.push(offer.data.interaction.id);
      await agent3.act(offer.data.interaction.id, 'accept');
    }
    await agent3.setReady(false);
    const waiting = await start({ name: 'Late', queue_id: q.id });
    const late = await customer(wsBase, waiting.json().token);
    const hello = await late.waitFor((f) => f.type === 'hello');
    expect(hello.data.conversation.position).toBe(1);
    expect(hello.data.conversation.estimated_wait_s).toBeGreaterThanOrEqual(10);
    await late.request('end', null);
    for (const id of answered) {
      await agent3.act(id, 'hangup');
      await agent3.act(id, 'handle');
    }
    early.ws.close();
    late.ws.close();
    await agent3.disconnect();
  });

  it('abandons a waiting chat when the customer leaves, and refuses an unknown token', async () => {
    await agent1.setReady(false);
    await agent2.setReady(false);
    const started = await start({ name: 'Hal', queue_id: chatQueue });
    const c = await customer(wsBase, started.json().token);
    await c.waitFor((f) => f.type === 'hello');
    await c.request('end', null);
    await c.waitFor((f) => f.type === 'state' && f.data.state === 'closed');
    const row = await h.db
      .selectFrom('interactions')
      .select('state')
      .where('conversation_id', '=', started.json().conversation_id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('missed');

    const ghost = new WebSocket(`${wsBase}/ws/customer`, ['parley.v1', 'parley.customer.nope']);
    const code = await new Promise<number>((resolve) => ghost.on('close', (c2) => resolve(c2)));
    expect(code).toBe(4001);
  });

  it('carries files and read receipts both ways, and mails the transcript to the customer', async () => {
    await agent2.setReady(false);
    await agent1.setReady(true);
    const started = await start({ name: 'Ivy', email: 'ivy@example.org', queue_id: chatQueue });
    const { token } = started.json();
    const c = await customer(wsBase, token);
    await c.waitFor((f) => f.type === 'hello');
    const offer = await agent1.next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.remote_address.startsWith('Ivy'),
    );
    const id = offer.data.interaction.id as string;
    await agent1.act(id, 'accept');

    const upload = (type: string, body: Buffer, name = 'photo.png', t = token) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/chat/attachments?name=${encodeURIComponent(name)}`,
        headers: { 'content-type': type, 'x-parley-conversation': t },
        payload: body,
      });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect((await upload('image/png', png, 'x.png', 'not-a-token-at-all-really-no')).statusCode).toBe(401);
    const exe = await upload('application/x-msdownload', Buffer.from('MZ'), 'x.exe');
    expect(exe.statusCode).toBe(400);
    expect(exe.json().error.message).toContain('not accepted');
    const big = await upload('image/png', Buffer.concat([png, Buffer.alloc(6 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('too_large');
    const text = await upload('text/plain; charset=utf-8', Buffer.from('Order 4711'), 'order.txt');
    expect(text.json()).toMatchObject({ name: 'order.txt', content_type: 'text/plain', size: 10 });
    const ok = await upload('image/png', png);
    expect(ok.statusCode).toBe(201);
    const file = ok.json().id as string;
    const sent = await c.request('send', { content: 'See the photo', client_message_id: 'f1', attachment_ids: [file] });
    expect(sent.data.attachments).toEqual([expect.objectContaining({ id: file, name: 'photo.png', size: png.length })]);
    // A file goes with one message only.
    const twice = await c.request('send', { content: 'again', client_message_id: 'f2', attachment_ids: [file] });
    expect(twice).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const download = await agent1.rest('GET', `/api/v1/attachments/${file}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(png)).toBe(true);
    expect(download.headers['content-security-policy']).toContain('sandbox');
    expect((await agent2.rest('GET', `/api/v1/attachments/${file}`)).statusCode).toBe(403);

    // The agent reads the customer's message: the customer sees it read; and the other way round.
    await agent1.rest('POST', `/api/v1/interactions/${id}/read`, { message_id: sent.data.id });
    await c.waitFor((f) => f.type === 'message' && f.data.id === sent.data.id && f.data.status === 'read');
    const answer = await agent1.rest('POST', `/api/v1/interactions/${id}/messages`, { content: 'Nice photo' });
    await c.request('read', { message_id: answer.json().id });
    await agent1.next(
      (f) =>
        f.type === 'interaction' &&
        f.data.event === 'message_status' &&
        f.data.detail.message.id === answer.json().id &&
        f.data.detail.message.status === 'read',
    );

    await agent1.act(id, 'hangup');
    await c.waitFor((f) => f.type === 'state' && f.data.state === 'closed');
    const transcript = (t: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/chat/transcript', headers: { 'x-parley-conversation': t } });
    const mailTo = (to: string) =>
      h.db.selectFrom('demo_mailbox').selectAll().where('to', '=', to).orderBy('received_at').execute();
    // The address is only what the customer typed: first it gets a link, with none of the chat in it.
    const asked = await transcript(token);
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({ confirm_sent_to: 'ivy@example.org' });
    expect((await transcript(token)).statusCode).toBe(429);
    const [confirmation] = await mailTo('ivy@example.org');
    expect(confirmation?.text).not.toContain('See the photo');
    expect(confirmation?.text).not.toContain('Ivy');
    const link = /\/chat\/transcript#([A-Za-z0-9_-]{43})/.exec(confirmation?.text ?? '')?.[1];
    expect(link).toBeDefined();
    const page = await h.app.inject({ method: 'GET', url: '/chat/transcript' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const confirm = (t: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/chat/transcript/confirm', payload: { token: t } });
    expect((await confirm('x'.repeat(43))).statusCode).toBe(404);
    const confirmed = await confirm(link!);
    expect(confirmed.statusCode, confirmed.body).toBe(202);
    expect(confirmed.json()).toEqual({ sent_to: 'ivy@example.org' });
    // Once only.
    expect((await confirm(link!)).statusCode).toBe(409);
    const mails = await mailTo('ivy@example.org');
    expect(mails).toHaveLength(2);
    expect(mails[1]?.text).toContain('Ivy: See the photo');
    expect(mails[1]?.text).toContain('Ada Agent: Nice photo');
    await agent1.act(id, 'handle');
    c.ws.close();
  });

  it('offers to leave a message when nobody is online, and that message becomes an email interaction', async () => {
    const lonely = await agent1.rest('GET', '/api/v1/chat/availability?address=chat-test');
    expect(lonely.json()).toEqual({ available: true, leave_message: true });
    await agent1.disconnect();
    await agent2.disconnect();
    const none = await h.app.inject({ method: 'GET', url: '/api/v1/chat/availability?address=chat-test' });
    expect(none.json()).toEqual({ available: false, leave_message: true });
    const left = await h.app.inject({
      method: 'POST',
      url: '/api/v1/chat/messages',
      payload: { name: 'Jo', email: 'jo@example.org', message: 'Please call me back.', address: 'chat-test' },
    });
    expect(left.statusCode).toBe(201);
    const row = await h.db
      .selectFrom('interactions')
      .select(['channel', 'remote_address', 'state'])
      .where('remote_address', 'like', 'Jo <%')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'email', remote_address: 'Jo <jo@example.org>', state: 'incoming' });
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/chat/messages',
      payload: { name: 'Jo', email: 'not an address', message: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    await agent1.connect();
    await agent2.connect();
  });
});
