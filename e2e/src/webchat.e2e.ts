/**
 * A customer chats from the widget on a third site; an agent answers in the
 * panel embedded in the playground; the host page hears each transition.
 * The customer reloads mid-chat and keeps the conversation.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { addWidget as addWidgetAt, api as apiAt, loggedStatuses, login as loginAt } from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const foreignUrl = inject('foreignUrl');
const password = inject('demoPassword');
const browser = useBrowser();
const api = (token: string, method: string, path: string, body?: unknown) => apiAt(baseUrl, token, method, path, body);
const login = (username: string) => loginAt(baseUrl, username, password);

const addWidget = (page: Page, address: string) => addWidgetAt(page, baseUrl, address);

const statuses = loggedStatuses;

describe('web chat', () => {
  it('a customer on a third site chats with an agent in the embedded panel, across a reload', async () => {
    const admin = await login('admin');
    const agent = await login('agent1');
    const address = `webchat-e2e-${Date.now()}`;
    const queue = await api(admin.token, 'POST', 'api/v1/queues', {
      name: `Web chat e2e ${Date.now()}`,
      type: 'chat',
      addresses: [address],
      wrapup_s: 120,
    });
    await api(admin.token, 'PUT', `api/v1/queues/${String(queue['id'])}/members/${agent.id}`, {
      can_serve: true,
      proficiency: 3,
    });

    // The agent, in the CRM.
    const crm = await browser().newContext();
    const host = await crm.newPage();
    await host.goto(playgroundUrl);
    await host.click('summary');
    await host.fill('#username', 'agent1');
    await host.fill('#password', password);
    await host.click('#load');
    const panel = host.frameLocator('[data-testid=panel-container] iframe');
    await expect.poll(() => panel.locator('[data-testid=connection]').getAttribute('class')).toContain('conn-online');
    await host.click('#set-ready');
    await expect.poll(() => panel.locator('[data-testid=work-status]').textContent()).toBe('Ready');

    // The customer, on the business's own site (an origin Parley knows nothing about).
    const shop = await browser().newContext();
    const customer = await shop.newPage();
    const errors: string[] = [];
    customer.on('pageerror', (e) => errors.push(e.message));
    await customer.goto(foreignUrl);
    await addWidget(customer, address);
    await customer.getByRole('button', { name: 'Chat with us' }).click();
    await customer.getByLabel('Your name').fill('Grace Customer');
    await customer.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => customer.getByRole('status').textContent()).toContain('Waiting');

    await panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => customer.getByRole('status').textContent()).toBe('Connected: Ada Agent');
    // A 100 KB paste is kept whole and the customer is told it is too long, instead of it being cut silently.
    await customer.getByLabel('Your message').fill('x'.repeat(100_000));
    expect((await customer.getByLabel('Your message').inputValue()).length).toBe(100_000);
    await expect
      .poll(() => customer.locator('[data-parley-chat] .error').first().textContent())
      .toContain('Your message has 100,000 characters; at most 4,000 fit in one message');
    await customer.getByRole('button', { name: 'Send' }).click();
    await customer.getByLabel('Your message').fill('');
    await expect.poll(() => customer.locator('[data-parley-chat] .error').first().textContent()).toBe('');
    // Each side sees the other typing.
    await customer.getByLabel('Your message').pressSequentially('Hel');
    await panel.locator('[data-testid=typing]').waitFor();
    await panel.locator('[data-testid=compose]').pressSequentially('On');
    await customer.getByText('The agent is typing…').waitFor();
    await panel.locator('[data-testid=compose]').fill('');
    await customer.getByLabel('Your message').fill('Hello, my parcel is late');
    await customer.getByLabel('Your message').press('Enter');
    await expect
      .poll(() => panel.locator('[data-testid=messages]').textContent())
      .toContain('Hello, my parcel is late');

    // The agent's paste is kept whole too, with a word on why it does not go.
    await panel.locator('[data-testid=compose]').fill('y'.repeat(5000));
    expect((await panel.locator('[data-testid=compose]').inputValue()).length).toBe(5000);
    await expect.poll(() => panel.locator('[data-testid=too-long]').textContent()).toContain('5,000 characters');
    await panel.locator('[data-testid=send]').click();
    await panel.locator('[data-testid=compose]').fill('Sorry to hear that, let me check.');
    expect(await panel.locator('[data-testid=too-long]').count()).toBe(0);
    await panel.locator('[data-testid=send]').click();
    await expect
      .poll(() => customer.locator('[data-parley-chat] li[data-direction=out]').allTextContents())
      .toEqual([expect.stringContaining('Sorry to hear that, let me check.')]);
    // The agent's own bubble: its status label is readable on it (WCAG AA, 4.5:1).
    const ratio = await panel
      .locator('.msg-out [data-testid=message-status]')
      .first()
      .evaluate((el) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r ?? 0) + 0.7152 * f(g ?? 0) + 0.0722 * f(b ?? 0);
        };
        const fg = lum(rgb(getComputedStyle(el).color));
        const bg = lum(rgb(getComputedStyle(el.closest('.msg-out') as Element).backgroundColor));
        return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      });
    expect(ratio).toBeGreaterThanOrEqual(4.5);
    // A long unbroken string wraps in the widget and in the panel instead of pushing them sideways.
    const long = `https://example.com/${'a'.repeat(300)}`;
    await customer.getByLabel('Your message').fill(long);
    await customer.getByLabel('Your message').press('Enter');
    await expect.poll(() => panel.locator('[data-testid=messages]').textContent()).toContain(long);
    const overflows = (l: Locator) => l.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    expect(await overflows(customer.locator('[data-parley-chat] li', { hasText: long }).first())).toBe(false);
    expect(await overflows(panel.locator('.msg', { hasText: long }).first())).toBe(false);
    expect(await overflows(panel.locator('[data-testid=messages]'))).toBe(false);

    // The customer reloads the page: the conversation is still there, nothing twice.
    await customer.reload();
    await addWidget(customer, address);
    await expect.poll(() => customer.locator('[data-parley-chat] li').count()).toBe(3);
    await customer.getByLabel('Your message').fill('Thanks!');
    await customer.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => panel.locator('[data-testid=messages] li[data-direction=in]').count()).toBe(3);
    // The agent has the chat on screen: the customer sees their messages read.
    await expect
      .poll(() => customer.locator('[data-parley-chat] li[data-direction=in] .receipt').allTextContents())
      .toEqual(['Read', 'Read', 'Read']);
    // A file from the customer arrives in the panel as a download.
    await customer
      .locator('[data-parley-chat] input[type=file]')
      .setInputFiles({ name: 'order.txt', mimeType: 'text/plain', buffer: Buffer.from('Order 4711') });
    await expect
      .poll(async () =>
        (await panel.locator('[data-testid=messages] a[download="order.txt"]').count()) > 0
          ? 'arrived'
          : await customer.locator('[data-parley-chat] .error').allTextContents(),
      )
      .toBe('arrived');

    await panel.locator('[data-testid=hangup]').click();
    await expect.poll(() => customer.getByRole('status').first().textContent()).toBe('The chat has ended.');
    await customer.getByRole('button', { name: 'Email me the transcript' }).waitFor();
    await panel.locator('[data-testid=wrapup-code]').selectOption('resolved');
    await panel.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => statuses(host)).toEqual(['incoming', 'accepted', 'ended', 'handled']);
    expect(errors).toEqual([]);
    await shop.close();
    await crm.close();
    await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
  }, 120_000);

  it('offers to leave a message when nobody is online, answered later by email', async () => {
    const admin = await login('admin');
    const address = `webchat-empty-${Date.now()}`;
    await api(admin.token, 'POST', 'api/v1/queues', {
      name: `Nobody home ${Date.now()}`,
      type: 'chat',
      addresses: [address],
    });
    // A message left goes to the tenant's first email queue (by name). This one sorts first and nobody serves
    // it, so the message waits there instead of being offered to agents other journeys use.
    await api(admin.token, 'POST', 'api/v1/queues', {
      name: `!Left messages e2e`,
      type: 'email',
      addresses: [`left-messages-${Date.now()}@demo.parley.local`],
    }).catch(() => undefined);
    const shop = await browser().newContext();
    const customer = await shop.newPage();
    await customer.goto(foreignUrl);
    await addWidget(customer, address);
    await customer.getByRole('button', { name: 'Chat with us' }).click();
    await customer.getByRole('button', { name: 'Leave a message' }).waitFor();
    await customer.getByLabel('Your name').fill('Kim');
    await customer.getByLabel('Email').fill('kim@example.org');
    await customer.getByLabel('Your message').fill('Please call me back about my order.');
    await customer.getByRole('button', { name: 'Leave a message' }).click();
    await expect.poll(() => customer.getByRole('status').first().textContent()).toContain('answer you by email');
    await shop.close();
  });
});
