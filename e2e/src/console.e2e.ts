/**
 * The console in Chromium, as a supervisor uses it: sign in, watch a queue
 * fill and drain while `parley simulate` sends chats, force an agent not
 * ready (their panel and host are told who and why), ready again, and sign
 * them out; an agent is turned away. axe on every view, light and dark,
 * with screenshots.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { audit } from './axe.ts';
import { useBrowser } from './browser.ts';
import { api as apiAt, journeyQueue, loggedEvents, login as loginAt, readyAgentInPlayground } from './helpers.ts';

const baseUrl = inject('baseUrl');
const playgroundUrl = inject('playgroundUrl');
const password = inject('demoPassword');
const login = (username: string) => loginAt(baseUrl, username, password);
const api = (token: string, method: string, p: string, body?: unknown) => apiAt(baseUrl, token, method, p, body);
const browser = useBrowser();
const shots = path.resolve(import.meta.dirname, '../screenshots');

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Signs in to the console in a fresh context; resolves once the socket is live. */
async function openConsole(username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser().newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}console/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  return { context, page };
}

const live = (page: Page) => expect.poll(() => page.locator('.link').getAttribute('class'), { timeout: 15_000 });

/** axe on the page in light and dark (the header's theme button), a screenshot of each. */
async function auditThemes(page: Page, name: string): Promise<void> {
  expect(await audit(page.mainFrame()), `${name}, light`).toEqual([]);
  await shot(page, `${name}-light`);
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
  expect(await audit(page.mainFrame()), `${name}, dark`).toEqual([]);
  await shot(page, `${name}-dark`);
  await page.getByRole('button', { name: 'Light theme' }).click();
}

/** A tile's number, as shown. */
const metric = (page: Page, queue: string, label: string) =>
  page
    .locator(`[data-queue="${queue}"] .metric`)
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd')
    .textContent();

/** Runs `parley simulate` as an operator would, with the admin password on stdin; resolves with its summary. */
function simulate(
  scenario: object,
): Promise<{ handled: number; abandoned: number; errors: number; unfinished: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sim-'));
  const file = path.join(dir, 'scenario.json');
  fs.writeFileSync(file, JSON.stringify(scenario));
  const root = path.resolve(import.meta.dirname, '../..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['packages/server/bin/parley.mjs', 'simulate', file, '--url', baseUrl], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(`${password}\n`);
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`simulate exited ${code}: ${err}\n${out}`));
      }
    });
  });
}

describe('the console', () => {
  it('shows a supervisor a queue fill and drain under parley simulate, with today’s numbers', async () => {
    const admin = await login('admin');
    const ada = await login('agent1');
    // agent1 (Frontline, supervised by Sam) serves the queue but is not signed in: the bots do the work.
    const watchId = await journeyQueue(
      baseUrl,
      admin.token,
      { name: 'Console Watch', type: 'chat', addresses: ['console-watch'], wrapup_s: 5 },
      [ada.id],
    );
    onTestFinished(() =>
      api(admin.token, 'DELETE', `api/v1/queues/${watchId}/members/${ada.id}`).then(() => undefined),
    );
    const { context, page } = await openConsole('supervisor');
    await live(page).toContain('live');
    await expect.poll(() => metric(page, 'Console Watch', 'Waiting')).toBe('0');
    await auditThemes(page, 'console-wallboard-empty');

    const run = simulate({
      name: 'console-watch',
      duration_s: 6,
      drain_s: 60,
      agents: {
        count: 2,
        queues: ['Console Watch'],
        accept_after_s: [2, 4],
        reply_after_s: [0.5, 1],
        replies: [1, 1],
        wrapup_s: [0.5, 1],
        wrapup_code: 'resolved',
        hold_ratio: 0,
        hold_s: [1, 1],
        transfer_ratio: 0,
      },
      customers: { chat: { per_second: 1.5, messages: [1, 1], think_s: [1, 2], patience_s: 120 } },
    });
    // The line builds while the bots take their time to accept…
    await expect
      .poll(async () => Number(await metric(page, 'Console Watch', 'Waiting')), { timeout: 20_000 })
      .toBeGreaterThan(1);
    await shot(page, 'console-wallboard-filling');
    const summary = await run;
    expect(summary).toMatchObject({ errors: 0, unfinished: 0 });
    expect(summary.handled).toBeGreaterThan(3);
    // …and drains: nobody waits, and every handled chat was offered and answered today.
    await expect.poll(() => metric(page, 'Console Watch', 'Waiting'), { timeout: 15_000 }).toBe('0');
    await expect
      .poll(() => metric(page, 'Console Watch', 'Answered'), { timeout: 15_000 })
      .toBe(String(summary.handled + summary.abandoned > 0 ? summary.handled : 0));
    expect(Number(await metric(page, 'Console Watch', 'Offered'))).toBe(summary.handled + summary.abandoned);
    expect(await metric(page, 'Console Watch', 'ASA')).toMatch(/^\d+ s$/);
    await shot(page, 'console-wallboard-drained');
    await context.close();
  }, 150_000);

  it('forces an agent not ready with a reason, ready again, and signs them out: their panel and host are told who did it', async () => {
    const a = await readyAgentInPlayground(browser(), playgroundUrl, 'agent1', password);
    const { context, page } = await openConsole('supervisor');
    await live(page).toContain('live');
    await page.getByRole('link', { name: 'Agents' }).click();
    const row = page.locator('tr[data-agent=agent1]');
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Ready');
    await auditThemes(page, 'console-agents');

    await row.getByRole('button', { name: 'Make not ready…: Ada Agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Make Ada Agent not ready' });
    await dialog.getByLabel('Reason').selectOption('lunch');
    expect(await audit(page.mainFrame()), 'not-ready dialog').toEqual([]);
    await shot(page, 'console-not-ready-dialog');
    await dialog.getByRole('button', { name: 'Make not ready' }).click();
    await expect.poll(() => page.locator('.toast').textContent()).toContain('Ada Agent is not ready: Lunch.');
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Not ready');
    expect(await row.locator('.reason').textContent()).toBe('Lunch');
    expect(await row.locator('.by').textContent()).toBe('set by Sam Supervisor');
    // The agent's panel says who and why; the host page hears it with the supervisor's name.
    await expect.poll(() => a.panel.locator('[data-testid=work-status]').textContent()).toBe('Not ready');
    await expect
      .poll(() => a.panel.locator('[data-testid=notice]').textContent())
      .toContain('Sam Supervisor set you Not ready: Lunch.');
    await expect
      .poll(() => loggedEvents(a.page, 'agent:state'))
      .toContainEqual(expect.stringMatching(/"reason":\{"code":"lunch".*"name":"Sam Supervisor"/));

    await row.getByRole('button', { name: 'Make ready: Ada Agent' }).click();
    await expect.poll(() => a.panel.locator('[data-testid=work-status]').textContent()).toBe('Ready');
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Ready');

    await row.getByRole('button', { name: 'Sign out…: Ada Agent' }).click();
    await page.getByRole('dialog', { name: 'Sign Ada Agent out?' }).getByRole('button', { name: 'Sign out' }).click();
    await expect
      .poll(() => a.panel.locator('form.login [data-testid=notice]').textContent())
      .toContain('Sam Supervisor signed you out.');
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Offline');

    // In German, the same view.
    await page.getByLabel('Language').selectOption('de');
    await expect.poll(() => page.locator('h2#grid-title').textContent()).toBe('Agenten');
    expect(await audit(page.mainFrame()), 'agents, German').toEqual([]);
    await shot(page, 'console-agents-de');
    await context.close();
    await a.context.close();
  }, 90_000);

  it('lists who waits, and moves a contact up the line and to another queue', async () => {
    const admin = await login('admin');
    const ada = await login('agent1');
    const lineA = await journeyQueue(baseUrl, admin.token, { name: 'Console Line A', type: 'chat', addresses: [] }, [
      ada.id,
    ]);
    const lineB = await journeyQueue(baseUrl, admin.token, { name: 'Console Line B', type: 'chat', addresses: [] }, [
      ada.id,
    ]);
    const supervisor = await login('supervisor');
    const contacts: string[] = [];
    for (const from of ['Wanda Waiting', 'Walt Waiting'])
      contacts.push(
        String((await api(supervisor.token, 'POST', 'api/v1/demo/contacts', { queue_id: lineA, from }))['id']),
      );
    // Whatever happens, the customers leave and agent1 serves these queues no more: later journeys offer agent1 nothing of them.
    onTestFinished(async () => {
      for (const id of contacts)
        await api(supervisor.token, 'POST', `api/v1/demo/interactions/${id}/remote`, { event: 'hangup' }).catch(
          () => undefined,
        );
      for (const q of [lineA, lineB])
        await api(admin.token, 'DELETE', `api/v1/queues/${q}/members/${ada.id}`).catch(() => undefined);
    });
    const { context, page } = await openConsole('supervisor');
    await live(page).toContain('live');
    await page.getByRole('link', { name: /^Waiting/ }).click();
    const rows = page.locator('tr[data-contact]');
    await expect
      .poll(() => rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-contact'))))
      .toEqual(['Wanda Waiting', 'Walt Waiting']);
    await auditThemes(page, 'console-waiting');

    await page.getByRole('button', { name: 'Raise priority: Walt Waiting' }).click();
    await expect.poll(() => page.locator('.toast').textContent()).toContain('Walt Waiting moved up the line.');
    await expect.poll(() => rows.first().getAttribute('data-contact')).toBe('Walt Waiting');

    await page.getByRole('button', { name: 'Move…: Wanda Waiting' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move Wanda Waiting to another queue' });
    await dialog.getByLabel('Queue').selectOption({ label: 'Console Line B' });
    await dialog.getByRole('button', { name: 'Move' }).click();
    await expect
      .poll(() => page.locator('.toast').textContent())
      .toContain('Wanda Waiting now waits in Console Line B.');
    await expect
      .poll(() => page.locator('tr[data-contact="Wanda Waiting"] td').first().textContent())
      .toBe('Console Line B');
    await shot(page, 'console-waiting-moved');
    await context.close();
  }, 60_000);

  it('turns an agent away and sends them to the panel', async () => {
    const { context, page } = await openConsole('agent2');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The console is for supervisors and admins. Agents work in the panel.');
    expect(await page.getByRole('link', { name: 'Open the agent panel' }).getAttribute('href')).toBe(
      `${baseUrl}panel/embedded`,
    );
    expect(await audit(page.mainFrame()), 'turned away').toEqual([]);
    // The page cannot be framed by anyone.
    const res = await fetch(`${baseUrl}console/`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await context.close();
  });
});
