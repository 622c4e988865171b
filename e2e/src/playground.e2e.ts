/**
 * The newcomer's journey: the playground (its own origin) loads the panel,
 * the agent logs in, `init` reaches the host, `getDetails('user')` round-trips.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const password = inject('demoPassword');

const browser = useBrowser();

const events = (page: Page) =>
  page
    .locator('[data-testid=events] li')
    .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset['event']));

describe('playground', () => {
  it('loads the panel cross-origin, logs in, receives init and gets the user', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(playgroundUrl);
    expect(new URL(page.url()).origin).not.toBe(new URL(baseUrl).origin);

    await page.click('#load');
    const panel = page.frameLocator('[data-testid=panel-container] iframe');
    await panel.locator('input[name=username]').fill('agent1');
    await panel.locator('input[name=password]').fill(password);
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => events(page)).toContain('init');
    expect(await events(page)).toContain('onload');
    expect(await panel.locator('[data-testid=agent-name]').textContent()).toBe('Ada Agent');
    await expect.poll(() => panel.locator('[data-testid=connection]').getAttribute('class')).toContain('conn-online');

    await page.click('#get-user');
    await expect
      .poll(async () => JSON.parse((await page.textContent('[data-testid=result]')) ?? 'null')?.username)
      .toBe('agent1');
    const user = JSON.parse((await page.textContent('[data-testid=result]')) ?? 'null');
    expect(user).toMatchObject({ display_name: 'Ada Agent', work_status: 'not_ready', rights: ['agent'] });
    expect(user.id).toMatch(/^[0-9a-f]{32}$/);

    // The agent stays logged in across a reload of the host page (partitioned session cookie).
    await page.reload();
    await page.click('#load');
    await expect.poll(() => events(page)).toContain('init');
    expect(await panel.locator('input[name=password]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('logs in with credentials passed through load()', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(playgroundUrl);
    await page.click('summary');
    await page.fill('#username', 'agent2');
    await page.fill('#password', password);
    await page.click('#load');
    await expect.poll(() => events(page)).toContain('init');
    const panel = page.frameLocator('[data-testid=panel-container] iframe');
    expect(await panel.locator('[data-testid=agent-name]').textContent()).toBe('Ben Agent');
    // The playground forgets the password once it is handed over.
    expect(await page.inputValue('#password')).toBe('');
    await context.close();
  });

  it('shows a wrong password in the panel and sends no init', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(playgroundUrl);
    await page.click('#load');
    const panel = page.frameLocator('[data-testid=panel-container] iframe');
    await panel.locator('input[name=username]').fill('agent3');
    await panel.locator('input[name=password]').fill('wrong-password');
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => panel.locator('[role=alert]').textContent()).toBe('Invalid username or password.');
    expect(await events(page)).not.toContain('init');
    await page.click('#get-user');
    await expect.poll(() => page.textContent('[data-testid=result]')).toContain('ParleyError not_logged_in');
    await context.close();
  });

  it('logs out from the host: the panel shows the form and the host sees offline', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(playgroundUrl);
    await page.click('summary');
    await page.fill('#username', 'agent4');
    await page.fill('#password', password);
    await page.click('#load');
    await expect.poll(() => events(page)).toContain('init');
    await page.click('#logout');
    const panel = page.frameLocator('[data-testid=panel-container] iframe');
    await panel.locator('input[name=username]').waitFor();
    await expect
      .poll(() => page.locator('[data-testid=events] li').first().textContent())
      .toContain('agent:workStatus  "offline"');
    await context.close();
  });

  it('agent state from the host, a supervisor and the panel itself reaches the host once each, live', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(playgroundUrl);
    await page.click('summary');
    await page.fill('#username', 'agent5');
    await page.fill('#password', password);
    await page.click('#load');
    await expect.poll(() => events(page)).toContain('init');
    const workStatusEvents = () =>
      page
        .locator('[data-testid=events] li[data-event="agent:workStatus"]')
        .evaluateAll((items) => items.map((li) => li.textContent?.split('  ').at(-1)).reverse());

    // 1. From the host, through the SDK.
    await page.click('#set-ready');
    await expect.poll(workStatusEvents).toEqual(['"ready"']);
    await expect
      .poll(async () => (await page.textContent('[data-testid=result]')) ?? '')
      .toContain('"work_status": "ready"');

    // 2. From a supervisor, over REST, with no action on the host.
    const api = (path: string, init: RequestInit = {}, token?: string) =>
      fetch(new URL(path, baseUrl), {
        ...init,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
    const { token } = (await (
      await api('api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: 'supervisor', password }) })
    ).json()) as { token: string };
    const users = (await (await api('api/v1/users', {}, token)).json()) as Array<{ id: string; username: string }>;
    const agent5 = users.find((u) => u.username === 'agent5')!;
    const put = await api(
      `api/v1/agents/${agent5.id}/state`,
      { method: 'PUT', body: JSON.stringify({ ready: false, reason: 'meeting' }) },
      token,
    );
    expect(put.status).toBe(200);
    await expect.poll(workStatusEvents).toEqual(['"ready"', '"not_ready"']);

    // 3. From the panel's own controls.
    const panel = page.frameLocator('[data-testid=panel-container] iframe');
    await panel.locator('[data-testid=ready-toggle]').click();
    await expect.poll(workStatusEvents).toEqual(['"ready"', '"not_ready"', '"ready"']);
    expect(await panel.locator('[data-testid=ready-toggle]').getAttribute('aria-pressed')).toBe('true');

    // Queues and the RI through the panel: the host needs no CORS or cookies.
    await page.click('#get-queues');
    await expect
      .poll(async () => JSON.parse((await page.textContent('[data-testid=result]')) ?? 'null')?.length)
      .toBe(4);
    await page.click('#ri-queues');
    await expect
      .poll(async () => JSON.parse((await page.textContent('[data-testid=result]')) ?? 'null')?.status)
      .toBe(200);
    // Every queue of the tenant: the six demo queues (other journeys may have added their own).
    const names = (
      JSON.parse((await page.textContent('[data-testid=result]')) ?? 'null').body as Array<{ name: string }>
    ).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['Sales', 'Support', 'Web Chat', 'Email Support', 'SMS', 'WhatsApp']));
    await context.close();
  });

  it('works where the browser refuses the session cookie: the token carries REST and the WebSocket', async () => {
    const context = await browser().newContext();
    // Act like a browser that refuses even partitioned third-party cookies: the login's Set-Cookie never arrives.
    // (Only the login is routed: a document fulfilled by Playwright loses its loopback address space, and
    // Chromium's local-network-access checks would then block its WebSocket.)
    await context.route(`${baseUrl}api/v1/auth/login`, async (route) => {
      const response = await route.fetch();
      // route.fetch() files the cookie in the context's jar itself: take it out again before the page sees anything.
      await context.clearCookies();
      const headers = { ...response.headers() };
      delete headers['set-cookie'];
      await route.fulfill({ response, headers });
    });
    const page = await context.newPage();
    await page.goto(playgroundUrl);
    await page.click('#load');
    const panel = page.frameLocator('[data-testid=panel-container] iframe');
    await panel.locator('input[name=username]').fill('agent2');
    await panel.locator('input[name=password]').fill(password);
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => events(page)).toContain('init');
    await expect.poll(() => panel.locator('[data-testid=connection]').getAttribute('class')).toContain('conn-online');
    expect((await context.cookies(baseUrl)).filter((c) => c.name === 'parley_session')).toEqual([]);
    await page.click('#set-ready');
    await expect
      .poll(async () => (await page.textContent('[data-testid=result]')) ?? '')
      .toContain('"work_status": "ready"');
    // Refusing the cookie, this browser also refuses the frame's sessionStorage, so a reload of the host page
    // needs a new login (or credentials passed to load()); the token lives in the panel's memory meanwhile.
    await context.close();
  });

  it('runs the same flows through the CPC facade, showing its code, with a filterable event log', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(playgroundUrl);
    await page.check('input[name=api][value=cpc]');
    expect(await page.textContent('#load-code')).toContain('CPC.load({');
    expect(await page.textContent('#commands li:has(#get-user) code')).toBe("await CPC.getDetails('user')");
    await page.click('summary');
    await page.fill('#username', 'agent5');
    await page.fill('#password', password);
    await page.click('#load');
    // The facade's synthetic events, then the panel's own.
    await expect.poll(() => events(page)).toEqual(expect.arrayContaining(['cpc-onload', 'cpc-init']));
    await page.click('#get-user');
    await expect
      .poll(async () => JSON.parse((await page.textContent('[data-testid=result]')) ?? 'null')?.username)
      .toBe('agent5');
    // The init the code shows is called.
    await expect.poll(() => events(page)).toContain('CPC.init()');
    // Whatever state the agent had, a change reaches the host as a work-status event, with the reason kept.
    expect(await page.textContent('#commands li:has(#set-not-ready) code')).toBe(
      "await CPC.xdmSendAction({ command: 'ready', value: { ready: false, reason: 'break' } })",
    );
    await page.click('#set-not-ready');
    await expect.poll(() => page.textContent('[data-testid=events]')).toContain('"value":"not_ready"');
    const adminLogin = await fetch(new URL('api/v1/auth/login', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    const adminToken = ((await adminLogin.json()) as { token: string }).token;
    const auth = { headers: { authorization: `Bearer ${adminToken}` } };
    const reasons = (await (
      await fetch(new URL('api/v1/reason-codes?kind=not_ready', baseUrl), auth)
    ).json()) as Array<{
      id: string;
      code: string;
    }>;
    const agents = (await (await fetch(new URL('api/v1/agents', baseUrl), auth)).json()) as Array<{
      username: string;
      not_ready_reason: string | null;
    }>;
    expect(agents.find((a) => a.username === 'agent5')?.not_ready_reason).toBe(
      reasons.find((r) => r.code === 'break')?.id,
    );
    // The code shown is the code that runs: quotes in the inputs are escaped.
    await page.fill('#text', "It's \\ done");
    expect(await page.textContent('#commands li:has(#send-message) code')).toBe(
      "await CPC.message('It\\'s \\\\ done')",
    );
    await page.click('#get-queues');
    await expect
      .poll(async () => Array.isArray(JSON.parse((await page.textContent('[data-testid=result]')) ?? 'null')))
      .toBe(true);
    // A body being typed is not JSON yet: no exception in the page, and Send says what is wrong.
    await page.locator('#ri-body').pressSequentially('{"ready": ');
    await page.click('#ri-run');
    await expect.poll(() => page.textContent('[data-testid=result]')).toContain('The body is not valid JSON yet');
    await page.fill('#ri-body', '');
    // REST passthrough, with its code.
    await page.fill('#ri-resource', '/queues');
    await page.click('#ri-run');
    expect(await page.textContent('#ri-code')).toBe("await CPC.RI.request('rci', 'GET', '/queues')");
    await expect.poll(async () => (await page.textContent('[data-testid=result]')) ?? '').toContain('"status": 200');
    // The event filter hides what does not match.
    await page.fill('#event-filter', 'cpc-init');
    await expect
      .poll(() =>
        page.locator('[data-testid=events] li:visible').evaluateAll((l) => l.map((li) => li.dataset['event'])),
      )
      .toEqual(['cpc-init']);
    await page.click('#unload');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('never logged the demo password', () => {
    const log = fs.readFileSync(inject('serverLogFile'), 'utf8');
    expect(log).toContain('login');
    expect(log).not.toContain(password);
    expect(log).not.toContain(Buffer.from(`agent1:${password}`).toString('base64'));
  });
});
