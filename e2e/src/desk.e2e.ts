/**
 * The agent desk beyond the conversation, in Chromium with fake media
 * devices: the customer card with history on a second contact from the same
 * number (and its screen-pop to the host), internal notes a supervisor sees
 * and the customer never does, canned responses with `/`, chimes, unread
 * badges and a desktop notification for a chat, keyboard shortcuts, device
 * choice with a live microphone level, and the missed list after an offer
 * times out. Screenshots of each view, axe on them, light and dark.
 */
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { audit } from './axe.ts';
import { launchChromium } from './browser.ts';
import {
  addWidget,
  auditBothThemes,
  loadPanel,
  panelFrame,
  api as apiAt,
  journeyQueue,
  loggedEvents,
  login as loginAt,
  openMenu,
  panelShot,
  readyAgentInPlayground,
} from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const foreignUrl = inject('foreignUrl');
const password = inject('demoPassword');
const login = (username: string) => loginAt(baseUrl, username, password);
const api = (token: string, method: string, p: string, body?: unknown) => apiAt(baseUrl, token, method, p, body);

let chromium: Browser | null = null;
beforeAll(async () => {
  chromium = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
});
afterAll(async () => {
  await chromium?.close();
});
const browser = () => {
  if (!chromium) throw new Error('the browser is not launched yet');
  return chromium;
};

/**
 * Counts the chimes a frame plays and the desktop notifications it shows,
 * by wrapping the browser's own AudioContext and Notification (both still
 * do their work). Runs in the page.
 */
function installAlertSpy(): void {
  const w = window as unknown as { __oscillators?: number; __notifications?: Array<{ title: string; body: string }> };
  if (w.__oscillators !== undefined) return;
  w.__oscillators = 0;
  w.__notifications = [];
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    w.__oscillators = (w.__oscillators ?? 0) + 1;
    return create.call(this);
  };
  if (typeof Notification === 'function') {
    const Real = Notification;
    class Spy extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        w.__notifications?.push({ title, body: options?.body ?? '' });
      }
    }
    Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
    Object.defineProperty(Spy, 'requestPermission', { value: Real.requestPermission.bind(Real) });
    (window as unknown as { Notification: typeof Notification }).Notification = Spy;
  }
}

const chimes = (frame: Frame) =>
  frame.evaluate(() => (window as unknown as { __oscillators?: number }).__oscillators ?? 0);

describe('the agent desk', () => {
  it('shows the customer card with the first call on a second contact from the same number, and pops it to the host', async () => {
    const admin = await login('admin');
    const supervisor = await login('supervisor');
    const agent = await login('agent1');
    const queueId = await journeyQueue(
      baseUrl,
      admin.token,
      { name: `!Desk card ${Date.now()}`, type: 'phone', addresses: [`+1555${String(Date.now()).slice(-7)}`] },
      [agent.id],
    );
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent1', password);
    const number = `+4930${String(Date.now()).slice(-7)}`;
    const spaced = `${number.slice(0, 3)} ${number.slice(3, 5)} ${number.slice(5)}`;

    const first = await api(supervisor.token, 'POST', 'api/v1/demo/contacts', {
      queue_id: queueId,
      from: number,
      name: 'Hedy Customer',
      attributes: { order: 'A-17' },
    });
    await a.panel.locator('[data-testid=offer-accept]').click();
    const card = a.panel.locator('[data-testid=customer-card]');
    await expect.poll(() => card.locator('[data-testid=customer-name]').textContent()).toBe('Hedy Customer');
    expect(await card.locator('[data-testid=customer-earlier]').textContent()).toBe('First contact');
    expect(await card.locator('[data-testid=customer-attributes]').textContent()).toContain('A-17');
    // The host got the card as screen-pop data, with what came with the contact.
    await expect
      .poll(() => loggedEvents(a.page, 'interaction:customer'))
      .toContainEqual(expect.stringMatching(/"name":"Hedy Customer".*"attributes":\{"order":"A-17"\}/));
    await a.panel.locator('[data-testid=note-input]').fill('Asked about the March invoice');
    await a.panel.locator('[data-testid=note-save]').click();
    await expect
      .poll(() => a.panel.locator('[data-testid=note]').allTextContents())
      .toEqual([expect.stringContaining('Asked about the March invoice')]);
    await expect
      .poll(() => loggedEvents(a.page, 'interaction:note'))
      .toContainEqual(expect.stringContaining('Asked about the March invoice'));
    // A supervisor reads the note; it is internal, nothing the customer is sent.
    const notes = (await api(
      supervisor.token,
      'GET',
      `api/v1/interactions/${String(first['id'])}/notes`,
    )) as unknown as Array<{
      body: string;
    }>;
    expect(notes.map((n) => n.body)).toEqual(['Asked about the March invoice']);
    await a.panel.locator('[data-testid=hangup]').click();
    await a.panel.locator('[data-testid=wrapup-notes]').fill('Invoice resent by email');
    await a.panel.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => a.panel.locator('[data-testid=conversation]').count()).toBe(0);

    // The same number, written differently, a day later: the same customer, with the first call in the card.
    await api(supervisor.token, 'POST', 'api/v1/demo/contacts', { queue_id: queueId, from: spaced });
    await a.panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => card.locator('[data-testid=customer-earlier]').textContent()).toBe('1 earlier contact');
    expect(await card.locator('[data-testid=customer-name]').textContent()).toBe('Hedy Customer');
    const history = card.locator('[data-testid=history-entry]');
    expect(await history.count()).toBe(1);
    const entry = (await history.textContent()) ?? '';
    expect(entry).toContain('Ada Agent');
    expect(entry).toContain('Invoice resent by email');
    expect(entry).toContain('Asked about the March invoice');
    await auditBothThemes(a.page, a.panel, 'customer-card');
    await a.panel.locator('[data-testid=hangup]').click();
    await a.panel.locator('[data-testid=wrapup-done]').click();
    await a.page.click('#set-not-ready');
    await a.context.close();
  }, 120_000);

  it('chimes for a chat, counts unread messages, inserts a canned response with / and keeps notes from the customer', async () => {
    const admin = await login('admin');
    const agent = await login('agent2');
    const address = `desk-chat-${Date.now()}`;
    await journeyQueue(baseUrl, admin.token, { name: `!Desk chat ${Date.now()}`, type: 'chat', addresses: [address] }, [
      agent.id,
    ]);
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent2', password);
    const shop = await browser().newContext();
    const customer = await shop.newPage();
    await customer.goto(foreignUrl);
    await addWidget(customer, baseUrl, address);
    await customer.getByRole('button', { name: 'Chat with us' }).click();
    await customer.getByLabel('Your name').fill('Hedy Customer');
    await panelFrame(a.page).evaluate(installAlertSpy);
    await customer.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => a.panel.locator('[data-testid=offer]').count()).toBe(1);
    // A chat offer chimes (calls ring through the voice station): two notes.
    await expect.poll(() => chimes(panelFrame(a.page))).toBeGreaterThanOrEqual(2);
    await a.panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => customer.getByRole('status').textContent()).toBe('Connected: Ben Agent');

    // `/` opens the canned responses; Enter inserts the greeting with both names filled in.
    const compose = a.panel.locator('[data-testid=compose]');
    await compose.fill('/hel');
    await expect.poll(() => a.panel.locator('[data-testid=canned-option]').count()).toBe(1);
    await panelShot(a.page, 'canned-responses-light');
    expect(await audit(panelFrame(a.page)), 'canned responses').toEqual([]);
    await compose.press('Enter');
    expect(await compose.inputValue()).toBe('Hello Hedy, this is Ben. How can I help you today?');
    await compose.press('Enter');
    await expect
      .poll(() => customer.locator('[data-parley-chat] li[data-direction=out]').allTextContents())
      .toEqual([expect.stringContaining('Hello Hedy, this is Ben. How can I help you today?')]);

    // A note for the team: never in the customer's window.
    await a.panel.locator('[data-testid=note-input]').fill('Prefers email follow-ups');
    await a.panel.locator('[data-testid=note-save]').click();
    await expect.poll(() => a.panel.locator('[data-testid=note]').count()).toBe(1);

    // Ben looks away (another window has the focus): the customer's next line is unread, and chimes.
    await panelFrame(a.page).evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    });
    await customer.getByLabel('Your message').fill('Thanks! One more question.');
    await customer.getByLabel('Your message').press('Enter');
    await expect.poll(() => a.panel.locator('[data-testid=unread]').textContent()).toBe('1');
    await panelShot(a.page, 'unread-badge-light');
    await panelFrame(a.page).evaluate(() => {
      delete (document as unknown as { visibilityState?: string }).visibilityState;
    });
    await a.panel.locator('.conv-head').click();
    await expect.poll(() => a.panel.locator('[data-testid=unread]').count()).toBe(0);
    expect(await customer.locator('[data-parley-chat]').textContent()).not.toContain('Prefers email');

    await a.panel.locator('[data-testid=hangup]').click();
    await a.panel.locator('[data-testid=wrapup-done]').click();
    await a.page.click('#set-not-ready');
    await shop.close();
    await a.context.close();
  }, 120_000);

  it('shows a desktop notification for a chat offer when the panel is in the background (permission granted)', async () => {
    const admin = await login('admin');
    const agent = await login('agent3');
    const address = `desk-notify-${Date.now()}`;
    const queueId = await journeyQueue(
      baseUrl,
      admin.token,
      { name: `!Desk notify ${Date.now()}`, type: 'chat', addresses: [address] },
      [agent.id],
    );
    // The panel on its own (a pop-out or a tab of its own): browsers give notifications to top-level pages only.
    const context = await browser().newContext();
    await context.grantPermissions(['notifications'], { origin: new URL(baseUrl).origin });
    await context.addInitScript(installAlertSpy);
    const page = await context.newPage();
    await page.goto(`${baseUrl}panel/embedded`);
    await page.getByLabel('Username').fill('agent3');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('[data-testid=connection]').getAttribute('class')).toContain('conn-online');
    await page.locator('[data-testid=ready-toggle]').click();
    await expect.poll(() => page.locator('[data-testid=work-status]').textContent()).toBe('Ready');
    await page.locator('[data-testid=menu]').click();
    await page.locator('[data-testid=open-devices]').click();
    expect(await page.locator('[data-testid=notify-state]').textContent()).toBe('On');
    await page.locator('[data-testid=devices-close]').click();
    // The agent is working in another window.
    await page.evaluate(() => {
      document.hasFocus = () => false;
    });
    const started = await fetch(new URL('api/v1/chat', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ivy Visitor', address }),
    });
    expect(started.status).toBe(201);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications))
      .toEqual([{ title: 'New Chat: Ivy Visitor', body: expect.any(String) }]);
    // The tab title flashes until the agent comes back.
    await expect.poll(() => page.title()).toMatch(/New Chat: Ivy Visitor|Parley/);
    // Nobody serves the journey's queue any more: the chat is not offered again in later journeys.
    await api(admin.token, 'DELETE', `api/v1/queues/${queueId}/members/${agent.id}`);
    await page.locator('[data-testid=offer-reject]').click();
    await page.locator('[data-testid=ready-toggle]').click();
    await context.close();
  }, 90_000);

  it('runs accept, hold, mute, hang-up and ready from the keyboard, lists them under ?, and lets the agent rebind one', async () => {
    const admin = await login('admin');
    const supervisor = await login('supervisor');
    const agent = await login('agent4');
    const queueId = await journeyQueue(
      baseUrl,
      admin.token,
      { name: `!Desk keys ${Date.now()}`, type: 'phone', addresses: [`+1556${String(Date.now()).slice(-7)}`] },
      [agent.id],
    );
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent4', password);
    const state = () => a.panel.locator('[data-testid=conversation]').getAttribute('data-state');
    await api(supervisor.token, 'POST', 'api/v1/demo/contacts', { queue_id: queueId, from: '+4930999000' });
    await expect.poll(() => a.panel.locator('[data-testid=offer]').count()).toBe(1);
    // Keys pressed in the host page stay the host's: the offer still rings.
    await a.page.locator('#username').press('Alt+A');
    expect(await a.panel.locator('[data-testid=offer]').count()).toBe(1);
    await a.panel.locator('[data-testid=agent-name]').click();
    await a.page.keyboard.press('Alt+A');
    await expect.poll(state).toBe('accepted');
    await a.page.keyboard.press('Alt+O');
    await expect.poll(state).toBe('held');
    // How long the customer has been on hold, from the server's clock.
    await expect.poll(() => a.panel.locator('[data-testid=hold-time]').textContent()).toMatch(/^On hold 0:0\d$/);
    await panelShot(a.page, 'call-on-hold-light');
    await a.page.keyboard.press('Alt+O');
    await expect.poll(state).toBe('accepted');
    expect(await a.panel.locator('[data-testid=hold-time]').count()).toBe(0);
    await a.panel.locator('[data-testid=record]').click();
    await expect.poll(() => a.panel.locator('[data-testid=recording]').textContent()).toBe('Recording');
    await a.panel.locator('[data-testid=record]').click();
    await expect.poll(() => a.panel.locator('[data-testid=recording]').count()).toBe(0);
    await a.panel.locator('[data-testid=agent-name]').click();
    await a.page.keyboard.press('Alt+M');
    await expect.poll(() => a.panel.getByRole('button', { name: 'Unmute' }).count()).toBe(1);
    await a.page.keyboard.press('Alt+H');
    await expect.poll(state).toBe('wrap_up');
    await a.panel.locator('[data-testid=wrapup-done]').click();

    await a.page.keyboard.press('?');
    const overlay = a.panel.locator('[data-testid=shortcuts]');
    await expect.poll(() => overlay.count()).toBe(1);
    expect(await overlay.locator('[data-testid=shortcut-accept] kbd').textContent()).toBe('Alt+A');
    await overlay.locator('[data-testid=shortcut-ready] button').click();
    await a.page.keyboard.press('Alt+R');
    await expect.poll(() => overlay.locator('[data-testid=shortcut-ready] kbd').textContent()).toBe('Alt+R');
    expect(await audit(panelFrame(a.page)), 'shortcuts overlay').toEqual([]);
    await panelShot(a.page, 'shortcuts-light');
    await overlay.locator('[data-testid=shortcuts-close]').click();
    await a.page.keyboard.press('Alt+R');
    await expect.poll(() => a.panel.locator('[data-testid=work-status]').textContent()).toBe('Not ready');
    await a.context.close();
  }, 90_000);

  it("lists a conference's parties and hangs up on the consulted colleague while the customer stays", async () => {
    const admin = await login('admin');
    const supervisor = await login('supervisor');
    const first = await login('agent1');
    const queueId = await journeyQueue(
      baseUrl,
      admin.token,
      { name: `!Desk conference ${Date.now()}`, type: 'phone', addresses: [`+1558${String(Date.now()).slice(-7)}`] },
      [first.id],
    );
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent1', password);
    const b = await readyAgentInPlayground(browser(), playgroundUrl, 'agent2', password);
    await api(supervisor.token, 'POST', 'api/v1/demo/contacts', { queue_id: queueId, from: '+4930777111' });
    await a.panel.locator('[data-testid=offer-accept]').click();
    await a.panel.locator('[data-testid=consult]').click();
    await a.panel.locator('[data-testid=target-agent2]').click();
    await b.panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => a.panel.locator('[data-testid=conference]').count()).toBe(1);
    await a.panel.locator('[data-testid=conference]').click();
    const parties = a.panel.locator('[data-testid=party]');
    await expect
      .poll(() => parties.allTextContents())
      .toEqual([
        expect.stringContaining('Customer +4930777111'),
        expect.stringContaining('Ada Agent(you)'),
        expect.stringContaining('Ben Agent'),
      ]);
    // Ben sees the same call, and cannot hang up on Ada: it is her conference.
    await expect.poll(() => b.panel.locator('[data-testid=party]').count()).toBe(3);
    expect(await b.panel.locator('[data-testid=party-hangup]').count()).toBe(0);
    await auditBothThemes(a.page, a.panel, 'conference-parties');
    await a.panel.locator('[data-testid=party-hangup]').click();
    await expect.poll(() => a.panel.locator('[data-testid=parties]').count()).toBe(0);
    // Ben's part ends (a consultation's part needs no wrap-up); Ada stays with the customer.
    await expect.poll(() => b.panel.locator('[data-testid=conversation]').count()).toBe(0);
    expect(await a.panel.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('accepted');
    await a.panel.locator('[data-testid=hangup]').click();
    await a.panel.locator('[data-testid=wrapup-done]').click();
    for (const p of [a.page, b.page]) await p.click('#set-not-ready');
    await a.context.close();
    await b.context.close();
  }, 120_000);

  it('chooses microphone, ringer and call audio among the fake devices, shows the level, and remembers them', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const panel = await loadPanel(page, playgroundUrl, 'agent5', password);
    await openMenu(panel);
    await panel.locator('[data-testid=open-devices]').click();
    const mics = panel.locator('[data-testid=device-mic] option');
    await expect.poll(() => mics.count()).toBeGreaterThan(1);
    // The last fake microphone, not the default one.
    const choice = (await mics.last().getAttribute('value')) ?? '';
    expect(choice).not.toBe('');
    await panel.locator('[data-testid=device-mic]').selectOption(choice);
    const outputs = panel.locator('[data-testid=device-ringer] option');
    const ringer = (await outputs.count()) > 1 ? await outputs.nth(1).getAttribute('value') : '';
    if (ringer) await panel.locator('[data-testid=device-ringer]').selectOption(ringer);
    // Chromium's fake microphone beeps: the meter moves.
    await expect
      .poll(() => panel.locator('[data-testid=mic-level]').evaluate((m) => (m as HTMLMeterElement).value), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await panelFrame(page).evaluate(installAlertSpy);
    await panel.locator('[data-testid=ringer-test]').click();
    await expect.poll(() => chimes(panelFrame(page))).toBeGreaterThanOrEqual(2);
    expect(await audit(panelFrame(page)), 'devices dialog').toEqual([]);
    await panelShot(page, 'devices-light');
    await panel.locator('[data-testid=devices-close]').click();

    // Kept with the agent: a new page of the panel (any browser with these devices) has them.
    await loadPanel(page, playgroundUrl, 'agent5', password);
    await openMenu(panel);
    await panel.locator('[data-testid=open-devices]').click();
    await expect.poll(() => panel.locator('[data-testid=device-mic]').inputValue(), { timeout: 10_000 }).toBe(choice);
    if (ringer) expect(await panel.locator('[data-testid=device-ringer]').inputValue()).toBe(ringer);
    await context.close();
  }, 90_000);

  it('lists an offer that timed out as missed, tells the host, and replies to the customer from the list', async () => {
    const admin = await login('admin');
    const supervisor = await login('supervisor');
    const agent = await login('agent5');
    const line = `+1557${String(Date.now()).slice(-7)}`;
    const queueId = await journeyQueue(
      baseUrl,
      admin.token,
      { name: `!Desk missed ${Date.now()}`, type: 'sms', addresses: [line], offer_timeout_s: 5 },
      [agent.id],
    );
    try {
      const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent5', password);
      const caller = `+4930${String(Date.now()).slice(-6)}1`;
      await api(supervisor.token, 'POST', 'api/v1/demo/contacts', { queue_id: queueId, from: caller });
      await expect.poll(() => a.panel.locator('[data-testid=offer]').count()).toBe(1);
      const missed = a.panel.locator('[data-testid=missed-entry]');
      await expect.poll(() => missed.count(), { timeout: 15_000 }).toBe(1);
      // It waits in the queue again: the agent's queue line says so, live, and the picklist names the queue and the wait.
      const chip = a.panel.locator(`[data-testid=queue-load][data-queue="${queueId}"]`);
      await expect.poll(() => chip.locator('.queue-waiting').textContent()).toBe('1');
      await expect.poll(() => chip.locator('[data-testid=queue-longest]').textContent()).toMatch(/^0:\d\d$/);
      await expect
        .poll(() => a.panel.locator('[data-testid=picklist]').textContent())
        .toMatch(/!Desk missed \d+ waiting 0:\d\d/);
      expect(await missed.textContent()).toContain(caller);
      expect(await missed.getAttribute('data-reason')).toBe('timeout');
      await expect
        .poll(() => loggedEvents(a.page, 'interaction:missed'))
        .toContainEqual(expect.stringContaining('"reason":"timeout"'));
      await auditBothThemes(a.page, a.panel, 'missed-list');
      // The server keeps the list: a reload shows it again.
      await loadPanel(a.page, playgroundUrl, 'agent5', password);
      // The list comes from the server after sign-in: give a slow machine the time.
      await expect.poll(() => missed.count(), { timeout: 10_000 }).toBe(1);
      await missed.locator('[data-testid=missed-callback]').click();
      await expect
        .poll(() => a.panel.locator('[data-testid=conversation] .addr').allTextContents())
        .toContainEqual(caller);
      expect(await a.panel.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('accepted');
      await a.panel.locator('[data-testid=hangup]').click();
      await a.panel.locator('[data-testid=wrapup-done]').click();
      await a.page.click('#set-not-ready').catch(() => undefined);
      await a.context.close();
    } finally {
      // Whatever happened, nobody serves the journey's queue afterwards: its contact is offered to no later journey.
      await api(admin.token, 'DELETE', `api/v1/queues/${queueId}/members/${agent.id}`).catch(() => undefined);
    }
  }, 120_000);
});
