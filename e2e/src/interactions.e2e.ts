/**
 * An agent's first contact, across origins: the playground loads the panel,
 * the agent goes ready, a chat arrives, the panel shows the offer, the agent
 * accepts, ends and wraps it up in the panel, and the host page hears each
 * transition as an `interaction:status` event.
 */
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { api as apiAt, journeyQueue, loggedStatuses, login as loginAt, readyAgentInPlayground } from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const password = inject('demoPassword');

const browser = useBrowser();
const api = (token: string, method: string, path: string, body?: unknown) => apiAt(baseUrl, token, method, path, body);
const login = (username: string) => loginAt(baseUrl, username, password);

const statuses = loggedStatuses;

describe('interactions in the panel', () => {
  it('offers a chat in the panel; accept, end and wrap-up reach the host as status events', async () => {
    const admin = await login('admin');
    const agent = await login('agent4');
    const queueId = await journeyQueue(
      baseUrl,
      admin.token,
      {
        name: `E2E chat ${Date.now()}`,
        type: 'chat',
        addresses: [`e2e-chat-${Date.now()}`],
        wrapup_s: 120,
      },
      [agent.id],
    );

    const { context, page, panel } = await readyAgentInPlayground(browser(), playgroundUrl, 'agent4', password);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const contact = await api(admin.token, 'POST', 'api/v1/demo/contacts', {
      queue_id: queueId,
      from: 'visitor@example.org',
    });
    expect(contact['agent_id']).toBe(agent.id);
    const offer = panel.locator('[data-testid=offer]');
    await expect.poll(() => offer.textContent()).toContain('visitor@example.org');
    expect(await panel.locator('[data-testid=offers]').getAttribute('aria-live')).toBe('assertive');
    await expect.poll(() => statuses(page)).toEqual(['incoming']);

    await panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => panel.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('accepted');
    await expect.poll(() => statuses(page)).toEqual(['incoming', 'accepted']);
    await expect.poll(() => panel.locator('[data-testid=work-status]').textContent()).toBe('Busy');

    await panel.locator('[data-testid=hangup]').click();
    await expect.poll(() => panel.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('wrap_up');
    await panel.locator('[data-testid=wrapup-notes]').fill('Asked about opening hours');
    await panel.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => statuses(page)).toEqual(['incoming', 'accepted', 'ended', 'handled']);
    expect(await panel.locator('[data-testid=conversation]').count()).toBe(0);
    await expect.poll(() => panel.locator('[data-testid=work-status]').textContent()).toBe('Ready');

    const stored = await api(agent.token, 'GET', `api/v1/interactions/${String(contact['id'])}`);
    expect(stored).toMatchObject({ state: 'handled', wrapup: { notes: 'Asked about opening hours' } });
    expect(errors).toEqual([]);
    await context.close();
    await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
  });

  it('transfers a chat to another agent, picks a waiting one, and consults then joins (two browsers)', async () => {
    const admin = await login('admin');
    const a = await login('agent4');
    const b = await login('agent5');
    const queueId = await journeyQueue(
      baseUrl,
      admin.token,
      {
        name: `E2E team ${Date.now()}`,
        type: 'chat',
        addresses: [`e2e-team-${Date.now()}`],
        wrapup_s: 120,
      },
      [a.id],
    );
    const open = (username: string) => readyAgentInPlayground(browser(), playgroundUrl, username, password);
    const A = await open('agent4');
    const B = await open('agent5');
    const contact = (from: string) => api(admin.token, 'POST', 'api/v1/demo/contacts', { queue_id: queueId, from });

    // Transfer: A takes the chat and hands it to B, who accepts it in B's own browser.
    await contact('transfer@example.org');
    await A.panel.locator('[data-testid=offer-accept]').click();
    await A.panel.locator('[data-testid=transfer]').click();
    await A.panel.locator('[data-testid=target-dialog] [data-testid=target-agent5]').click();
    await expect.poll(() => B.panel.locator('[data-testid=offer]').textContent()).toContain('transfer@example.org');
    await B.panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => statuses(B.page)).toEqual(['incoming', 'accepted']);
    await expect.poll(() => statuses(A.page)).toEqual(['incoming', 'accepted', 'ended']);
    await A.panel.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => statuses(A.page)).toEqual(['incoming', 'accepted', 'ended', 'handled']);

    // Picklist: with A not ready the next chat waits, and A picks it.
    await A.page.click('#set-not-ready');
    await expect.poll(() => A.panel.locator('[data-testid=work-status]').textContent()).toBe('Not ready');
    await contact('pick@example.org');
    await A.panel.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => A.panel.locator('[data-testid=picklist]').textContent()).toContain('pick@example.org');
    await A.panel.locator('[data-testid=pick]').click();
    await expect
      .poll(() => A.panel.locator('[data-testid=conversation][data-state=accepted]').textContent())
      .toContain('pick@example.org');

    // Consult: A asks B, B answers, A joins the customer to B and leaves.
    await A.panel.locator('[data-testid=consult]').click();
    await A.panel.locator('[data-testid=target-dialog] [data-testid=target-agent5]').click();
    await expect.poll(() => B.panel.locator('[data-testid=offer]').count()).toBe(1);
    await B.panel.locator('[data-testid=offer-accept]').click();
    await A.panel.locator('[data-testid=join]').click();
    await expect
      .poll(() => B.panel.locator('[data-testid=conversation][data-state=accepted]').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('pick@example.org')]));
    await expect.poll(() => A.panel.locator('[data-testid=conversation][data-state=wrap_up]').count()).toBe(1);

    // Leave both agents as other journeys expect them: not ready, with nothing open.
    for (const agent of [a, b]) {
      const leftover = await api(agent.token, 'GET', 'api/v1/interactions');
      for (const i of Object.values(leftover) as Array<{ id: string; state: string }>) {
        const act = (action: string) => api(agent.token, 'POST', `api/v1/interactions/${i.id}/actions`, { action });
        const state = i.state === 'accepted' ? (await act('hangup'))['state'] : i.state;
        if (state === 'wrap_up' || state === 'ended') await act('handle');
      }
    }
    for (const side of [A, B]) await side.context.close();
    for (const agent of [a, b]) await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
  }, 120_000);

  it('lets the host drive a chat with the SDK: accept, message, hang up, wrap up, handle', async () => {
    const admin = await login('admin');
    const agent = await login('agent4');
    const address = `sdk-chat-${Date.now()}`;
    await journeyQueue(
      baseUrl,
      admin.token,
      {
        name: `SDK chat ${Date.now()}`,
        type: 'chat',
        addresses: [address],
        wrapup_s: 120,
      },
      [agent.id],
    );
    const { context, page } = await readyAgentInPlayground(browser(), playgroundUrl, 'agent4', password);

    const started = await fetch(new URL('api/v1/chat', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sam Sdk', address }),
    });
    expect(started.status).toBe(201);
    await expect.poll(() => statuses(page)).toEqual(['incoming']);

    type Sdk = {
      accept(): Promise<{ state: string }>;
      message(c: string): Promise<{ content: string; direction: string }>;
      hangup(): Promise<{ state: string }>;
      wrapUp(w: object): Promise<{ wrapup: object }>;
      handle(): Promise<{ state: string }>;
      ongoingInteractions(): Array<{ id: string }>;
      activeInteractionId: string | null;
    };
    const result = await page.evaluate(async () => {
      const p = (window as unknown as { parleyPanel: Sdk }).parleyPanel;
      const steps: unknown[] = [];
      steps.push((await p.accept()).state);
      const sent = await p.message('Hello from the CRM');
      steps.push(`${sent.direction}:${sent.content}`);
      steps.push(p.ongoingInteractions().length, p.activeInteractionId !== null);
      steps.push((await p.hangup()).state);
      steps.push((await p.wrapUp({ code: 'resolved', notes: 'via SDK' })).wrapup);
      steps.push((await p.handle()).state);
      return steps;
    });
    expect(result).toEqual([
      'accepted',
      'out:Hello from the CRM',
      1,
      true,
      'wrap_up',
      { code: 'resolved', notes: 'via SDK' },
      'handled',
    ]);
    await expect.poll(() => statuses(page)).toEqual(['incoming', 'accepted', 'ended', 'handled']);
    await context.close();
    await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
  });
});
