/**
 * The demo tools follow the same access rules as everything else: an agent
 * plays only their own call's far party and makes up no customers, and a
 * demo handset's messages are its own browser's, in its own tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, otherTenant, startHarness, type Harness } from '../testing/index.ts';
import { HandsetDevice } from '../demo/index.ts';
import { startupBanner } from './index.ts';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness({}, 'sqlite', { listen: true });
  base = h.url ?? '';
});
afterAll(async () => {
  await h.close();
});

describe('demo tools', () => {
  it("let an agent play only their own call's far party, and only supervisors make up customers", async () => {
    const ws = base.replace('http', 'ws').slice(0, -1);
    const admin = await TestAgent.login(h, ws, 'admin');
    const agent1 = await TestAgent.login(h, ws, 'agent1');
    const agent2 = await TestAgent.login(h, ws, 'agent2');
    expect((await agent1.rest('POST', '/api/v1/demo/contacts', { to: '+15555550100', from: '+491' })).statusCode).toBe(
      403,
    );
    const queues = (await admin.rest('GET', '/api/v1/queues')).json() as Array<{ id: string; name: string }>;
    const chat = queues.find((q) => q.name === 'Web Chat')!;
    const contact = await admin.rest('POST', '/api/v1/demo/contacts', {
      queue_id: chat.id,
      from: 'Dee',
      preferred_agent_id: agent2.id,
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const id = contact.json().id as string;
    await agent2.connect();
    await agent2.setReady(true);
    await agent2.event('offered', id);
    expect((await agent2.act(id, 'accept')).statusCode).toBe(200);
    const remote = (who: TestAgent) => who.rest('POST', `/api/v1/demo/interactions/${id}/remote`, { event: 'hangup' });
    const foreign = await remote(agent1);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toContain("interaction's own agent");
    expect((await remote(agent2)).statusCode).toBe(200);
    await agent2.act(id, 'handle');
    await agent2.setReady(false);
    await agent2.disconnect();
  });

  it("keep a handset's messages to the browser that opened it, in its tenant", async () => {
    const mine = new HandsetDevice(base);
    const theirs = new HandsetDevice(base);
    const number = '+4915100000123';
    expect((await mine.send(number, '+15555550300', 'Only mine')).status).toBe(201);
    expect((await mine.messages(number)).map((m) => m.body)).toEqual(['Only mine']);
    // Another browser can neither take the number, nor read it, nor text as it.
    expect((await theirs.claim(number)).status).toBe(409);
    await expect(theirs.messages(number)).rejects.toThrow('HTTP 403');
    expect((await theirs.send(number, '+15555550300', 'Spoofed')).status).toBe(403);
    const plain = await fetch(`${base}demo/handset/${encodeURIComponent(number)}/messages`);
    expect(plain.status).toBe(403);
    const events = await fetch(`${base}demo/handset/${encodeURIComponent(number)}/events`);
    expect(events.status).toBe(403);
    // Another tenant's handset of the same number is another handset.
    await otherTenant(h.db);
    const elsewhere = new HandsetDevice(`${base}t/acme/`);
    expect((await elsewhere.claim(number)).status).toBe(204);
    expect(await elsewhere.messages(number)).toEqual([]);
  });

  it('say so loudly at start, and point at the production settings', () => {
    const on = startupBanner({ demo: true, demoPassword: 'parley-demo' }).join('\n');
    expect(on).toContain('DEMO MODE');
    expect(on).toContain('PARLEY_DEMO=false');
    expect(startupBanner({ demo: false, demoPassword: 'x' }).join('\n')).not.toContain('DEMO');
  });
});
