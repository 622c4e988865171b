/**
 * SMS and email, end to end in Chromium: a person texts a queue number from
 * the virtual handset (/handset), an agent answers in the embedded panel and
 * the reply arrives on the handset; the CRM sends an SMS straight from the
 * SDK (`sendSMS({direct: true})`) and it arrives; an email sent over SMTP
 * (nodemailer) becomes an interaction, the agent's reply lands in the demo
 * mailbox threaded to it, and the customer's answer from the mailbox joins
 * the same conversation.
 */
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { api as apiAt, journeyQueue, loggedStatuses, login as loginAt, readyAgentInPlayground } from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const password = inject('demoPassword');
const smtpPort = inject('smtpPort');
const browser = useBrowser();
const api = (token: string, method: string, path: string, body?: unknown) => apiAt(baseUrl, token, method, path, body);
const login = (username: string) => loginAt(baseUrl, username, password);
const unique = () => String(Date.now()).slice(-6);

/** The handset page for a number, its queue list loaded. */
async function handsetPage(page: Page, number: string): Promise<void> {
  await page.goto(`${baseUrl}handset?number=${encodeURIComponent(number)}`);
  await expect.poll(() => page.locator('#to option').count()).toBeGreaterThan(0);
}

describe('SMS and email channels', () => {
  it('an SMS from the handset reaches the agent, the reply and an SDK-sent SMS reach the handset', async () => {
    const admin = await login('admin');
    const agent = await login('agent3');
    const number = `+1555557${unique()}`;
    await journeyQueue(baseUrl, admin.token, { name: `SMS e2e ${number}`, type: 'sms', addresses: [number] }, [
      agent.id,
    ]);
    const { context, page, panel } = await readyAgentInPlayground(browser(), playgroundUrl, 'agent3', password);

    const phone = await (await browser().newContext()).newPage();
    const customer = `+49151${unique()}1`;
    await handsetPage(phone, customer);
    await phone.locator('#to').selectOption(number);
    await phone.locator('#body').fill('Where is my parcel?');
    await phone.locator('#send').click();
    await expect.poll(() => phone.locator('#error').textContent()).toBe('');

    await panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => panel.locator('[data-testid=messages]').textContent()).toContain('Where is my parcel?');
    await panel.locator('[data-testid=compose]').fill('It leaves our warehouse today.');
    await panel.locator('[data-testid=send]').click();
    await expect
      .poll(() => phone.locator('#log li.in').allTextContents())
      .toEqual([expect.stringContaining('It leaves our warehouse today.')]);
    await expect.poll(() => panel.locator('[data-testid=message-status]').allTextContents()).toEqual(['Delivered']);

    await panel.locator('[data-testid=hangup]').click();
    await panel.locator('[data-testid=wrapup-code]').selectOption('resolved');
    await panel.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => loggedStatuses(page)).toEqual(['incoming', 'accepted', 'ended', 'handled']);

    // The CRM sends an SMS on its own: no agent typing, it goes at once.
    const other = `+49151${unique()}2`;
    type Sdk = {
      sendSMS(sms: object): Promise<{ id: string; channel_type: string }>;
      hangup(id?: string): Promise<unknown>;
      handle(id?: string): Promise<{ state: string }>;
    };
    const sent = await page.evaluate(
      async ([to, from]) => {
        const p = (window as unknown as { parleyPanel: Sdk }).parleyPanel;
        const interaction = await p.sendSMS({ to, from, content: 'Your order 4711 has shipped.', direct: true });
        await p.hangup(interaction.id);
        return { channel: interaction.channel_type, state: (await p.handle(interaction.id)).state };
      },
      [other, number],
    );
    expect(sent).toEqual({ channel: 'sms', state: 'handled' });
    await handsetPage(phone, other);
    await expect
      .poll(() => phone.locator('#log li.in').allTextContents())
      .toEqual([expect.stringContaining('Your order 4711 has shipped.')]);
    await phone.context().close();
    await context.close();
    await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
  }, 120_000);

  it('an email over SMTP becomes an interaction; the reply arrives in the mailbox threaded, and so does the answer', async () => {
    const admin = await login('admin');
    const agent = await login('agent4');
    const address = `care-${unique()}@demo.parley.local`;
    await journeyQueue(baseUrl, admin.token, { name: `Email e2e ${address}`, type: 'email', addresses: [address] }, [
      agent.id,
    ]);
    const { context, page, panel } = await readyAgentInPlayground(browser(), playgroundUrl, 'agent4', password);

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    const customer = `casey-${unique()}@example.com`;
    const first = await smtp.sendMail({
      from: { name: 'Casey Customer', address: customer },
      to: address,
      subject: 'Refund for order 4711',
      text: 'I would like a refund, please.',
      html: '<p>I would like a <b>refund</b>, please.</p>',
    });
    smtp.close();

    await panel.locator('[data-testid=offer-accept]').click();
    await expect
      .poll(() => panel.locator('[data-testid=email-subject]').first().textContent())
      .toBe('Refund for order 4711');
    // The HTML is shown in a frame that runs nothing.
    expect(await panel.locator('iframe.email-html').getAttribute('sandbox')).toBe('');
    expect(await panel.locator('[data-testid=email-to]').inputValue()).toBe(customer);
    expect(await panel.locator('[data-testid=email-subject-input]').inputValue()).toBe('Re: Refund for order 4711');
    await panel.locator('[data-testid=compose]').fill('Your refund is on its way.');
    await panel.locator('[data-testid=send]').click();
    await expect.poll(() => panel.locator('[data-testid=message-status]').allTextContents()).toEqual(['Sent']);

    const mailbox = await (await browser().newContext()).newPage();
    await mailbox.goto(`${baseUrl}mailbox`);
    const mail = mailbox.locator('#inbox li', { hasText: 'Your refund is on its way.' });
    await mail.waitFor();
    expect(await mail.locator('h3').textContent()).toBe('Re: Refund for order 4711');
    expect(await mail.textContent()).toContain(`In-Reply-To: ${first.messageId}`);
    expect(await mail.textContent()).toContain(`To: ${customer}`);

    // The customer answers from the mailbox: it joins the same conversation in the panel.
    await mail.getByRole('button', { name: 'Reply' }).click();
    expect(await mailbox.locator('#to').inputValue()).toBe(address);
    await mailbox.locator('#text').fill('Thank you, received.');
    await mailbox.locator('#send').click();
    await expect.poll(() => mailbox.locator('#status').textContent()).toContain('Sent');
    await expect.poll(() => panel.locator('[data-testid=messages] li[data-direction=in]').count()).toBe(2);
    expect(await panel.locator('[data-testid=conversation]').count()).toBe(1);

    await panel.locator('[data-testid=hangup]').click();
    await panel.locator('[data-testid=wrapup-code]').selectOption('resolved');
    await panel.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => loggedStatuses(page)).toEqual(['incoming', 'accepted', 'ended', 'handled']);
    await mailbox.context().close();
    await context.close();
    await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
  }, 120_000);
});
