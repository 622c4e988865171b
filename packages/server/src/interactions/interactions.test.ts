/**
 * Interactions over a real server and real panel sockets, on SQLite and
 * PostgreSQL: offers, accept/reject/timeout, hold, wrap-up, transfer,
 * consult/join/conference, outbound, picklist, idempotency, rights, resume.
 * Time is the test's own: routing timers run when the test ticks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, startHarness, type Harness, STORE_KINDS } from '../testing/index.ts';

describe.each(STORE_KINDS)('interactions on %s', (kind) => {
  let h: Harness;
  let wsBase: string;
  let now = Date.parse('2026-11-21T12:00:00.000Z');
  const agents = new Map<string, TestAgent>();
  let admin: TestAgent;
  let line: string; // a phone queue: agent1, agent2, agent3
  let backOffice: string; // a phone queue: agent4 only
  let chat: string; // a chat queue: agent1, agent2
  const a = (name: string) => agents.get(name)!;

  const tick = async (ms: number) => {
    now += ms;
    await h.ctx.interactions.tick(h.tenant.id);
  };
  const call = async (queueId: string, from = '+4930123456', extra: Record<string, unknown> = {}) => {
    const res = await admin.rest('POST', '/api/v1/demo/contacts', { queue_id: queueId, from, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; state: string; agent_id: string | null };
  };
  const remote = async (id: string, event: string) => {
    const res = await admin.rest('POST', `/api/v1/demo/interactions/${id}/remote`, { event });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ok = async (res: Promise<{ statusCode: number; body: string; json: () => unknown }>) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects are inspected structurally
    return r.json() as any;
  };
  const queue = async (name: string, channel: string, members: string[], extra: Record<string, unknown> = {}) => {
    const res = await admin.rest('POST', '/api/v1/queues', {
      name,
      type: channel,
      offer_timeout_s: 20,
      wrapup_s: 30,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    for (const m of members)
      await ok(admin.rest('PUT', `/api/v1/queues/${id}/members/${a(m).id}`, { can_serve: true, proficiency: 3 }));
    return id;
  };
  /** Makes everyone not ready, then the given agents ready in this order (the first is the longest idle). */
  const onlyReady = async (...names: string[]) => {
    for (const agent of agents.values()) await agent.setReady(false);
    for (const name of names) await a(name).setReady(true);
  };
  const stateOf = async (agent: TestAgent, id: string) =>
    (await ok(agent.rest('GET', `/api/v1/interactions/${id}`))).state;

  beforeAll(async () => {
    h = await startHarness({}, kind, { interactions: { clock: () => now, timers: false } });
    wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    admin = await TestAgent.login(h, wsBase, 'admin');
    for (const name of ['agent1', 'agent2', 'agent3', 'agent4']) {
      const agent = await TestAgent.login(h, wsBase, name);
      await agent.connect();
      agents.set(name, agent);
    }
    line = await queue('Test Line', 'phone', ['agent1', 'agent2', 'agent3'], { addresses: ['+15550001000'] });
    backOffice = await queue('Back Office', 'phone', ['agent4'], { addresses: ['+15550002000'], priority: 9 });
    chat = await queue('Test Chat', 'chat', ['agent1', 'agent2'], { addresses: ['testchat'] });
  });
  afterAll(async () => {
    for (const agent of agents.values()) await agent.disconnect();
    await h.close();
  });

  it('offers to the longest-idle agent, who accepts, holds, hangs up, wraps up and handles it', async () => {
    await onlyReady('agent2', 'agent1');
    const contact = await call(line);
    expect(contact).toMatchObject({ state: 'alerting', agent_id: a('agent2').id });
    const offered = await a('agent2').event('offered', contact.id);
    expect(offered.data.interaction).toMatchObject({
      state: 'alerting',
      queue_name: 'Test Line',
      remote_address: '+4930123456',
    });
    expect(offered.data.detail.expires_at).toBe(new Date(now + 20_000).toISOString());

    expect(await ok(a('agent2').act(contact.id, 'accept'))).toMatchObject({
      state: 'accepted',
      date_accepted: expect.any(String),
    });
    expect((await ok(a('agent2').rest('GET', '/api/v1/me'))).work_status).toBe('busy');
    const held = await ok(a('agent2').act(contact.id, 'hold'));
    expect(held).toMatchObject({ state: 'held', held: true, held_since: new Date(now).toISOString() });
    // Since when it is held stays with it through other changes, and goes when it is taken off hold.
    expect((await ok(a('agent2').act(contact.id, 'mute'))).held_since).toBe(held.held_since);
    await ok(a('agent2').act(contact.id, 'unmute'));
    const unheld = await ok(a('agent2').act(contact.id, 'unhold'));
    expect(unheld).toMatchObject({ state: 'accepted', held: false });
    expect(unheld.held_since).toBeUndefined();
    expect(await ok(a('agent2').act(contact.id, 'mute'))).toMatchObject({ muted: true });
    const wrapping = await ok(a('agent2').act(contact.id, 'hangup'));
    expect(wrapping).toMatchObject({ state: 'wrap_up', wrapup_until: new Date(now + 30_000).toISOString() });
    expect((await ok(a('agent2').rest('GET', '/api/v1/me'))).work_status).toBe('wrap_up');

    const done = await ok(a('agent2').act(contact.id, 'handle', { code: 'resolved', notes: 'all good' }));
    expect(done).toMatchObject({ state: 'handled', wrapup: { code: 'resolved', notes: 'all good' } });
    expect((await ok(a('agent2').rest('GET', '/api/v1/me'))).work_status).toBe('ready');

    await a('agent2').event('handled', contact.id);
    const events = a('agent2').events(contact.id);
    expect(events).toEqual([
      'offered',
      'accepted',
      'held',
      'mute',
      'unmute',
      'unheld',
      'mute',
      'ended',
      'wrap_up',
      'handled',
    ]);
    // One per-tenant sequence, strictly increasing, in the order the panel got them.
    const seqs = a('agent2')
      .frames.filter((f) => f.data?.interaction?.id === contact.id)
      .map((f) => f.data.event_seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('gives a rejected contact to the next agent and never back to the one who rejected it', async () => {
    await onlyReady('agent1', 'agent2');
    const contact = await call(line);
    expect(contact.agent_id).toBe(a('agent1').id);
    expect(await ok(a('agent1').act(contact.id, 'reject'))).toMatchObject({ state: 'incoming', agent_id: null });
    const offered = await a('agent2').event('offered', contact.id);
    expect(offered.data.interaction.agent_id).toBe(a('agent2').id);
    await ok(a('agent2').act(contact.id, 'reject'));
    // Nobody else serves it: it waits, and agent1 is never asked again.
    await a('agent1').setReady(true);
    expect((await admin.rest('GET', `/api/v1/interactions/${contact.id}`)).statusCode).toBe(403);
    const waiting = await ok(a('agent3').rest('GET', `/api/v1/queues/${line}/contacts`));
    expect(waiting.map((c: { id: string }) => c.id)).toContain(contact.id);
    await a('agent3').setReady(true);
    await a('agent3').event('offered', contact.id);
    await ok(a('agent3').act(contact.id, 'accept'));
    await ok(a('agent3').act(contact.id, 'hangup'));
    await ok(a('agent3').act(contact.id, 'handle'));
  });

  it('withdraws an offer that times out (and not before), and three missed offers make the agent not ready', async () => {
    await onlyReady('agent1');
    const first = await call(line);
    await tick(19_999);
    expect(await stateOf(a('agent1'), first.id)).toBe('alerting');
    await tick(1);
    const withdrawn = await a('agent1').event('offer_withdrawn', first.id);
    expect(withdrawn.data.detail).toEqual({ reason: 'timeout' });
    await remote(first.id, 'hangup');
    const second = await call(line);
    await tick(20_000);
    await remote(second.id, 'hangup');
    const third = await call(line);
    expect(third.agent_id).toBe(a('agent1').id);
    await tick(20_000);
    await remote(third.id, 'hangup');
    const me = await a('agent1').next((f) => f.type === 'user' && f.data.user.work_status === 'not_ready');
    expect(me.data.user.work_status).toBe('not_ready');
    const state = await ok(a('agent1').rest('GET', '/api/v1/me'));
    expect(state.work_status).toBe('not_ready');
    const stored = await h.db
      .selectFrom('users')
      .innerJoin('reason_codes', 'reason_codes.id', 'users.not_ready_reason_id')
      .select('reason_codes.code')
      .where('users.id', '=', a('agent1').id)
      .executeTakeFirst();
    expect(stored?.code).toBe('missed_offers');
    // The panel's missed list has all three, newest first, with the queue; the other agents' lists do not.
    const missed = await ok(a('agent1').rest('GET', '/api/v1/me/missed'));
    expect(missed.slice(0, 3)).toMatchObject([
      { interaction_id: third.id, reason: 'timeout', queue_name: 'Test Line', remote_address: '+4930123456' },
      { interaction_id: second.id, reason: 'timeout' },
      { interaction_id: first.id, reason: 'timeout' },
    ]);
    const theirs = await ok(a('agent4').rest('GET', '/api/v1/me/missed'));
    expect(theirs.map((m: { interaction_id: string }) => m.interaction_id)).not.toContain(first.id);
  });

  it('offers a contact that rang out again to the only ready agent once the re-offer time has passed', async () => {
    await onlyReady('agent1');
    const contact = await call(line);
    expect(contact.agent_id).toBe(a('agent1').id);
    await tick(20_000);
    await a('agent1').event('offer_withdrawn', contact.id);
    // Kept from agent1 for 30 s (nobody else is ready), then offered again rather than left waiting.
    await tick(29_999);
    expect(await stateOf(admin, contact.id).catch(() => 'hidden')).not.toBe('alerting');
    await tick(1);
    const again = await a('agent1').next(
      (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.id === contact.id,
    );
    expect(again.data.interaction.agent_id).toBe(a('agent1').id);
    await ok(a('agent1').act(contact.id, 'accept'));
    await ok(a('agent1').act(contact.id, 'hangup'));
    await ok(a('agent1').act(contact.id, 'handle'));
  });

  it('tells the agent who transferred blind when the target does not take it, and where the contact went', async () => {
    await onlyReady('agent1', 'agent2');
    const contact = await call(line);
    await ok(a('agent1').act(contact.id, 'accept'));
    await ok(a('agent1').act(contact.id, 'transfer', { to: { agent_id: a('agent2').id } }));
    const offer = await a('agent2').next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.transferred_from === contact.id,
    );
    await ok(a('agent2').act(offer.data.interaction.id, 'reject'));
    const told = await a('agent1').next((f) => f.type === 'interaction' && f.data.event === 'transfer_failed');
    expect(told.data.interaction.id).toBe(contact.id);
    expect(told.data.detail).toEqual({
      reason: 'rejected',
      agent_id: a('agent2').id,
      agent_name: 'Ben Agent',
      outcome: 'queued',
      queue_name: 'Test Line',
      transferred_to: offer.data.interaction.id,
    });
    await a('agent1').setReady(false);
    await ok(a('agent1').act(contact.id, 'handle'));
    await a('agent3').setReady(true);
    await a('agent3').event('offered', offer.data.interaction.id);
    await ok(a('agent3').act(offer.data.interaction.id, 'accept'));
    await ok(a('agent3').act(offer.data.interaction.id, 'hangup'));
    await ok(a('agent3').act(offer.data.interaction.id, 'handle'));
  });

  it('answers 403 for someone else’s interaction, 409 with the state for a finished one, and acts once per request id', async () => {
    await onlyReady('agent1');
    const contact = await call(line);
    const foreign = await a('agent2').act(contact.id, 'accept');
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('forbidden');

    const first = await ok(a('agent1').act(contact.id, 'accept', { request_id: 'acc-1' }));
    const again = await ok(a('agent1').act(contact.id, 'accept', { request_id: 'acc-1' }));
    expect(again).toEqual(first);
    expect(
      a('agent1')
        .events(contact.id)
        .filter((e) => e === 'accepted').length,
    ).toBeLessThanOrEqual(1);
    const events = await h.db
      .selectFrom('interaction_events')
      .select('type')
      .where('interaction_id', '=', contact.id)
      .execute();
    expect(events.filter((e) => e.type === 'accepted')).toHaveLength(1);
    const reused = await a('agent1').act(contact.id, 'hangup', { request_id: 'acc-1' });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.message).toContain('already used');

    await ok(a('agent1').act(contact.id, 'hangup'));
    await ok(a('agent1').act(contact.id, 'handle'));
    const late = await a('agent1').act(contact.id, 'hold');
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toEqual({
      code: 'invalid_state',
      message: `Interaction ${contact.id} is handled; hold is not possible in that state.`,
    });
    const wrong = await a('agent1').act(contact.id, 'transfer', { notes: 'x' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toBe('notes: not a field of the transfer action');
  });

  it('keeps contacts waiting in priority and age order for the picklist; a pick takes one over', async () => {
    await onlyReady();
    const older = await call(line, '+491111');
    now += 1000;
    const younger = await call(line, '+492222');
    const list = await ok(a('agent1').rest('GET', `/api/v1/contacts?queue_id=${line}`));
    expect(list.map((c: { id: string }) => c.id)).toEqual([older.id, younger.id]);
    expect(list[0]).toMatchObject({ channel_type: 'phone', remote_address: '+491111', queue_name: 'Test Line' });
    const stats = await ok(admin.rest('GET', '/api/v1/queues/stats'));
    expect(stats.find((s: { queue_id: string }) => s.queue_id === line)).toMatchObject({ contacts_waiting: 2 });
    const forbidden = await a('agent4').rest('GET', `/api/v1/contacts?queue_id=${line}`);
    expect(forbidden.statusCode).toBe(403);

    const picked = await ok(a('agent2').rest('POST', `/api/v1/contacts/${younger.id}/pick`, {}));
    expect(picked).toMatchObject({ state: 'accepted', agent_id: a('agent2').id });
    const notWaiting = await a('agent1').rest('POST', `/api/v1/contacts/${younger.id}/pick`, {});
    expect(notWaiting.statusCode).toBe(409);
    // The older one is still first in line and goes to the first agent who is ready.
    await a('agent3').setReady(true);
    await a('agent3').event('offered', older.id);
    for (const [agent, id] of [
      ['agent2', younger.id],
      ['agent3', older.id],
    ] as const) {
      if (agent === 'agent3') await ok(a(agent).act(id, 'accept'));
      await ok(a(agent).act(id, 'hangup'));
      await ok(a(agent).act(id, 'handle'));
    }
  });

  it('transfers to a queue keeping the customer’s age and priority, to an agent, and to a number', async () => {
    await onlyReady('agent1');
    const contact = await call(line, '+4940000');
    await ok(a('agent1').act(contact.id, 'accept'));
    const ended = await ok(a('agent1').act(contact.id, 'transfer', { to: { queue_id: backOffice } }));
    expect(ended.state).toBe('wrap_up');
    const moved = await h.db
      .selectFrom('interactions')
      .selectAll()
      .where('transferred_from', '=', contact.id)
      .executeTakeFirstOrThrow();
    const original = await h.db
      .selectFrom('interactions')
      .selectAll()
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(moved).toMatchObject({
      queue_id: backOffice,
      state: 'incoming',
      remote_address: '+4940000',
      waiting_since: original.waiting_since,
    });
    await ok(a('agent1').act(contact.id, 'handle'));

    await a('agent4').setReady(true);
    const offer = await a('agent4').event('offered', moved.id);
    expect(offer.data.interaction).toMatchObject({ transferred_from: contact.id, queue_name: 'Back Office' });
    await ok(a('agent4').act(moved.id, 'accept'));

    // agent4 hands the customer to agent1 directly.
    await a('agent1').setReady(true);
    await ok(a('agent4').act(moved.id, 'transfer', { to: { agent_id: a('agent1').id } }));
    const direct = await a('agent1').next(
      (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.transferred_from === moved.id,
    );
    const third = direct.data.interaction.id as string;
    await ok(a('agent1').act(third, 'accept'));
    const unreachable = await a('agent1').act(third, 'transfer', { to: { agent_id: a('agent2').id } });
    expect(unreachable.statusCode).toBe(422);
    expect(unreachable.json().error.code).toBe('unreachable');

    const out = await ok(a('agent1').act(third, 'transfer', { to: { number: '+1 555 123 4567' } }));
    expect(out.state).toBe('wrap_up');
    const event = await h.db
      .selectFrom('interaction_events')
      .select('data')
      .where('interaction_id', '=', third)
      .where('type', '=', 'ended')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.data).detail).toMatchObject({ cause: 'transferred' });
    expect(JSON.parse(event.data).detail.target).toEqual({ kind: 'number', address: '+15551234567' });
    await ok(a('agent1').act(third, 'handle'));
    await ok(a('agent4').act(moved.id, 'handle'));
  });

  it('consults an agent who answers; join hands the customer over, and the consulting agent wraps up', async () => {
    await onlyReady('agent1', 'agent2');
    const contact = await call(line, '+4950000');
    await ok(a('agent1').act(contact.id, 'accept'));
    const leg = await ok(a('agent1').act(contact.id, 'consult', { to: { address: 'agent2' } }));
    expect(leg).toMatchObject({
      direction: 'outbound',
      state: 'alerting',
      consultation_of: contact.id,
      remote_address: 'agent2',
    });
    expect(await stateOf(a('agent1'), contact.id)).toBe('held');
    const ring = await a('agent2').next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.consultation_of === contact.id,
    );
    const other = ring.data.interaction.id as string;
    expect(ring.data.interaction).toMatchObject({ remote_address: 'agent1', peer_id: leg.id });
    await ok(a('agent2').act(other, 'accept'));
    expect(await stateOf(a('agent1'), leg.id)).toBe('accepted');

    const left = await ok(a('agent1').act(contact.id, 'join'));
    expect(left.state).toBe('wrap_up');
    expect(await stateOf(a('agent1'), leg.id)).toBe('handled');
    const now2 = await ok(a('agent2').rest('GET', `/api/v1/interactions/${other}`));
    expect(now2).toMatchObject({ state: 'accepted', remote_address: '+4950000' });
    expect(now2.peer_id).toBeUndefined();
    // The customer is the queue's contact still: the consulted agent wraps up too.
    expect(now2.queue_id).toBe(line);
    expect((await ok(a('agent2').act(other, 'hangup'))).state).toBe('wrap_up');
    await ok(a('agent2').act(other, 'handle'));
    await ok(a('agent1').act(contact.id, 'handle'));
  });

  it('consults on a chat without holding it, and join hands the chat to the consulted agent', async () => {
    await onlyReady('agent1', 'agent2');
    const chatContact = await call(chat, 'visitor-9');
    expect(chatContact.agent_id).toBe(a('agent1').id);
    await ok(a('agent1').act(chatContact.id, 'accept'));
    const leg = await ok(a('agent1').act(chatContact.id, 'consult', { to: { agent_id: a('agent2').id } }));
    expect(leg).toMatchObject({ channel_type: 'chat', consultation_of: chatContact.id });
    expect(await stateOf(a('agent1'), chatContact.id)).toBe('accepted');
    const ring = await a('agent2').next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.consultation_of === chatContact.id,
    );
    await ok(a('agent2').act(ring.data.interaction.id, 'accept'));
    await ok(a('agent1').act(chatContact.id, 'join'));
    expect(await ok(a('agent2').rest('GET', `/api/v1/interactions/${ring.data.interaction.id}`))).toMatchObject({
      state: 'accepted',
      remote_address: 'visitor-9',
      channel_type: 'chat',
    });
    await ok(a('agent2').act(ring.data.interaction.id, 'hangup'));
    await ok(a('agent2').act(ring.data.interaction.id, 'handle'));
    await ok(a('agent1').act(chatContact.id, 'handle'));
  });

  it('cancels a consultation back to the customer, and a conference ends for all when the customer hangs up', async () => {
    await onlyReady('agent1', 'agent2');
    const contact = await call(line, '+4960000');
    await ok(a('agent1').act(contact.id, 'accept'));
    const leg = await ok(a('agent1').act(contact.id, 'consult', { to: { number: '+15550009999' } }));
    expect(leg.state).toBe('alerting');
    const back = await ok(a('agent1').act(contact.id, 'cancel_consult'));
    expect(back).toMatchObject({ id: contact.id, state: 'accepted', held: false });
    expect(await stateOf(a('agent1'), leg.id)).toBe('handled');

    const again = await ok(a('agent1').act(contact.id, 'consult', { to: { agent_id: a('agent2').id } }));
    const twice = await a('agent1').act(contact.id, 'consult', { to: { number: '+15550009999' } });
    expect(twice.statusCode).toBe(409);
    const ring = await a('agent2').next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.consultation_of === contact.id,
    );
    const other = ring.data.interaction.id as string;
    const early = await a('agent1').act(contact.id, 'conference');
    expect(early.statusCode).toBe(409);
    await ok(a('agent2').act(other, 'accept'));
    const conf = await ok(a('agent1').act(contact.id, 'conference'));
    expect(conf).toMatchObject({ state: 'accepted', conference: true });
    expect(await stateOf(a('agent1'), again.id)).toBe('handled');
    expect((await ok(a('agent2').rest('GET', `/api/v1/interactions/${other}`))).conference).toBe(true);

    await remote(contact.id, 'hangup');
    expect(await stateOf(a('agent1'), contact.id)).toBe('wrap_up');
    expect(['handled', 'wrap_up']).toContain(await stateOf(a('agent2'), other));
    await ok(a('agent1').act(contact.id, 'handle'));
  });

  it("lists a conference's parties, and lets its agent hang up on the consulted one while the customer stays", async () => {
    await onlyReady('agent1', 'agent2');
    const contact = await call(line, '+4960001');
    await ok(a('agent1').act(contact.id, 'accept'));
    await ok(a('agent1').act(contact.id, 'consult', { to: { agent_id: a('agent2').id } }));
    const ring = await a('agent2').next(
      (f) =>
        f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.consultation_of === contact.id,
    );
    const other = ring.data.interaction.id as string;
    await ok(a('agent2').act(other, 'accept'));
    await ok(a('agent1').act(contact.id, 'conference'));
    const parties = await ok(a('agent1').rest('GET', `/api/v1/interactions/${contact.id}/parties`));
    expect(parties).toEqual([
      { interaction_id: null, kind: 'customer', name: '+4960001', agent_id: null },
      { interaction_id: contact.id, kind: 'agent', name: 'Ada Agent', agent_id: a('agent1').id },
      { interaction_id: other, kind: 'agent', name: 'Ben Agent', agent_id: a('agent2').id },
    ]);
    // The consulted agent sees the same parties; the agents of other calls do not.
    expect(await ok(a('agent2').rest('GET', `/api/v1/interactions/${other}/parties`))).toEqual(parties);
    expect((await a('agent3').rest('GET', `/api/v1/interactions/${contact.id}/parties`)).statusCode).toBe(403);
    // Only the conference's own agent drops a party, and only one of its parties.
    expect((await a('agent2').act(other, 'drop', { party: contact.id })).statusCode).toBe(409);
    expect((await a('agent1').act(contact.id, 'drop', { party: 'f'.repeat(32) })).statusCode).toBe(404);
    expect((await a('agent1').act(contact.id, 'drop')).statusCode).toBe(400);

    const after = await ok(a('agent1').act(contact.id, 'drop', { party: other }));
    expect(after).toMatchObject({ id: contact.id, state: 'accepted', conference: false });
    const ended = await a('agent2').event('ended', other);
    expect(ended.data.detail).toEqual({ cause: 'removed' });
    expect(await ok(a('agent1').rest('GET', `/api/v1/interactions/${contact.id}/parties`))).toEqual([]);
    await ok(a('agent1').act(contact.id, 'hangup'));
    await ok(a('agent1').act(contact.id, 'handle'));
    if ((await stateOf(a('agent2'), other)) === 'wrap_up') await ok(a('agent2').act(other, 'handle'));
  });

  it('starts outbound work only from addresses of queues the agent serves', async () => {
    await onlyReady();
    const forbidden = await a('agent1').rest('POST', '/api/v1/interactions', {
      channel: 'phone',
      to: '+4970000',
      from: '+15550002000',
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.message).toContain('+15550002000');
    const bad = await a('agent1').rest('POST', '/api/v1/interactions', { channel: 'phone', to: 'call me maybe' });
    expect(bad.statusCode).toBe(400);
    const chatOut = await a('agent1').rest('POST', '/api/v1/interactions', { channel: 'chat', to: 'someone' });
    expect(chatOut.statusCode).toBe(400);

    const dial = await a('agent1').rest('POST', '/api/v1/interactions', {
      channel: 'phone',
      to: '+4970000',
      queue_id: line,
    });
    expect(dial.statusCode, dial.body).toBe(201);
    const placed = dial.json();
    expect(placed).toMatchObject({
      direction: 'outbound',
      state: 'alerting',
      local_address: '+15550001000',
      remote_address: '+4970000',
    });
    const busy = await a('agent1').rest('POST', '/api/v1/interactions', {
      channel: 'phone',
      to: '+4970001',
      queue_id: line,
    });
    expect(busy.statusCode).toBe(409);
    expect((await remote(placed.id, 'answer')).state).toBe('accepted');
    // Tones into the call (an IVR menu): recorded, validated.
    await ok(a('agent1').act(placed.id, 'dtmf', { digits: '12#' }));
    const tones = await h.db
      .selectFrom('interaction_events')
      .select('data')
      .where('interaction_id', '=', placed.id)
      .where('type', '=', 'dtmf')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(tones.data).detail).toEqual({ digits: '12#' });
    expect((await a('agent1').act(placed.id, 'dtmf', { digits: '12x' })).statusCode).toBe(400);
    expect((await a('agent1').act(placed.id, 'dtmf')).statusCode).toBe(400);
    await ok(a('agent1').act(placed.id, 'hangup'));
    await ok(a('agent1').act(placed.id, 'handle'));

    const sms = await a('agent1').rest('POST', '/api/v1/interactions', { channel: 'email', to: 'not-an-address' });
    expect(sms.statusCode).toBe(400);
  });

  it('withdraws the offers of an agent whose panel goes away and offers them elsewhere at once', async () => {
    await onlyReady('agent2', 'agent1');
    const contact = await call(chat, 'visitor-1');
    expect(contact.agent_id).toBe(a('agent2').id);
    await a('agent2').disconnect();
    const offered = await a('agent1').event('offered', contact.id);
    expect(offered.data.interaction.agent_id).toBe(a('agent1').id);
    await ok(a('agent1').act(contact.id, 'accept'));
    await ok(a('agent1').act(contact.id, 'hangup'));
    // Wrap-up runs out on its own: handled automatically.
    await tick(30_000);
    await a('agent1').event('handled', contact.id);
    expect(await stateOf(a('agent1'), contact.id)).toBe('handled');
    await a('agent2').connect();
  });

  it('replays what a panel missed while it was away, from its last event sequence', async () => {
    await onlyReady('agent1');
    const contact = await call(line, '+4980000');
    await ok(a('agent1').act(contact.id, 'accept'));
    const seen = (await a('agent1').event('accepted', contact.id)).data.event_seq as number;
    await a('agent1').disconnect();
    await remote(contact.id, 'hangup'); // ended and wrap-up while the panel is away
    const hello = await a('agent1').connect();
    // A fresh hello carries every open interaction.
    expect(hello.data.interactions.find((i: { id: string }) => i.id === contact.id)).toMatchObject({
      state: 'wrap_up',
    });
    a('agent1').ws!.send(JSON.stringify({ id: 'r1', type: 'resume', data: { last_seq: seen } }));
    const reply = await a('agent1').next((f) => f.re === 'r1');
    expect(reply).toEqual({ re: 'r1', ok: true, data: { replayed: 2, snapshot: false } });
    const replayed = a('agent1')
      .frames.filter((f) => f.type === 'interaction' && f.data.event_seq > seen)
      .map((f) => f.data.event);
    expect(replayed).toEqual(['ended', 'wrap_up']);
    await ok(a('agent1').act(contact.id, 'wrapup', { extend_seconds: 60 }));
    const tooLong = await a('agent1').act(contact.id, 'wrapup', { extend_seconds: 900 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toContain('at most 900 s');
    await ok(a('agent1').act(contact.id, 'handle'));
  });
});

describe('the demo customer endpoints', () => {
  it('do not exist unless PARLEY_DEMO is on', async () => {
    const h = await startHarness({ PARLEY_DEMO: 'false' });
    try {
      for (const url of ['/api/v1/demo/contacts', `/api/v1/demo/interactions/${'a'.repeat(32)}/remote`]) {
        const res = await h.app.inject({ method: 'POST', url, payload: {} });
        expect(res.statusCode).toBe(404);
      }
    } finally {
      await h.close();
    }
  });
});
