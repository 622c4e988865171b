/**
 * The media plane end to end in Node: werift softphones stand in for the
 * browsers (a phone on /ws/phone, an agent's station over /ws/agent), real
 * RTP over loopback, real interactions underneath.
 */
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, TestAgent, type Frame } from '../testing/index.ts';
import { Softphone } from './softphone.ts';

const SALES = '+15555550100';
const until = async (what: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A page of the virtual PSTN: its socket and every frame it got. */
class PhonePage {
  readonly frames: Frame[] = [];
  readonly ws: WebSocket;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (raw) => this.frames.push(JSON.parse(String(raw))));
  }
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  async next(match: (f: Frame) => boolean): Promise<Frame> {
    let found: Frame;
    await until(() => (found = this.frames.find(match)) !== undefined);
    this.frames.splice(this.frames.indexOf(found), 1);
    return found;
  }
}

const music = (p: Softphone) => p.level(261.63, 1000) + p.level(329.63, 1000) + p.level(392, 1000);

describe('media plane', () => {
  let h: Harness;
  let wsBase: string;
  const closers: Array<() => unknown> = [];

  beforeEach(async () => {
    h = await startHarness({ PARLEY_CALL_REATTACH_SECONDS: '5' }, 'sqlite', { listen: true, voice: {} });
    wsBase = (h.url ?? '').replace(/^http/, 'ws').replace(/\/$/, '');
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await h.close();
  });

  async function station(agent: TestAgent, hz: number): Promise<Softphone> {
    const phone = new Softphone(hz);
    closers.push(() => phone.close());
    const id = `m${Math.random()}`;
    agent.ws?.send(JSON.stringify({ id, type: 'media.offer', data: { sdp: await phone.offer() } }));
    const reply = await agent.next((f) => f.re === id);
    expect(reply.ok).toBe(true);
    await phone.answer(reply.data.sdp);
    return phone;
  }

  async function page(): Promise<PhonePage> {
    const p = new PhonePage(`${wsBase}/ws/phone`);
    await p.open();
    closers.push(() => p.ws.close());
    return p;
  }

  async function dial(p: PhonePage, hz: number, to = SALES): Promise<Softphone> {
    const caller = new Softphone(hz);
    closers.push(() => caller.close());
    p.send({ type: 'dial', call_id: 'c1', to, sdp: await caller.offer() });
    const answer = await p.next((f) => f.type === 'answer' || f.type === 'error');
    expect(answer.type).toBe('answer');
    await caller.answer(answer.sdp);
    return caller;
  }

  /** An agent with a panel socket and a station speaking `hz`; ready unless told otherwise. */
  async function agentWithStation(
    username: string,
    hz: number,
    ready = true,
  ): Promise<{ agent: TestAgent; headset: Softphone }> {
    const agent = await TestAgent.login(h, wsBase, username);
    await agent.connect();
    if (ready) await agent.setReady(true);
    return { agent, headset: await station(agent, hz) };
  }

  /** The agent accepts its next offer; resolves with the interaction's id. */
  async function acceptNext(agent: TestAgent): Promise<string> {
    const id = (await agent.event('offered')).data.interaction.id as string;
    expect((await agent.act(id, 'accept')).statusCode).toBe(200);
    return id;
  }

  /** A phone page answers its next incoming call with a softphone speaking `hz`. */
  async function answerIncoming(p: PhonePage, hz: number): Promise<{ phone: Softphone; callId: string }> {
    const ring = await p.next((f) => f.type === 'incoming');
    const phone = new Softphone(hz);
    closers.push(() => phone.close());
    p.send({ type: 'accept', call_id: ring.call_id, sdp: await phone.offer() });
    await phone.answer((await p.next((f) => f.type === 'answer')).sdp);
    return { phone, callId: ring.call_id as string };
  }

  it('a call to a queue: music while waiting, both voices once answered, keys, music on hold, requeued when the panel stays away', async () => {
    const { agent, headset } = await agentWithStation('agent1', 1000);
    const p = await page();
    const caller = await dial(p, 2200);
    await p.next((f) => f.type === 'progress' && f.status === 'queued');
    await until(() => music(caller) > 1e5);

    const id = await acceptNext(agent);
    await p.next((f) => f.type === 'progress' && f.status === 'connected');
    await until(() => caller.level(1000) > 1e5 && headset.level(2200) > 1e5);
    // Relayed as it came: the two-party path does not mix.
    expect(h.ctx.media.stats.relayed).toBeGreaterThan(0);

    caller.press('9');
    const keyed = await agent.event('dtmf_received', id);
    expect(keyed.data.detail).toEqual({ digits: '9' });

    await agent.act(id, 'hold');
    caller.forget();
    await until(() => music(caller) > 1e5 && caller.level(1000) < 2e4);

    await agent.act(id, 'unhold');
    caller.forget();
    await until(() => caller.level(1000) > 1e5);

    // The panel goes away: the customer hears music, and after 5 s the call is back in the queue.
    await agent.disconnect();
    caller.forget();
    await until(() => music(caller) > 1e5 && caller.level(1000) < 2e4);
    await until(async () => {
      const row = await h.db
        .selectFrom('interactions')
        .select('state')
        .where('transferred_from', '=', id)
        .executeTakeFirst();
      return row?.state === 'incoming';
    }, 9000);
    const events = await h.db
      .selectFrom('interaction_events')
      .select('data')
      .where('interaction_id', '=', id)
      .execute();
    expect(events.map((e) => (JSON.parse(e.data) as { detail?: { cause?: string } }).detail?.cause)).toContain(
      'requeued',
    );
    // Still connected and waiting: the customer hears music, not silence.
    caller.forget();
    await until(() => music(caller) > 1e5);
    expect(p.frames.some((f) => f.type === 'ended')).toBe(false);
  }, 30_000);

  it('callOut rings a registered phone with the queue number; an unregistered number is unreachable', async () => {
    const { agent, headset } = await agentWithStation('agent1', 1000, false);
    const unreachable = await agent.rest('POST', '/api/v1/interactions', { channel: 'phone', to: '+4930123456' });
    expect(unreachable.statusCode).toBe(422);
    expect(unreachable.json().error.code).toBe('unreachable');

    const p = await page();
    p.send({ type: 'register', number: '+4930123456' });
    await p.next((f) => f.type === 'registered');
    const created = await agent.rest('POST', '/api/v1/interactions', {
      channel: 'phone',
      to: '+4930123456',
      from: SALES,
    });
    expect(created.statusCode).toBe(201);
    const ring = await p.next((f) => f.type === 'incoming');
    expect(ring.from).toBe(SALES);
    const customer = new Softphone(2200);
    closers.push(() => customer.close());
    p.send({ type: 'accept', call_id: ring.call_id, sdp: await customer.offer() });
    await customer.answer((await p.next((f) => f.type === 'answer')).sdp);
    await agent.event('answered', created.json().id);
    await until(() => customer.level(1000) > 1e5 && headset.level(2200) > 1e5);
    // The customer hangs up: the agent's call ends.
    p.send({ type: 'hangup', call_id: ring.call_id });
    const ended = await agent.event('ended', created.json().id);
    expect(ended.data.detail.cause).toBe('remote_hangup');
  }, 30_000);

  it('answers bad phone frames with errors that say what to fix, and sets nothing up', async () => {
    const p = await page();
    const cases: Array<[unknown, string]> = [
      ['not json', 'invalid_argument'],
      [{ type: 'fly' }, 'invalid_argument'],
      [{ type: 'register', number: 'abc' }, 'invalid_argument'],
      [{ type: 'dial', to: SALES, sdp: 'v=0' }, 'invalid_argument'],
      [{ type: 'dial', call_id: 'x', to: SALES, sdp: 'hello' }, 'invalid_argument'],
      [{ type: 'dial', call_id: 'x', to: SALES, sdp: 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n' }, 'invalid_argument'],
      [{ type: 'dial', call_id: 'x', to: '+15550000000', sdp: await new Softphone(null).offer() }, 'not_found'],
      [{ type: 'accept', call_id: 'nope', sdp: 'v=0' }, 'not_found'],
      [{ type: 'hangup', call_id: 'nope' }, 'not_found'],
    ];
    for (const [frame, code] of cases) {
      p.send(frame);
      const error = await p.next((f) => f.type === 'error');
      expect(error.code, JSON.stringify(frame)).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
    }
    // One address may start 20 calls a minute (PARLEY_CALLS_PER_MINUTE); the unknown number above was one.
    const offer = await new Softphone(null).offer();
    for (let i = 0; i < 19; i++) {
      p.send({ type: 'dial', call_id: `n${i}`, to: '+15550000000', sdp: offer });
      expect((await p.next((f) => f.type === 'error')).code).toBe('not_found');
    }
    p.send({ type: 'dial', call_id: 'over', to: SALES, sdp: offer });
    const limited = await p.next((f) => f.type === 'error');
    expect([limited.code, limited.call_id]).toEqual(['rate_limited', 'over']);
    p.send({ type: 'register', number: '+4930999' });
    await p.next((f) => f.type === 'registered');
    const other = await page();
    other.send({ type: 'register', number: '+4930999' });
    expect((await other.next((f) => f.type === 'error')).code).toBe('conflict');
    expect(h.ctx.media.stats.calls).toBe(0);
    const rows = await h.db.selectFrom('interactions').select('id').where('channel', '=', 'phone').execute();
    expect(rows).toHaveLength(0);
  }, 30_000);

  it('consult an agent, then conference: the caller waits with music, then all three hear each other', async () => {
    const { agent: a1, headset: s1 } = await agentWithStation('agent1', 1000);
    const { agent: a2, headset: s2 } = await agentWithStation('agent2', 2800, false);
    const p = await page();
    const caller = await dial(p, 2200);
    const id = await acceptNext(a1);
    await until(() => caller.level(1000) > 1e5);
    await a2.setReady(true);

    const consult = await a1.act(id, 'consult', { to: { agent_id: a2.id } });
    expect(consult.statusCode).toBe(200);
    await acceptNext(a2);
    s1.forget();
    s2.forget();
    caller.forget();
    await until(() => s1.level(2800) > 1e5 && s2.level(1000) > 1e5 && music(caller) > 1e5);
    expect(caller.level(1000)).toBeLessThan(2e4);
    expect(caller.level(2800)).toBeLessThan(2e4);

    expect((await a1.act(id, 'conference')).statusCode).toBe(200);
    caller.forget();
    s1.forget();
    s2.forget();
    await until(
      () =>
        caller.level(1000) > 1e5 &&
        caller.level(2800) > 1e5 &&
        s1.level(2200) > 1e5 &&
        s1.level(2800) > 1e5 &&
        s2.level(2200) > 1e5 &&
        s2.level(1000) > 1e5,
    );
    // The first agent leaves: the caller and the second agent go on.
    await a1.act(id, 'hangup');
    caller.forget();
    s2.forget();
    await until(() => caller.level(2800) > 1e5 && s2.level(2200) > 1e5 && caller.level(1000) < 2e4);
    expect(p.frames.some((f) => f.type === 'ended')).toBe(false);
  }, 30_000);

  it('consult a number, then join: the caller and that number hear each other; a blind transfer to a number puts the caller through', async () => {
    const { agent, headset } = await agentWithStation('agent1', 1000);
    const p = await page();
    const caller = await dial(p, 2200);
    const id = await acceptNext(agent);
    await until(() => caller.level(1000) > 1e5);

    // An expert's phone on the virtual PSTN.
    const expertPage = await page();
    expertPage.send({ type: 'register', number: '+4940111' });
    await expertPage.next((f) => f.type === 'registered');
    const consult = await agent.act(id, 'consult', { to: { number: '+4940111' } });
    expect(consult.statusCode).toBe(200);
    const { phone: expert, callId: expertCall } = await answerIncoming(expertPage, 2800);
    headset.forget();
    caller.forget();
    await until(() => headset.level(2800) > 1e5 && expert.level(1000) > 1e5 && music(caller) > 1e5);

    expect((await agent.act(id, 'join')).statusCode).toBe(200);
    caller.forget();
    expert.forget();
    await until(() => caller.level(2800) > 1e5 && expert.level(2200) > 1e5);
    expect(caller.level(1000)).toBeLessThan(2e4);
    // The expert hangs up: the caller's call ends too.
    expertPage.send({ type: 'hangup', call_id: expertCall });
    await p.next((f) => f.type === 'ended');

    // A second caller, transferred blind to the expert's number.
    // The agent finishes the first call's wrap-up and is free again.
    expect((await agent.act(id, 'handle')).statusCode).toBe(200);
    const p2 = await page();
    const caller2 = await dial(p2, 2200);
    const id2 = await acceptNext(agent);
    await until(() => caller2.level(1000) > 1e5);
    expect((await agent.act(id2, 'transfer', { to: { number: '+4940111' } })).statusCode).toBe(200);
    const { phone: expert2 } = await answerIncoming(expertPage, 2800);
    caller2.forget();
    await until(() => caller2.level(2800) > 1e5 && expert2.level(2200) > 1e5);
  }, 40_000);

  it("an agent's second panel (a pop-out) carries the call; when it closes the first panel takes over at once", async () => {
    const { agent: embedded, headset: first } = await agentWithStation('agent1', 1000);
    const p = await page();
    const caller = await dial(p, 2200);
    await acceptNext(embedded);
    await until(() => caller.level(1000) > 1e5 && first.level(2200) > 1e5);

    const popout = await TestAgent.login(h, wsBase, 'agent1');
    await popout.connect();
    const second = await station(popout, 1400);
    caller.forget();
    await until(() => caller.level(1400) > 1e5 && second.level(2200) > 1e5 && caller.level(1000) < 2e4);

    await popout.disconnect();
    caller.forget();
    await until(() => caller.level(1000) > 1e5 && first.level(2200) > 1e5);
    expect(music(caller)).toBeLessThan(1e5);
  }, 30_000);
});
