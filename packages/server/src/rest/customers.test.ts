/**
 * Customers over REST, on SQLite and PostgreSQL: a caller is recognised on
 * their second contact (a call and an SMS from one number are one
 * customer), the card shows the earlier interaction with its outcome and
 * notes, attached data comes with the contact, duplicates merge, notes are
 * for the agent and supervisors only, canned responses are tenant-wide or
 * personal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, startHarness, STORE_KINDS, type Harness } from '../testing/index.ts';

describe.each(STORE_KINDS)('customers on %s', (kind) => {
  let h: Harness;
  let agent: TestAgent;
  let other: TestAgent;
  let supervisor: TestAgent;
  let admin: TestAgent;
  let phoneQueue: string;
  let smsQueue: string;
  let chatQueue: string;

  const ok = async (
    res: Promise<{ statusCode: number; body: string; json: () => unknown }>,
    code = 200,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects are inspected structurally
  ): Promise<any> => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(code);
    return code === 204 ? null : r.json();
  };
  /** A contact from `from`, offered to and handled by `agent` with a wrap-up. */
  const handled = async (queueId: string, from: string, extra: Record<string, unknown> = {}) => {
    const contact = await ok(
      supervisor.rest('POST', '/api/v1/demo/contacts', { queue_id: queueId, from, ...extra }),
      201,
    );
    expect(contact.agent_id).toBe(agent.id);
    await ok(agent.act(contact.id, 'accept'));
    return contact as { id: string; customer_id: string; attributes?: Record<string, string> };
  };
  const finish = async (id: string, notes: string) => {
    await ok(agent.act(id, 'hangup'));
    await ok(agent.act(id, 'handle', { code: 'resolved', notes }));
  };

  beforeAll(async () => {
    h = await startHarness({}, kind);
    const wsBase = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    admin = await TestAgent.login(h, wsBase, 'admin');
    supervisor = await TestAgent.login(h, wsBase, 'supervisor');
    agent = await TestAgent.login(h, wsBase, 'agent1');
    other = await TestAgent.login(h, wsBase, 'agent2');
    await agent.connect();
    const queue = async (name: string, type: string) => {
      const created = await ok(
        admin.rest('POST', '/api/v1/queues', { name, type, offer_timeout_s: 20, wrapup_s: 30 }),
        201,
      );
      await ok(
        admin.rest('PUT', `/api/v1/queues/${created.id}/members/${agent.id}`, { can_serve: true, proficiency: 3 }),
      );
      return created.id as string;
    };
    phoneQueue = await queue('Card Line', 'phone');
    smsQueue = await queue('Card SMS', 'sms');
    chatQueue = await queue('Card Chat', 'chat');
    for (const u of ['agent2', 'agent3', 'agent4', 'agent5', 'supervisor'])
      await (await TestAgent.login(h, wsBase, u)).setReady(false);
    await agent.setReady(true);
  });
  afterAll(async () => {
    await agent.disconnect();
    await h.close();
  });

  it('recognises a second contact from the same number, across channels, with the first one in its history', async () => {
    const first = await handled(phoneQueue, '+49 30 555 0101', {
      name: 'Hedy Customer',
      attributes: { order: 'A-17' },
    });
    expect(first.customer_id).toMatch(/^[0-9a-f]{32}$/);
    expect(first.attributes).toEqual({ order: 'A-17' });
    const note = await ok(
      agent.rest('POST', `/api/v1/interactions/${first.id}/notes`, { body: 'Asked about the invoice' }),
      201,
    );
    expect(note).toMatchObject({ author_name: 'Ada Agent', body: 'Asked about the invoice' });
    await finish(first.id, 'Invoice resent');

    const second = await handled(smsQueue, '+4930 5550101');
    expect(second.customer_id).toBe(first.customer_id);
    const card = await ok(agent.rest('GET', `/api/v1/interactions/${second.id}/customer`));
    expect(card.customer).toMatchObject({
      id: first.customer_id,
      name: 'Hedy Customer',
      phone: '+49305550101',
      identities: [{ kind: 'phone', value: '+49305550101' }],
    });
    expect(card.history).toHaveLength(1);
    expect(card.history[0]).toMatchObject({
      interaction_id: first.id,
      channel: 'phone',
      state: 'handled',
      agent_name: 'Ada Agent',
      queue_name: 'Card Line',
      wrapup: { code: 'resolved', notes: 'Invoice resent' },
      notes: [{ body: 'Asked about the invoice', author_name: 'Ada Agent' }],
    });
    await finish(second.id, 'Confirmed by SMS');

    // The customer's own page has both, newest first; search finds them by part of the number.
    const page = await ok(agent.rest('GET', `/api/v1/customers/${first.customer_id}`));
    expect(page.history.map((x: { interaction_id: string }) => x.interaction_id)).toEqual([second.id, first.id]);
    const found = await ok(agent.rest('GET', '/api/v1/customers?q=5550101'));
    expect(found.map((c: { id: string }) => c.id)).toEqual([first.customer_id]);
  });

  it("keeps notes to the interaction's agent and supervisors, and answers bad notes with 400", async () => {
    const contact = await handled(phoneQueue, '+15550109999');
    await ok(agent.rest('POST', `/api/v1/interactions/${contact.id}/notes`, { body: 'VIP, be quick' }), 201);
    const seen = await ok(supervisor.rest('GET', `/api/v1/interactions/${contact.id}/notes`));
    expect(seen.map((n: { body: string }) => n.body)).toEqual(['VIP, be quick']);
    expect((await other.rest('GET', `/api/v1/interactions/${contact.id}/notes`)).statusCode).toBe(403);
    expect((await other.rest('POST', `/api/v1/interactions/${contact.id}/notes`, { body: 'x' })).statusCode).toBe(403);
    for (const body of [{ body: '   ' }, { body: '' }, { body: 'x'.repeat(4001) }, { text: 'x' }]) {
      const res = await agent.rest('POST', `/api/v1/interactions/${contact.id}/notes`, body);
      expect(res.statusCode, res.body).toBe(400);
    }
    await finish(contact.id, '');
    expect(await ok(agent.rest('GET', `/api/v1/interactions/${contact.id}/notes`))).toHaveLength(1);
  });

  it('carries pre-chat fields as attributes, and merges a chat-only customer into the known one', async () => {
    const started = await ok(
      h.app.inject({
        method: 'POST',
        url: '/api/v1/chat',
        payload: { name: 'Hedy', queue_id: chatQueue, fields: { topic: 'billing' } },
      }),
      201,
    );
    expect(started.conversation_id).toBeTruthy();
    const offered = await agent.next(
      (f) => f.type === 'interaction' && f.data.event === 'offered' && f.data.interaction.channel_type === 'chat',
    );
    const chat = offered.data.interaction as { id: string; customer_id: string; attributes: Record<string, string> };
    expect(chat.attributes).toEqual({ topic: 'billing' });
    const known = (await ok(agent.rest('GET', '/api/v1/customers?q=Hedy Customer')))[0];
    expect(chat.customer_id).not.toBe(known.id);

    const merged = await ok(
      agent.rest('POST', `/api/v1/customers/${known.id}/merge`, { customer_id: chat.customer_id }),
    );
    expect(merged.history.map((x: { channel: string }) => x.channel)).toEqual(['chat', 'sms', 'phone']);
    // The duplicate answers as the customer it went into.
    expect((await ok(agent.rest('GET', `/api/v1/customers/${chat.customer_id}`))).id).toBe(known.id);
    const audit = await ok(admin.rest('GET', '/api/v1/audit'));
    expect(JSON.stringify(audit)).toContain('customers_merged');

    for (const fields of [{ '1bad': 'x' }, { topic: 'x'.repeat(501) }, { topic: { nested: 'x' } }])
      expect(
        (
          await h.app.inject({
            method: 'POST',
            url: '/api/v1/chat',
            payload: { name: 'Hedy', queue_id: chatQueue, fields },
          })
        ).statusCode,
      ).toBe(400);
  });

  it('corrects a customer with clear errors for a bad email or number', async () => {
    const known = (await ok(agent.rest('GET', '/api/v1/customers?q=Hedy')))[0];
    const fixed = await ok(agent.rest('PATCH', `/api/v1/customers/${known.id}`, { email: 'Hedy@Example.com' }));
    expect(fixed.email).toBe('hedy@example.com');
    const bad = await agent.rest('PATCH', `/api/v1/customers/${known.id}`, { phone: 'call me' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('country code');
    expect((await agent.rest('PATCH', `/api/v1/customers/${known.id}`, {})).statusCode).toBe(400);
    // A name of blanks is no name.
    expect((await agent.rest('PATCH', `/api/v1/customers/${known.id}`, { name: '   ' })).statusCode).toBe(400);
    expect((await agent.rest('GET', `/api/v1/customers/${'a'.repeat(32)}`)).statusCode).toBe(404);
  });

  it('lists tenant-wide and personal canned responses; only admins keep the tenant ones', async () => {
    const seeded = await ok(agent.rest('GET', '/api/v1/canned-responses'));
    expect(seeded.map((c: { shortcut: string }) => c.shortcut)).toEqual(['hello', 'moment', 'thanks']);
    const mine = await ok(
      agent.rest('POST', '/api/v1/canned-responses', { shortcut: 'bye', title: 'Bye', body: 'Bye {{customer.name}}' }),
      201,
    );
    expect(mine.personal).toBe(true);
    expect(
      (await agent.rest('POST', '/api/v1/canned-responses', { shortcut: 'bye', title: 'Again', body: 'x' })).statusCode,
    ).toBe(409);
    expect(
      (
        await agent.rest('POST', '/api/v1/canned-responses', {
          shortcut: 'team',
          title: 'T',
          body: 'x',
          personal: false,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await agent.rest('POST', '/api/v1/canned-responses', { shortcut: 'Has Space', title: 'T', body: 'x' }))
        .statusCode,
    ).toBe(400);
    expect((await other.rest('GET', '/api/v1/canned-responses')).json()).toHaveLength(3);
    expect((await other.rest('DELETE', `/api/v1/canned-responses/${mine.id}`)).statusCode).toBe(403);
    await ok(agent.rest('DELETE', `/api/v1/canned-responses/${mine.id}`), 204);
    const tenantWide = await ok(
      admin.rest('POST', '/api/v1/canned-responses', {
        shortcut: 'hours',
        title: 'Hours',
        body: 'We are open 8–20.',
        personal: false,
      }),
      201,
    );
    expect((await other.rest('GET', '/api/v1/canned-responses')).json()).toHaveLength(4);
    await ok(admin.rest('DELETE', `/api/v1/canned-responses/${tenantWide.id}`), 204);
  });
});
