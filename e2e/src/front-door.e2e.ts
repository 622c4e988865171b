/**
 * What someone sees who opens the server's address: a front page (not a
 * JSON 404), a favicon on every page (no 404 in the network log), and a
 * Swagger UI at /docs that its own CSP does not break.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { audit } from './axe.ts';
import { useBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** Opens a page and records every failed request and console error while it loads. */
async function open(url: string): Promise<{ page: Page; failures: string[] }> {
  const page = await browser().newPage();
  const failures: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') failures.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, failures };
}

describe('the front door', () => {
  it('shows what this is and where to go, with a favicon and no failed request', async () => {
    const { page, failures } = await open(baseUrl);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Parley Demo');
    await page.getByRole('link', { name: 'Communication Panel' }).waitFor();
    // The browser asks for the icon on its own: give it the time to.
    await page.waitForTimeout(300);
    expect((await page.request.get(`${baseUrl}favicon.ico`)).status()).toBe(200);
    expect(failures).toEqual([]);
    expect(await audit(page.mainFrame())).toEqual([]);
    await page.close();
  });

  it('serves a working Swagger UI at /docs', async () => {
    const { page, failures } = await open(`${baseUrl}docs`);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 10_000 }).toBeGreaterThan(25);
    await expect.poll(() => page.locator('.info .title').textContent()).toContain('Parley API');
    expect(failures.filter((f) => !f.includes('favicon'))).toEqual([]);
    await page.close();
  });
});
