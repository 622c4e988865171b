/**
 * A supervisor on an agent's call, from the console, with real audio: each
 * party is its own Chromium whose fake microphone plays a tone (agent
 * 1000 Hz, caller 2200 Hz, supervisor 2800 Hz). Listening, nobody hears the
 * supervisor; whispering, the agent does and the caller does not; barging,
 * both do; taking over, the caller talks with the supervisor and the agent
 * wraps up. Measured on what each page plays, as the voice journeys do.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { audit } from './axe.ts';
import { AGENT_HZ, CUSTOMER_HZ, hears, launchWithTone, PHONE_AUDIO, phonePage } from './audio.ts';
import { api as apiAt, journeyQueue, login as loginAt, panelFrame, readyAgentInPlayground } from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const password = inject('demoPassword');
const login = (username: string) => loginAt(baseUrl, username, password);
const api = (token: string, method: string, p: string, body?: unknown) => apiAt(baseUrl, token, method, p, body);
const SUPERVISOR_HZ = 2800;
const CALL_AUDIO = 'audio[data-parley=call-audio]';

let agentBrowser: Browser;
let customerBrowser: Browser;
let supervisorBrowser: Browser;
beforeAll(async () => {
  [agentBrowser, customerBrowser, supervisorBrowser] = await Promise.all([
    launchWithTone(AGENT_HZ),
    launchWithTone(CUSTOMER_HZ),
    launchWithTone(SUPERVISOR_HZ),
  ]);
});
afterAll(async () => {
  await Promise.all([agentBrowser, customerBrowser, supervisorBrowser].map((b) => b?.close()));
  const { token } = await login('agent4');
  await api(token, 'PUT', 'api/v1/me/state', { ready: false }).catch(() => undefined);
});

async function console_(): Promise<Page> {
  const page = await (await supervisorBrowser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${baseUrl}console/#/agents`);
  await page.fill('input[name=username]', 'supervisor');
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await expect.poll(() => page.locator('.link').getAttribute('class'), { timeout: 15_000 }).toContain('live');
  return page;
}

describe('a supervisor on a call', () => {
  it('listens, whispers, barges in and takes the call over, heard as each should be', async () => {
    const admin = await login('admin');
    const agent = await login('agent4');
    const number = `+1555562${String(Date.now()).slice(-4)}`;
    await journeyQueue(
      baseUrl,
      admin.token,
      { name: `Supervised ${number}`, type: 'phone', addresses: [number], wrapup_s: 30 },
      [agent.id],
    );
    const a = await readyAgentInPlayground(agentBrowser, playgroundUrl, 'agent4', password);
    await expect.poll(() => a.panel.locator('[data-testid=audio]').getAttribute('class')).toContain('audio-connected');
    const agentFrame = () => panelFrame(a.page);
    const phone = await phonePage(customerBrowser, baseUrl, `+4917${String(Date.now()).slice(-7)}`);
    await phone.fill('#to', number);
    await phone.click('#dial button');
    await a.panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => phone.evaluate(() => document.body.dataset['progress'])).toBe('connected');
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);

    // This tenant lets agents know when a supervisor is on their call (off by default).
    const tenant = (await api(admin.token, 'GET', 'api/v1/tenant')) as { settings: Record<string, unknown> };
    await api(admin.token, 'PATCH', 'api/v1/tenant', { settings: { ...tenant.settings, monitoring_notice: true } });
    onTestFinished(() =>
      api(admin.token, 'PATCH', 'api/v1/tenant', { settings: tenant.settings }).then(() => undefined),
    );
    const sup = await console_();
    const row = sup.locator('tr[data-agent=agent4]');
    const controls = row.getByRole('group', { name: 'Call controls for Dev Agent' });
    await expect.poll(() => controls.count(), { timeout: 10_000 }).toBe(1);

    // Listening: the supervisor hears both; nobody hears the supervisor.
    await controls.getByRole('button', { name: 'Listen' }).click();
    await expect.poll(() => row.locator('[data-testid=my-mode]').textContent()).toBe('You are listening');
    await hears(() => sup, CALL_AUDIO, AGENT_HZ, true);
    await hears(() => sup, CALL_AUDIO, CUSTOMER_HZ, true);
    await hears(() => phone, PHONE_AUDIO, SUPERVISOR_HZ, false);
    await hears(agentFrame, CALL_AUDIO, SUPERVISOR_HZ, false);
    await expect
      .poll(() => a.panel.locator('[data-testid=notice]').textContent())
      .toContain('Sam Supervisor is listening to your call');
    expect(await audit(sup.mainFrame()), 'console on a call').toEqual([]);
    await sup.screenshot({ path: `${import.meta.dirname}/../screenshots/console-listening.png` });

    // Whispering: the agent hears the supervisor, the caller does not.
    await controls.getByRole('button', { name: 'Whisper' }).click();
    await expect.poll(() => row.locator('[data-testid=my-mode]').textContent()).toBe('You whisper to Dev Agent');
    await hears(agentFrame, CALL_AUDIO, SUPERVISOR_HZ, true);
    await hears(() => phone, PHONE_AUDIO, SUPERVISOR_HZ, false);
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);

    // Barging in: all three hear each other.
    await controls.getByRole('button', { name: 'Barge in' }).click();
    await expect.poll(() => row.locator('[data-testid=my-mode]').textContent()).toBe('You are in the call');
    await hears(() => phone, PHONE_AUDIO, SUPERVISOR_HZ, true);
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, true);
    await hears(agentFrame, CALL_AUDIO, SUPERVISOR_HZ, true);
    await hears(() => sup, CALL_AUDIO, CUSTOMER_HZ, true);

    // Taking over: the caller talks with the supervisor; the agent is out of the call, wrapping up.
    await controls.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => sup.locator('#my-call-title').textContent()).toBe('Your call');
    await hears(() => phone, PHONE_AUDIO, SUPERVISOR_HZ, true);
    await hears(() => phone, PHONE_AUDIO, AGENT_HZ, false);
    await hears(() => sup, CALL_AUDIO, CUSTOMER_HZ, true);
    await expect.poll(() => a.panel.locator('[data-testid=work-status]').textContent()).toBe('Wrap-up');
    await sup.screenshot({ path: `${import.meta.dirname}/../screenshots/console-took-over.png` });

    await sup.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => phone.locator('#status').textContent()).toContain('Call ended');
    await expect.poll(() => sup.locator('.toast').textContent()).toContain('has ended');
    expect(await sup.locator('#my-call-title').count()).toBe(0);
    await a.panel.locator('[data-testid=wrapup-done]').click();
    await a.context.close();
  }, 150_000);
});
