/**
 * Queue awareness over real panel sockets: an agent's panel gets the lines
 * of the queues they serve after hello, and again when a contact starts or
 * stops waiting; an unchanged line is not sent twice, and nobody gets the
 * lines of queues they do not serve.
 */
import type { QueueLoad } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, startHarness, type Harness } from '../testing/index.ts';

describe('queue lines pushed to agents', () => {
  let h: Harness;
  let agent: TestAgent;
  let other: TestAgent;
  let supervisor: TestAgent;
  let queueId: string;

  beforeAll(async () => {
    h = await startHarness({});
    const wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const admin = await TestAgent.login(h, wsBase, 'admin');
    supervisor = await TestAgent.login(h, wsBase, 'supervisor');
    agent = await TestAgent.login(h, wsBase, 'agent1');
    other = await TestAgent.login(h, wsBase, 'agent2');
    const created = await admin.rest('POST', '/api/v1/queues', {
      name: 'Line watch',
      type: 'phone',
      offer_timeout_s: 20,
    });
    queueId = created.json().id;
    await admin.rest('PUT', `/api/v1/queues/${queueId}/members/${agent.id}`, { can_serve: true, proficiency: 3 });
    await agent.connect();
    await other.connect();
  });
  afterAll(async () => {
    await agent.disconnect();
    await other.disconnect();
    await h.close();
  });

  const lineOf = (frame: { data: { queues: QueueLoad[] } }) => frame.data.queues.find((q) => q.queue_id === queueId);

  it('sends the lines after hello, then each change, to those who serve the queue only', async () => {
    const first = await agent.next((f) => f.type === 'queues');
    expect(lineOf(first)).toEqual({
      queue_id: queueId,
      name: 'Line watch',
      channel: 'phone',
      waiting: 0,
      oldest_waiting_since: null,
    });
    const theirs = await other.next((f) => f.type === 'queues');
    expect(lineOf(theirs)).toBeUndefined();

    // Nobody is ready: the contact waits, and the line says since when.
    await agent.setReady(false);
    const res = await supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: queueId, from: '+4930123000' });
    expect(res.statusCode, res.body).toBe(201);
    const waiting = await agent.next((f) => f.type === 'queues' && lineOf(f)?.waiting === 1);
    expect(lineOf(waiting)).toMatchObject({ waiting: 1, oldest_waiting_since: expect.stringMatching(/^2\d{3}-/) });

    // The customer hangs up: the line empties.
    await supervisor.rest('POST', `/api/v1/demo/interactions/${res.json().id}/remote`, { event: 'hangup' });
    const empty = await agent.next((f) => f.type === 'queues' && lineOf(f)?.waiting === 0);
    expect(lineOf(empty)?.oldest_waiting_since).toBeNull();
    // agent2 serves other queues only: no frame of theirs names this one.
    expect(other.frames.filter((f) => f.type === 'queues').some((f) => lineOf(f) !== undefined)).toBe(false);
  });
});
