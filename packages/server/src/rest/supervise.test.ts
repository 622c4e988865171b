/**
 * Supervisors on agents' calls over REST: monitor, whisper, barge, leave and
 * take over, stored as events; the agent is told only where the tenant
 * allows; only the agent's supervisors (and admins) may; only calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, TestAgent, startHarness, type Harness } from '../testing/index.ts';

describe('supervisors on calls', () => {
  let h: Harness;
  let wsBase: string;
  let admin: TestAgent;
  let supervisor: TestAgent;
  let agent: TestAgent;
  let phoneQueue: string;
  let chatQueue: string;

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>, code = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(code);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects are inspected structurally
    return (code === 204 ? null : r.json()) as any;
  };
  /** A call from `from`, offered to agent1 and accepted. */
  const call = async (from: string) => {
    const contact = await ok(supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: phoneQueue, from }), 201);
    expect(contact.agent_id).toBe(agent.id);
    await ok(agent.act(contact.id, 'accept'));
    return contact.id as string;
  };
  const events = async (id: string) =>
    (await ok(supervisor.rest('GET', `/api/v1/interactions/${id}/events`))) as Array<{ type: string; detail: unknown }>;

  beforeAll(async () => {
    h = await startHarness({});
    wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    admin = await TestAgent.login(h, wsBase, 'admin');
    supervisor = await TestAgent.login(h, wsBase, 'supervisor');
    agent = await TestAgent.login(h, wsBase, 'agent1');
    const queue = async (name: string, type: string) => {
      const q = await ok(admin.rest('POST', '/api/v1/queues', { name, type, offer_timeout_s: 20, wrapup_s: 30 }), 201);
      await ok(admin.rest('PUT', `/api/v1/queues/${q.id}/members/${agent.id}`, { can_serve: true, proficiency: 3 }));
      return q.id as string;
    };
    phoneQueue = await queue('Listened Line', 'phone');
    chatQueue = await queue('Listened Chat', 'chat');
    await agent.connect();
    await agent.setReady(true);
  });
  afterAll(async () => {
    await agent.disconnect();
    await h.close();
  });

  it('monitors, whispers, barges and leaves, each stored as an event the agent does not see', async () => {
    const id = await call('+4930777001');
    const on = await ok(supervisor.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'monitor' }));
    expect(on).toMatchObject({ id, state: 'accepted' });
    await ok(supervisor.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'whisper' }));
    await ok(supervisor.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'barge' }));
    // The grid shows who is on the call, and how.
    const rows = (await ok(supervisor.rest('GET', '/api/v1/supervision/agents'))) as Array<{
      username: string;
      interactions: Array<{ id: string; monitors: unknown[] }>;
    }>;
    expect(rows.find((r) => r.username === 'agent1')?.interactions[0]?.monitors).toEqual([
      { supervisor_id: supervisor.id, supervisor_name: 'Sam Supervisor', mode: 'barge' },
    ]);
    await ok(supervisor.rest('DELETE', `/api/v1/interactions/${id}/monitor`));
    const again = await supervisor.rest('DELETE', `/api/v1/interactions/${id}/monitor`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(`You are not on call ${id}.`);

    const log = (await events(id)).filter((e) => e.type === 'monitor').map((e) => e.detail);
    expect(log).toEqual(
      ['monitor', 'whisper', 'barge', null].map((mode) => ({
        supervisor_id: supervisor.id,
        supervisor_name: 'Sam Supervisor',
        mode,
      })),
    );
    // The tenant does not tell agents: no frame of theirs says it.
    expect(agent.events(id)).not.toContain('monitor');
    await ok(agent.act(id, 'hangup'));
    await ok(agent.act(id, 'handle', { code: 'resolved' }));
  });

  it('tells the agent where the tenant allows it', async () => {
    await ok(admin.rest('PATCH', '/api/v1/tenant', { settings: { monitoring_notice: true } }));
    try {
      const id = await call('+4930777002');
      await ok(supervisor.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'monitor' }));
      const frame = await agent.event('monitor', id);
      expect(frame.data.detail).toEqual({
        supervisor_id: supervisor.id,
        supervisor_name: 'Sam Supervisor',
        mode: 'monitor',
      });
      await ok(agent.act(id, 'hangup'));
      await ok(agent.act(id, 'handle', { code: 'resolved' }));
    } finally {
      await ok(admin.rest('PATCH', '/api/v1/tenant', { settings: {} }));
    }
  });

  it('takes a call over: the supervisor has it at once, the agent wraps up their part', async () => {
    const id = await call('+4930777003');
    await ok(supervisor.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'monitor' }));
    const mine = await ok(supervisor.rest('POST', `/api/v1/interactions/${id}/intercept`), 201);
    expect(mine).toMatchObject({
      state: 'accepted',
      agent_id: supervisor.id,
      transferred_from: id,
      remote_address: '+4930777003',
      queue_id: phoneQueue,
    });
    const ended = await agent.event('ended', id);
    expect(ended.data.detail).toMatchObject({ cause: 'intercepted', transferred_to: mine.id });
    expect(ended.data.interaction.state).toBe('ended');
    // The supervisor's own call now: they hang up and finish it like an agent.
    await ok(supervisor.act(mine.id, 'hangup'));
    await ok(supervisor.act(mine.id, 'handle', { code: 'resolved' }));
    await ok(agent.act(id, 'handle', { code: 'escalated' }));
    // A take-over is not a new contact on the wallboard.
    const board = (await ok(supervisor.rest('GET', '/api/v1/supervision/queues'))) as Array<{
      queue_id: string;
      today: { offered: number; answered: number };
    }>;
    expect(board.find((q) => q.queue_id === phoneQueue)?.today).toMatchObject({ offered: 3, answered: 3 });
  });

  it('lets only the agent’s supervisors and admins on, and only calls in progress', async () => {
    const id = await call('+4930777004');
    // An agent, even the call's own.
    expect((await agent.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'monitor' })).statusCode).toBe(403);
    const other = await TestAgent.login(h, wsBase, 'agent2');
    expect((await other.rest('POST', `/api/v1/interactions/${id}/intercept`)).statusCode).toBe(403);
    // A supervisor of another team.
    const user = await ok(
      admin.rest('POST', '/api/v1/users', {
        username: 'sup3',
        display_name: 'Sid Three',
        email: 'sup3@x.example',
        role: 'supervisor',
        password: DEMO_PASSWORD,
      }),
      201,
    );
    const team = await ok(admin.rest('POST', '/api/v1/teams', { name: 'Elsewhere' }), 201);
    await ok(admin.rest('PUT', `/api/v1/teams/${team.id}/members/${user.id}`, { supervisor: true }));
    const sup3 = await TestAgent.login(h, wsBase, 'sup3');
    const refused = await sup3.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'barge' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe(
      'Ada Agent is in no team you supervise; ask an admin to add them to one.',
    );
    // An admin may.
    await ok(admin.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'monitor' }));
    // A mode that does not exist; an unknown call.
    expect((await supervisor.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'spy' })).statusCode).toBe(400);
    expect((await supervisor.rest('POST', `/api/v1/interactions/${'0'.repeat(32)}/intercept`)).statusCode).toBe(404);
    await ok(agent.act(id, 'hangup'));
    // Over: nothing to listen to any more.
    const late = await supervisor.rest('PUT', `/api/v1/interactions/${id}/monitor`, { mode: 'monitor' });
    expect(late.statusCode).toBe(409);
    await ok(agent.act(id, 'handle', { code: 'resolved' }));

    // A chat is not a call.
    const chat = await ok(
      supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: chatQueue, from: 'chat-customer' }),
      201,
    );
    await ok(agent.act(chat.id, 'accept'));
    const refusedChat = await supervisor.rest('PUT', `/api/v1/interactions/${chat.id}/monitor`, { mode: 'monitor' });
    expect(refusedChat.statusCode).toBe(400);
    expect(refusedChat.json().error.message).toBe('monitor: supervisors listen to calls; this is a chat');
  });

  it('moves a waiting contact to another queue, to an agent and up the line, each stored, within the teams only', async () => {
    const other = await ok(
      admin.rest('POST', '/api/v1/queues', { name: 'Second Line', type: 'phone', offer_timeout_s: 20 }),
      201,
    );
    await ok(admin.rest('PUT', `/api/v1/queues/${other.id}/members/${agent.id}`, { can_serve: true, proficiency: 3 }));
    const foreign = await ok(admin.rest('POST', '/api/v1/queues', { name: 'Nobody Line', type: 'phone' }), 201);
    await agent.setReady(false);
    const first = await ok(
      supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: phoneQueue, from: '+4930777101' }),
      201,
    );
    const second = await ok(
      supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: phoneQueue, from: '+4930777102' }),
      201,
    );
    type Row = { id: string; queue_id: string; priority: number; offered_to: unknown };
    const line = async () => (await ok(supervisor.rest('GET', '/api/v1/supervision/waiting'))) as Row[];
    expect((await line()).map((r) => r.id)).toEqual([first.id, second.id]);

    // Up the line: the second now goes first.
    await ok(supervisor.rest('PATCH', `/api/v1/supervision/waiting/${second.id}`, { priority: 50 }));
    expect((await line()).map((r) => [r.id, r.priority])).toEqual([
      [second.id, 50],
      [first.id, 0],
    ]);
    // To another queue, keeping its age.
    const moved = await ok(supervisor.rest('PATCH', `/api/v1/supervision/waiting/${first.id}`, { queue_id: other.id }));
    expect(moved).toMatchObject({ queue_id: other.id, state: 'incoming' });
    expect((await events(first.id)).at(-1)).toMatchObject({
      type: 'moved',
      detail: { by: supervisor.id, from_queue_id: phoneQueue, to_queue_id: other.id },
    });
    // Not into a queue none of their teams serves, not a mode that is two at once.
    expect(
      (await supervisor.rest('PATCH', `/api/v1/supervision/waiting/${first.id}`, { queue_id: foreign.id })).statusCode,
    ).toBe(403);
    expect(
      (await supervisor.rest('PATCH', `/api/v1/supervision/waiting/${first.id}`, { priority: 1, queue_id: other.id }))
        .statusCode,
    ).toBe(400);

    // To an agent: offered to them at once; they do not take it, and it is back in its queue.
    const offered = await ok(
      supervisor.rest('PATCH', `/api/v1/supervision/waiting/${second.id}`, { agent_id: agent.id }),
    );
    expect(offered).toMatchObject({ state: 'alerting', agent_id: agent.id });
    await agent.event('offered', second.id);
    expect((await line()).find((r) => r.id === second.id)?.offered_to).toEqual({ id: agent.id, name: 'Ada Agent' });
    const busy = await supervisor.rest('PATCH', `/api/v1/supervision/waiting/${second.id}`, { priority: 1 });
    expect(busy.statusCode).toBe(409);
    await ok(agent.act(second.id, 'reject'));
    expect((await line()).find((r) => r.id === second.id)).toMatchObject({ queue_id: phoneQueue, offered_to: null });

    // An agent may not touch the line.
    expect((await agent.rest('GET', '/api/v1/supervision/waiting')).statusCode).toBe(403);
    for (const c of [first, second])
      await ok(supervisor.rest('POST', `/api/v1/demo/interactions/${c.id}/remote`, { event: 'hangup' }));
    expect(await line()).toEqual([]);
    await agent.setReady(true);
  });
});
