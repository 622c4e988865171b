/**
 * What the journeys share: REST calls as a user, and the playground with an
 * agent logged in and ready.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { audit } from './axe.ts';

/** A REST call to `base` as the holder of `token`; throws with the answer on a non-2xx. */
export async function api(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Logs in over REST: the session token and the user's id. */
export async function login(base: string, username: string, password: string): Promise<{ token: string; id: string }> {
  const res = await fetch(new URL('api/v1/auth/login', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { token: body.token, id: body.user.id };
}

/** A queue of its own for a journey, with the given agents as serving members. */
export async function journeyQueue(
  base: string,
  adminToken: string,
  queue: { name: string; type: string; addresses: string[]; wrapup_s?: number; offer_timeout_s?: number },
  memberIds: readonly string[],
): Promise<string> {
  const created = await api(base, adminToken, 'POST', 'api/v1/queues', queue);
  const id = String(created['id']);
  for (const member of memberIds)
    await api(base, adminToken, 'PUT', `api/v1/queues/${id}/members/${member}`, { can_serve: true, proficiency: 3 });
  return id;
}

/** Loads the panel in the playground page with the agent's credentials, and waits until it is connected. */
export async function loadPanel(
  page: Page,
  playgroundUrl: string,
  username: string,
  password: string,
): Promise<FrameLocator> {
  await page.goto(playgroundUrl);
  await page.click('summary');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#load');
  const panel = page.frameLocator('[data-testid=panel-container] iframe');
  await expect.poll(() => panel.locator('[data-testid=connection]').getAttribute('class')).toContain('conn-online');
  return panel;
}

/** The playground in a fresh context, the panel loaded with the agent's credentials, connected and ready. */
export async function readyAgentInPlayground(
  browser: Browser,
  playgroundUrl: string,
  username: string,
  password: string,
): Promise<{ context: BrowserContext; page: Page; panel: FrameLocator }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const panel = await loadPanel(page, playgroundUrl, username, password);
  await page.click('#set-ready');
  await expect.poll(() => panel.locator('[data-testid=work-status]').textContent()).toBe('Ready');
  return { context, page, panel };
}

/** What the playground logged of one SDK event, as text, oldest first. */
export const loggedEvents = (page: Page, event: string): Promise<string[]> =>
  page
    .locator(`[data-testid=events] li[data-event="${event}"]`)
    .evaluateAll((items) => items.map((li) => li.textContent ?? '').reverse());

/** The `interaction:status` values the playground logged, oldest first. */
export const loggedStatuses = async (page: Page): Promise<string[]> =>
  (await loggedEvents(page, 'interaction:status')).map((text) => /"status":"(\w+)"/.exec(text)?.[1] ?? '');

/** A screenshot of the panel on a playground page, in `e2e/screenshots/`, for a person to look at. */
export async function panelShot(page: Page, name: string): Promise<void> {
  const dir = path.resolve(import.meta.dirname, '../screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.locator('[data-testid=panel-container] iframe').screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Puts the chat widget on a customer's page the way a business would: one script tag. */
export async function addWidget(page: Page, base: string, address: string): Promise<void> {
  await page.evaluate(
    ([src, addr]) =>
      new Promise<void>((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src ?? '';
        script.dataset['address'] = addr ?? '';
        script.onload = () => resolve();
        script.onerror = () => reject(new Error('widget did not load'));
        document.head.append(script);
      }),
    [`${base}widget.js`, address],
  );
}

/** Opens the panel's settings menu (theme, language, sign out) unless it is open already. */
export async function openMenu(panel: FrameLocator): Promise<void> {
  if (!(await panel.locator('[data-testid=theme-toggle]').isVisible()))
    await panel.locator('[data-testid=menu]').click();
}

/** The panel's frame in a playground page. */
export function panelFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/panel/'));
  if (!frame) throw new Error('no panel frame');
  return frame;
}

/** axe on the panel of a playground page, light and dark, with a screenshot of each. */
export async function auditBothThemes(page: Page, panel: FrameLocator, name: string): Promise<void> {
  const frame = panelFrame(page);
  expect(await audit(frame), `${name}, light`).toEqual([]);
  await panelShot(page, `${name}-light`);
  await openMenu(panel);
  await panel.locator('[data-testid=theme-toggle]').click();
  await expect.poll(() => frame.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
  await panel.locator('[data-testid=menu]').click();
  expect(await audit(frame), `${name}, dark`).toEqual([]);
  await panelShot(page, `${name}-dark`);
  await openMenu(panel);
  await panel.locator('[data-testid=theme-toggle]').click();
  await expect.poll(() => frame.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
  await panel.locator('[data-testid=menu]').click();
}
