/**
 * The agent desktop as agents use it all day, in Chromium: a chat consulted
 * on with a colleague (their own thread beside the customer's transcript,
 * never shown to the customer) and joined (the customer's widget names the
 * new agent at once), with screenshots of each view and axe on them.
 */
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import {
  addWidget,
  auditBothThemes,
  api as apiAt,
  journeyQueue,
  login as loginAt,
  readyAgentInPlayground,
  openMenu,
  loggedEvents,
  panelShot,
} from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const foreignUrl = inject('foreignUrl');
const password = inject('demoPassword');
const browser = useBrowser();
const login = (username: string) => loginAt(baseUrl, username, password);
const api = (token: string, method: string, p: string, body?: unknown) => apiAt(baseUrl, token, method, p, body);

describe('the agent desktop', () => {
  it('consults a colleague on a chat in a thread the customer never sees, and joins them', async () => {
    const admin = await login('admin');
    const first = await login('agent1');
    const second = await login('agent2');
    const address = `desk-consult-${Date.now()}`;
    await journeyQueue(
      baseUrl,
      admin.token,
      { name: `!Desk consult ${Date.now()}`, type: 'chat', addresses: [address] },
      [first.id, second.id],
    );
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent1', password);
    const b = await readyAgentInPlayground(browser(), playgroundUrl, 'agent2', password);
    await b.page.click('#set-not-ready');

    const shop = await browser().newContext();
    const customer = await shop.newPage();
    const errors: string[] = [];
    customer.on('pageerror', (e) => errors.push(e.message));
    await customer.goto(foreignUrl);
    await addWidget(customer, baseUrl, address);
    await customer.getByRole('button', { name: 'Chat with us' }).click();
    await customer.getByLabel('Your name').fill('Hedy Customer');
    await customer.getByRole('button', { name: 'Start chat' }).click();
    await a.panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => customer.getByRole('status').textContent()).toBe('Connected: Ada Agent');
    await customer.getByLabel('Your message').fill('Can I change my plan?');
    await customer.getByLabel('Your message').press('Enter');
    await expect.poll(() => a.panel.locator('[data-testid=messages]').textContent()).toContain('Can I change my plan?');

    // Ada consults Ben, who answers and reads the transcript in his own view.
    await b.page.click('#set-ready');
    await a.panel.locator('[data-testid=consult]').click();
    await a.panel.locator('[data-testid=target-agent2]').click();
    await b.panel.locator('[data-testid=offer-accept]').click();
    const thread = b.panel.locator('[data-testid=conversation]', { has: b.panel.locator('[data-testid=thread-note]') });
    await expect.poll(() => thread.locator('[data-testid=messages]').textContent()).toContain('Can I change my plan?');
    // He sees who asks and about whom, and cannot pass the customer on from a consultation.
    expect(await thread.locator('[data-testid=consulted-by]').textContent()).toBe('Ada Agent asks about Hedy Customer');
    expect(await thread.locator('[data-testid=transfer]').count()).toBe(0);
    // Ada's consultation is a conversation of its own: one line in her list until she opens it.
    const adaThread = a.panel.locator('[data-testid=conversation]', { hasText: 'Consultation' });
    expect(await adaThread.locator('[data-testid=compose]').count()).toBe(0);
    // It names Ben as people know him, not by his username.
    await expect.poll(() => adaThread.locator('.conv-head .addr').textContent()).toBe('Ben Agent');
    await adaThread.locator('.conv-head').click();
    await expect.poll(() => adaThread.locator('[data-testid=thread-note]').count()).toBe(1);
    await panelShot(a.page, 'multitasking-light');
    await adaThread.locator('[data-testid=compose]').fill('Ben, can you take a plan change?');
    await adaThread.locator('[data-testid=send]').click();
    await expect
      .poll(() => thread.locator('[data-testid=message][data-internal=true]').textContent())
      .toContain('Ben, can you take a plan change?');
    await thread.locator('[data-testid=compose]').fill('Sure, hand it over.');
    await thread.locator('[data-testid=send]').click();
    await expect
      .poll(() => adaThread.locator('[data-testid=message][data-internal=true]').allTextContents())
      .toEqual([
        expect.stringContaining('Ben, can you take a plan change?'),
        expect.stringContaining('Sure, hand it over.'),
      ]);
    await auditBothThemes(b.page, b.panel, 'consult-thread');

    // Joined: the customer is told Ben serves them now, without a reload, and never saw the agents' thread.
    await a.panel.locator('[data-testid=join]').click();
    await expect.poll(() => customer.getByRole('status').textContent()).toBe('Connected: Ben Agent');
    await b.panel.locator('[data-testid=compose]').fill('Hi Hedy, Ben here.');
    await b.panel.locator('[data-testid=send]').click();
    await expect
      .poll(() => customer.locator('[data-parley-chat] li[data-direction=out]').allTextContents())
      .toEqual([expect.stringContaining('Hi Hedy, Ben here.')]);
    // One SVG icon set, no emoji standing in for icons (they are boxes without an emoji font).
    const EMOJI = /\p{Extended_Pictographic}/u;
    expect(await b.panel.locator('body').textContent()).not.toMatch(EMOJI);
    expect(await b.panel.locator('[data-testid=audio] svg').count()).toBe(1);
    expect(await customer.locator('body').textContent()).not.toMatch(EMOJI);
    const seen = await customer.locator('[data-parley-chat]').textContent();
    expect(seen).not.toContain('plan change?');
    expect(seen).not.toContain('hand it over');
    expect(errors).toEqual([]);

    await b.panel.locator('[data-testid=hangup]').click();
    await b.panel.locator('[data-testid=wrapup-done]').click();
    await a.panel.locator('[data-testid=wrapup-done]').click();
    for (const p of [a.page, b.page]) await p.click('#set-not-ready');
    await shop.close();
    await a.context.close();
    await b.context.close();
  }, 120_000);

  it('tells the agent who changed their state and why, lets them pick a reason the host hears, and who signed them out', async () => {
    const supervisor = await login('supervisor');
    const agent = await login('agent3');
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent3', password);
    await api(supervisor.token, 'PUT', `api/v1/agents/${agent.id}/state`, { ready: false, reason: 'meeting' });
    await expect.poll(() => a.panel.locator('[data-testid=work-status]').textContent()).toBe('Not ready');
    expect(await a.panel.locator('[data-testid=not-ready-reason]').textContent()).toBe(' · Meeting');
    // No "Available" beside "Not ready": the reason picker shows the supervisor's reason.
    expect(await a.panel.locator('[data-testid=presence]').count()).toBe(0);
    expect(await a.panel.locator('[data-testid=not-ready-reasons]').inputValue()).toBe('meeting');
    await expect
      .poll(() => a.panel.locator('[data-testid=notice]').textContent())
      .toContain('Sam Supervisor set you Not ready: Meeting.');
    await expect
      .poll(() => loggedEvents(a.page, 'agent:state'))
      .toContainEqual(expect.stringMatching(/"reason":\{"code":"meeting".*"name":"Sam Supervisor"/));
    await auditBothThemes(a.page, a.panel, 'forced-not-ready');
    await a.panel.locator('[data-testid=notice-dismiss]').click();
    expect(await a.panel.locator('[data-testid=notice]').count()).toBe(0);

    // The agent picks a reason of their own: the host hears it, with nobody else named.
    await a.panel.locator('[data-testid=not-ready-reasons]').selectOption('lunch');
    await expect.poll(() => a.panel.locator('[data-testid=not-ready-reason]').textContent()).toBe(' · Lunch');
    await expect
      .poll(() => loggedEvents(a.page, 'agent:state').then((l) => l.at(-1) ?? ''))
      .toMatch(/"reason":\{"code":"lunch","label":"Lunch"\},"changed_by":null/);
    expect(await a.panel.locator('[data-testid=notice]').count()).toBe(0);

    // A forced logout: back at the form, told who did it.
    await api(supervisor.token, 'POST', `api/v1/agents/${agent.id}/logout`);
    await expect
      .poll(() => a.panel.locator('form.login [data-testid=notice]').textContent())
      .toContain('Sam Supervisor signed you out.');
    await panelShot(a.page, 'forced-logout-light');
    await a.context.close();
  }, 90_000);

  it('speaks to the agent in their language: presence names, a wrong number, and no developer text', async () => {
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent5', password);
    await a.panel.locator('[data-testid=ready-toggle]').click();
    await openMenu(a.panel);
    await a.panel.locator('[data-testid=language]').selectOption('de');
    try {
      await expect.poll(() => a.panel.locator('[data-testid=work-status]').textContent()).toBe('Nicht bereit');
      await a.panel.locator('[data-testid=ready-toggle]').click();
      await expect
        .poll(() => a.panel.locator('[data-testid=presence] option').allTextContents())
        .toContain('Verfügbar');
      expect(await a.panel.locator('[data-testid=presence] option').allTextContents()).toContain('Mittagspause');
      await a.panel.locator('[data-testid=new-outbound]').click();
      await a.panel.getByLabel('An', { exact: true }).fill('not a number');
      await a.panel.locator('form.dialer button[type=submit]').click();
      await expect
        .poll(() => a.panel.locator('form.dialer [role=alert]').textContent())
        .toBe(
          '„not a number“ ist keine Telefonnummer. Geben Sie Ziffern ein, mit der Ländervorwahl nach einem + (zum Beispiel +49 30 1234567).',
        );
      await panelShot(a.page, 'german-dialer');
    } finally {
      await openMenu(a.panel);
      await a.panel.locator('[data-testid=language]').selectOption('en');
      await expect.poll(() => a.panel.locator('[data-testid=work-status]').textContent()).not.toContain('ereit');
      await a.page.click('#set-not-ready');
      await a.context.close();
    }
  }, 60_000);
});
