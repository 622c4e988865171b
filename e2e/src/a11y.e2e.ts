/**
 * Accessibility and a look at the panel: axe-core runs on the panel's main
 * views (login, offer, conversation with the transfer dialog and wrap-up, an
 * email conversation with its reply form),
 * light and dark, and fails on serious or critical violations. Screenshots of
 * each view land in `e2e/screenshots/` for a person to look at.
 */
import nodemailer from 'nodemailer';
import { describe, expect, inject, it } from 'vitest';
import { audit } from './axe.ts';
import { useBrowser } from './browser.ts';
import { api as apiAt, login as loginAt, openMenu, panelShot } from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const password = inject('demoPassword');
const smtpPort = inject('smtpPort');
const browser = useBrowser();
const api = (token: string, method: string, path: string, body?: unknown) => apiAt(baseUrl, token, method, path, body);
const login = (username: string) => loginAt(baseUrl, username, password);

describe('the panel, looked at', () => {
  it('has no serious accessibility violations, light and dark, and leaves screenshots', async () => {
    const admin = await login('admin');
    const agent = await login('agent3');
    const queue = await api(admin.token, 'POST', 'api/v1/queues', {
      name: `A11y line ${Date.now()}`,
      type: 'phone',
      addresses: [`+1555${Date.now() % 1_000_000}`],
      wrapup_s: 300,
    });
    await api(admin.token, 'PUT', `api/v1/queues/${String(queue['id'])}/members/${agent.id}`, {
      can_serve: true,
      proficiency: 3,
    });
    const mailbox = `a11y-${Date.now()}@demo.parley.local`;
    const mailQueue = await api(admin.token, 'POST', 'api/v1/queues', {
      name: `A11y mail ${Date.now()}`,
      type: 'email',
      addresses: [mailbox],
      wrapup_s: 300,
    });
    await api(admin.token, 'PUT', `api/v1/queues/${String(mailQueue['id'])}/members/${agent.id}`, {
      can_serve: true,
      proficiency: 3,
    });

    const context = await browser().newContext({ bypassCSP: true, viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    await page.goto(playgroundUrl);
    await page.click('#load');
    const panel = page.frameLocator('[data-testid=panel-container] iframe');
    await panel.locator('input[name=username]').waitFor();
    const frame = () => {
      const f = page.frames().find((candidate) => candidate.url().startsWith(baseUrl));
      if (!f) throw new Error('no panel frame');
      return f;
    };
    const problems: string[] = [];
    problems.push(...(await audit(frame())).map((p) => `login: ${p}`));
    await panelShot(page, 'login');

    await panel.locator('input[name=username]').fill('agent3');
    await panel.locator('input[name=password]').fill(password);
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => panel.locator('[data-testid=connection]').getAttribute('class')).toContain('conn-online');
    await panel.locator('[data-testid=ready-toggle]').click();
    await expect.poll(() => panel.locator('[data-testid=work-status]').textContent()).toBe('Ready');

    for (const dark of [false, true]) {
      const theme = dark ? 'dark' : 'light';
      if (dark) {
        await openMenu(panel);
        await panel.locator('[data-testid=theme-toggle]').click();
        await expect.poll(() => frame().evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
      }
      const contact = await api(admin.token, 'POST', 'api/v1/demo/contacts', {
        queue_id: queue['id'],
        from: '+4930555123',
      });
      await panel.locator('[data-testid=offer]').waitFor();
      problems.push(...(await audit(frame())).map((p) => `offer (${theme}): ${p}`));
      await panelShot(page, `offer-${theme}`);

      await panel.locator('[data-testid=offer-accept]').click();
      // The call runs: its clock ticks, and recording starts and shows as pressed.
      await panel.locator('[data-testid=duration]').waitFor();
      await panel.locator('[data-testid=record]').click();
      await expect.poll(() => panel.locator('[data-testid=record]').getAttribute('aria-pressed')).toBe('true');
      await panel.locator('[data-testid=transfer]').click();
      await panel.locator('[data-testid=target-dialog]').waitFor();
      problems.push(...(await audit(frame())).map((p) => `call + dialog (${theme}): ${p}`));
      await panelShot(page, `call-${theme}`);
      await panel.getByRole('button', { name: 'Cancel' }).first().click();

      await panel.locator('[data-testid=hangup]').click();
      await panel.locator('[data-testid=wrapup-done]').waitFor();
      problems.push(...(await audit(frame())).map((p) => `wrap-up (${theme}): ${p}`));
      await panelShot(page, `wrapup-${theme}`);
      await panel.locator('[data-testid=wrapup-done]').click();
      await expect
        .poll(async () => (await api(agent.token, 'GET', `api/v1/interactions/${String(contact['id'])}`))['state'])
        .toBe('handled');

      // An email conversation: the message with its HTML frame, the reply form with to, cc and subject.
      const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      await smtp.sendMail({
        from: { name: 'Casey Customer', address: 'casey@example.com' },
        to: mailbox,
        subject: `Order question (${theme})`,
        text: 'Where is my order?',
        html: '<p>Where is my <b>order</b>?</p>',
      });
      smtp.close();
      await panel.locator('[data-testid=offer-accept]').click();
      await panel.locator('[data-testid=email-subject-input]').waitFor();
      problems.push(...(await audit(frame())).map((p) => `email (${theme}): ${p}`));
      await panelShot(page, `email-${theme}`);
      await panel.locator('[data-testid=hangup]').click();
      await panel.locator('[data-testid=wrapup-done]').click();
      await expect.poll(() => panel.locator('[data-testid=conversation]').count()).toBe(0);
    }
    expect(problems).toEqual([]);
    // The theme is the agent's, on the server: put it back for other journeys.
    await openMenu(panel);
    await panel.locator('[data-testid=theme-toggle]').click();
    await context.close();
    await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
    await api(agent.token, 'PATCH', 'api/v1/me', { theme: { dark: false, primary: '#2563eb' } });
  }, 120_000);
});
