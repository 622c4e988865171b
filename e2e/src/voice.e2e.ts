/**
 * Real calls with real audio, in Chromium. Every party is its own Chromium
 * whose fake microphone plays a known tone (agent 1000 Hz, customer 2200 Hz,
 * consulted agent 2800 Hz); each page analyses what it receives with
 * WebAudio and the tests look for energy at the expected frequencies — and
 * its absence where a party must not be heard (hold, mute).
 */
import { goertzel } from '@parley/server/dsp';
import { readWav } from '@parley/server/wav';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  AGENT_HZ,
  CONSULTANT_HZ,
  CUSTOMER_HZ,
  hears,
  launchWithTone,
  listen,
  MUSIC_HZ,
  PHONE_AUDIO,
  phonePage as phoneAt,
  PRESENT,
} from './audio.ts';
import { api as apiAt, journeyQueue, login as loginAt, readyAgentInPlayground } from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const password = inject('demoPassword');
const api = (token: string, method: string, p: string, body?: unknown) => apiAt(baseUrl, token, method, p, body);
const login = (username: string) => loginAt(baseUrl, username, password);
const unique = () => String(Date.now()).slice(-7);

const browsers: Browser[] = [];
let agentBrowser: Browser;
let customerBrowser: Browser;
let consultantBrowser: Browser;
beforeAll(async () => {
  [agentBrowser, customerBrowser, consultantBrowser] = await Promise.all([
    launchWithTone(AGENT_HZ),
    launchWithTone(CUSTOMER_HZ),
    launchWithTone(CONSULTANT_HZ),
  ]);
  browsers.push(agentBrowser, customerBrowser, consultantBrowser);
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  // Leave the shared demo agents as other journeys expect them: not ready.
  for (const username of ['agent4', 'agent5']) {
    const { token } = await login(username);
    await api(token, 'PUT', 'api/v1/me/state', { ready: false });
  }
});

const PANEL_AUDIO = 'audio[data-parley=call-audio]';
const panelFrame = (page: Page): Frame => {
  const frame = page.frames().find((f) => f.url().includes('/panel'));
  if (!frame) throw new Error('no panel frame');
  return frame;
};
type Sdk = Record<string, (...args: unknown[]) => Promise<unknown>>;
const sdk = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(
    ([m, a]) => (window as unknown as { parleyPanel: Sdk }).parleyPanel[m as string]?.(...(a as unknown[])),
    [method, args] as const,
  );

const phonePage = (number: string): Promise<Page> => phoneAt(customerBrowser, baseUrl, number);

async function agentWithAudio(browser: Browser, username: string) {
  const agent = await readyAgentInPlayground(browser, playgroundUrl, username, password);
  await expect
    .poll(() => agent.panel.locator('[data-testid=audio]').getAttribute('class'))
    .toContain('audio-connected');
  return agent;
}

describe('voice', () => {
  it('an inbound call: queue music, audio both ways, hold, mute, keys both ways, a recording of both, a reload', async () => {
    const admin = await login('admin');
    const agent = await login('agent4');
    const queueNumber = `+1555561${unique()}`;
    await journeyQueue(
      baseUrl,
      admin.token,
      { name: `Voice e2e ${queueNumber}`, type: 'phone', addresses: [queueNumber], wrapup_s: 0 },
      [agent.id],
    );
    const { page, panel } = await agentWithAudio(agentBrowser, 'agent4');
    const phone = await phonePage(`+4917${unique()}`);

    await phone.fill('#to', queueNumber);
    await phone.click('#dial button');
    await expect.poll(() => phone.evaluate(() => document.body.dataset['progress'])).toBe('queued');
    // Waiting in the queue: music.
    const waiting = await listen(phone, PHONE_AUDIO, MUSIC_HZ, 2500);
    expect(Math.max(...waiting)).toBeGreaterThan(PRESENT);

    await panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => phone.evaluate(() => document.body.dataset['progress'])).toBe('connected');
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);
    await hears(() => panelFrame(page), PANEL_AUDIO, CUSTOMER_HZ, true);

    // Hold: the customer hears music and not the agent; unhold brings the agent back.
    await sdk(page, 'hold');
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, false);
    expect(Math.max(...(await listen(phone, PHONE_AUDIO, MUSIC_HZ, 2500)))).toBeGreaterThan(PRESENT);
    await sdk(page, 'unhold');
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);

    // Mute: the customer stops hearing the agent; the agent still hears the customer.
    await sdk(page, 'mute');
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, false);
    await hears(() => panelFrame(page), PANEL_AUDIO, CUSTOMER_HZ, true);
    await sdk(page, 'unmute');
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);

    // DTMF from the agent arrives as tones ('5' is 770 + 1336 Hz).
    const [heardTones] = await Promise.all([
      listen(phone, PHONE_AUDIO, [770, 1336, 697, 1477], 1500),
      sdk(page, 'dtmf', '55'),
    ]);
    expect(heardTones[0]).toBeGreaterThan(PRESENT);
    expect(heardTones[1]).toBeGreaterThan(PRESENT);
    // DTMF from the customer (RFC 4733) shows in the panel and the event log.
    await phone.locator('#keys button', { hasText: '7' }).click();
    await expect.poll(() => panel.locator('[data-testid=caller-keys]').textContent()).toContain('7');

    // Record a while, then reload the host page in the middle of the call.
    await sdk(page, 'startRecording');
    await new Promise((r) => setTimeout(r, 2000));
    await sdk(page, 'stopRecording');
    const calls = (await api(agent.token, 'GET', 'api/v1/interactions?state=open')) as unknown as Array<{
      id: string;
      channel_type: string;
    }>;
    const call = calls.find((c) => c.channel_type === 'phone');
    expect(call).toBeDefined();
    const events = (await api(agent.token, 'GET', `api/v1/interactions/${call?.id}/events`)) as unknown as Array<{
      type: string;
      detail: { digits?: string } | null;
    }>;
    expect(events.find((e) => e.type === 'dtmf_received')?.detail?.digits).toBe('7');

    await page.reload();
    await page.click('summary');
    await page.fill('#username', 'agent4');
    await page.fill('#password', password);
    await page.click('#load');
    // While the panel is away the customer hears music, then the agent again once it re-attached.
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);
    await hears(() => panelFrame(page), PANEL_AUDIO, CUSTOMER_HZ, true);

    await panelFrame(page).locator('[data-testid=hangup]').click();
    await expect.poll(() => phone.evaluate(() => document.body.dataset['call'])).toBe('idle');

    // The recording has both voices.
    const recordings = (await api(
      agent.token,
      'GET',
      `api/v1/interactions/${call?.id}/recordings`,
    )) as unknown as Array<{
      id: string;
      state: string;
      duration_ms: number;
    }>;
    expect(recordings).toHaveLength(1);
    expect(recordings[0]?.state).toBe('complete');
    expect(recordings[0]?.duration_ms).toBeGreaterThan(1500);
    const wav = Buffer.from(
      await (
        await fetch(new URL(`api/v1/recordings/${recordings[0]?.id}`, baseUrl), {
          headers: { authorization: `Bearer ${agent.token}` },
        })
      ).arrayBuffer(),
    );
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(8000);
    const { samples } = readWav(wav);
    const middle = samples.subarray(samples.length / 4, (samples.length * 3) / 4);
    const noise = goertzel(middle, 1700);
    expect(goertzel(middle, AGENT_HZ)).toBeGreaterThan(noise * 100);
    expect(goertzel(middle, CUSTOMER_HZ)).toBeGreaterThan(noise * 100);
    // Another agent may not have it.
    const other = await login('agent1');
    await expect(api(other.token, 'GET', `api/v1/recordings/${recordings[0]?.id}`)).rejects.toThrow(/403/);
  }, 120_000);

  it('click-to-call from a web page; consult another agent with the caller on music, cancel, consult again, join', async () => {
    const { page: page4, panel: panel4 } = await agentWithAudio(agentBrowser, 'agent4');
    const { page: page5, panel: panel5 } = await agentWithAudio(consultantBrowser, 'agent5');
    await sdk(page5, 'setReady', false);

    const shop = await (await customerBrowser.newContext()).newPage();
    await shop.goto(`${playgroundUrl}shop`);
    // With the chat window open, the call button sits above it, not over its controls.
    await shop.getByRole('button', { name: 'Chat with us' }).click();
    const box = async (name: string) => (await shop.getByRole('button', { name }).boundingBox())!;
    const [call, start] = [await box('Call us'), await box('Start chat')];
    const overlap = !(
      call.x + call.width <= start.x ||
      start.x + start.width <= call.x ||
      call.y + call.height <= start.y ||
      start.y + start.height <= call.y
    );
    expect(overlap).toBe(false);
    const win = (await shop.locator('.window').boundingBox())!;
    expect(call.y + call.height).toBeLessThanOrEqual(win.y);
    await shop.getByRole('button', { name: 'Close the chat window' }).click();
    await shop.locator('button', { hasText: 'Call us' }).click();
    await expect.poll(() => shop.locator('[data-parley-call]').getAttribute('data-parley-call')).toBe('queued');
    const started = Date.now();
    await panel4.locator('[data-testid=offer-accept]').click({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => shop.locator('[data-parley-call]').getAttribute('data-parley-call')).toBe('connected');
    // The click-to-call audio element lives in the widget's shadow root: listen through a page-level handle.
    const shopAudio = async (freq: number, yes: boolean) => {
      await shop.evaluate(() => {
        const host = document.querySelector('[data-parley-chat]');
        const audio = host?.shadowRoot?.querySelector('audio[data-parley=phone-audio]');
        if (audio && !document.getElementById('parley-probe')) {
          const probe = document.createElement('audio');
          probe.id = 'parley-probe';
          probe.muted = true;
          probe.srcObject = (audio as HTMLAudioElement).srcObject;
          document.body.append(probe);
        }
      });
      await hears(() => shop, '#parley-probe', freq, yes);
    };
    await shopAudio(AGENT_HZ, true);
    await hears(() => panelFrame(page4), PANEL_AUDIO, CUSTOMER_HZ, true);

    // Consult agent5 (ready now that the call is taken): the caller hears music, not the agents.
    await sdk(page5, 'setReady', true);
    await sdk(page4, 'consult', 'agent5');
    await shopAudio(AGENT_HZ, false);
    await panel5.locator('[data-testid=offer-accept]').click();
    await hears(() => panelFrame(page4), PANEL_AUDIO, CONSULTANT_HZ, true);
    await hears(() => panelFrame(page5), PANEL_AUDIO, AGENT_HZ, true);
    await shopAudio(CONSULTANT_HZ, false);

    // Cancel: back with the caller.
    await sdk(page4, 'cancelConsult');
    await shopAudio(AGENT_HZ, true);

    // Consult again, then join: caller and consultant hear each other, the first agent is gone.
    await sdk(page4, 'consult', 'agent5');
    await panel5.locator('[data-testid=offer-accept]').click();
    await hears(() => panelFrame(page5), PANEL_AUDIO, AGENT_HZ, true);
    await sdk(page4, 'joinCalls');
    await shopAudio(CONSULTANT_HZ, true);
    await hears(() => panelFrame(page5), PANEL_AUDIO, CUSTOMER_HZ, true);
    await shopAudio(AGENT_HZ, false);

    await panel5.locator('[data-testid=hangup]').click();
    await expect.poll(() => shop.locator('[data-parley-call]').getAttribute('data-parley-call')).toBe('ended');
    // Both finish the wrap-up of the Sales call: the consulted agent took the queue's contact over.
    await panel4.locator('[data-testid=wrapup-code]').selectOption('resolved');
    await panel4.locator('[data-testid=wrapup-done]').click();
    await panel5.locator('[data-testid=wrapup-code]').selectOption('resolved');
    await panel5.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => panel4.locator('[data-testid=work-status]').textContent()).toBe('Ready');
    await expect.poll(() => panel5.locator('[data-testid=work-status]').textContent()).toBe('Ready');
    await page5.context().close();
    await page4.context().close();
  }, 120_000);

  it("callOut rings the customer's phone with the queue number as caller id; an unknown number is unreachable", async () => {
    const admin = await login('admin');
    const agent = await login('agent4');
    const queueNumber = `+1555562${unique()}`;
    await journeyQueue(
      baseUrl,
      admin.token,
      { name: `Voice out ${queueNumber}`, type: 'phone', addresses: [queueNumber], wrapup_s: 0 },
      [agent.id],
    );
    const { page, panel } = await agentWithAudio(agentBrowser, 'agent4');
    await sdk(page, 'setReady', false);
    const number = `+4916${unique()}`;
    const phone = await phonePage(number);

    const refused = await page.evaluate(async () => {
      try {
        await (window as unknown as { parleyPanel: Sdk }).parleyPanel['callOut']?.('+4930000000001');
        return 'called';
      } catch (err) {
        return (err as { code?: string }).code;
      }
    });
    expect(refused).toBe('unreachable');

    await sdk(page, 'callOut', number, queueNumber);
    await expect.poll(() => phone.evaluate(() => document.body.dataset['call'])).toBe('ringing');
    await expect.poll(() => phone.locator('#status').textContent()).toContain(queueNumber);
    await phone.click('#answer');
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);
    await hears(() => panelFrame(page), PANEL_AUDIO, CUSTOMER_HZ, true);
    // Quality reaches the host as an event during the call.
    const quality = await page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const p = (window as unknown as { parleyPanel: { on(e: string, f: (v: unknown) => void): void } })
            .parleyPanel;
          p.on('interaction:quality', resolve);
        }),
    );
    expect(quality).toMatchObject({ packet_loss: expect.any(Number), packets_received: expect.any(Number) });
    await phone.click('#hangup');
    await expect.poll(() => panel.locator('[data-testid=conversation]').count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
