/**
 * Compact view and pop-out: embedded in a small box the panel shows its
 * compact list and offers the full panel in a window of its own. Both stay in
 * sync through the server: an offer accepted in the pop-out shows as accepted
 * in the embedded panel, which is the one that keeps telling the host.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { api as apiAt, login as loginAt } from './helpers.ts';

const baseUrl = inject('baseUrl');
const allowedHostUrl = inject('allowedHostUrl');
const password = inject('demoPassword');
const browser = useBrowser();
const SHOTS = path.resolve(import.meta.dirname, '../screenshots');
const api = (token: string, method: string, path: string, body?: unknown) => apiAt(baseUrl, token, method, path, body);
const login = (username: string) => loginAt(baseUrl, username, password);

describe('compact view and pop-out', () => {
  it('shows the compact list in a small frame, pops out the full panel, and both follow the same chat', async () => {
    const admin = await login('admin');
    const agent = await login('supervisor');
    const queue = await api(admin.token, 'POST', 'api/v1/queues', {
      name: `Pop-out chat ${Date.now()}`,
      type: 'chat',
      addresses: [`popout-${Date.now()}`],
      wrapup_s: 60,
    });
    await api(admin.token, 'PUT', `api/v1/queues/${String(queue['id'])}/members/${agent.id}`, {
      can_serve: true,
      proficiency: 3,
    });

    const context = await browser().newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(allowedHostUrl);
    await page.evaluate(() => {
      const div = document.createElement('div');
      div.id = 'panel';
      div.style.cssText = 'width:380px;height:360px';
      document.body.appendChild(div);
    });
    await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
    await page.evaluate(
      async ([base, pw]) => {
        type Loaded = { ready: Promise<unknown>; setReady(ready: boolean): Promise<unknown> };
        const w = window as unknown as {
          Parley: { load(o: unknown): Promise<Loaded> };
          statuses: string[];
          panel: Loaded;
        };
        w.statuses = [];
        const panel = await w.Parley.load({
          baseUrl: base,
          container: 'panel',
          auth: { basic: { userName: 'supervisor', password: pw } },
          onEvent: (name: string, arg: unknown) => {
            if (name === 'interaction:status') w.statuses.push((arg as { status: string }).status);
          },
        });
        w.panel = panel;
        await panel.ready;
        await panel.setReady(true);
      },
      [baseUrl, password],
    );
    const embedded = page.frameLocator('#panel iframe');
    await embedded.locator('[data-testid=compact]').waitFor();
    // For a person to look at, next to the full views of the accessibility journey.
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.locator('#panel iframe').screenshot({ path: path.join(SHOTS, 'compact.png') });
    await expect.poll(() => embedded.locator('[data-testid=work-status]').textContent()).toBe('Ready');

    const [popout] = await Promise.all([
      context.waitForEvent('page'),
      embedded.locator('[data-testid=popout]').click(),
    ]);
    await popout.waitForLoadState();
    // The full panel, logged in with the session the embedded one handed over, not in the URL.
    await expect.poll(() => popout.locator('[data-testid=agent-name]').textContent()).toBe('Sam Supervisor');
    expect(popout.url()).not.toContain('token');
    expect(await popout.locator('[data-testid=compact]').count()).toBe(0);
    await expect.poll(() => popout.locator('[data-testid=connection]').getAttribute('class')).toContain('conn-online');

    const chat = await api(admin.token, 'POST', 'api/v1/demo/contacts', {
      queue_id: queue['id'],
      from: 'popout@example.org',
    });
    await expect.poll(() => embedded.locator('[data-testid=offer]').count()).toBe(1);
    await expect.poll(() => popout.locator('[data-testid=offer]').count()).toBe(1);

    await popout.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => embedded.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('accepted');
    const statuses = () => page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    await expect.poll(statuses).toEqual(['incoming', 'accepted']);

    // Finished in the compact view: the pop-out follows.
    await embedded.locator('[data-testid=hangup]').click();
    await expect.poll(() => popout.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('wrap_up');
    await embedded.locator('[data-testid=wrapup-done]').click();
    await expect.poll(() => popout.locator('[data-testid=conversation]').count()).toBe(0);
    await expect.poll(statuses).toEqual(['incoming', 'accepted', 'ended', 'handled']);
    expect((await api(agent.token, 'GET', `api/v1/interactions/${String(chat['id'])}`))['state']).toBe('handled');

    await api(agent.token, 'PUT', 'api/v1/me/state', { ready: false });
    // Logging out of the embedded panel ends the pop-out's session too.
    await page.evaluate(() => (window as unknown as { panel: { logout(): Promise<unknown> } }).panel.logout());
    await popout.locator('input[name=password]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
