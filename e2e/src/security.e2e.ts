/**
 * The security edges in a real browser: CSP frame-ancestors, the panel's
 * origin allowlist, the SDK's source/origin checks, and the one-script SDK.
 */
import type { Frame, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const allowedHostUrl = inject('allowedHostUrl');
const foreignUrl = inject('foreignUrl');
const password = inject('demoPassword');

const browser = useBrowser();

/** Adds an iframe to the page and waits for it to load; returns its Frame. */
async function addFrame(page: Page, src: string, name: string): Promise<Frame> {
  await page.evaluate(
    ([url, frameName]) =>
      new Promise<void>((resolve) => {
        const iframe = document.createElement('iframe');
        iframe.name = frameName!;
        iframe.src = url!;
        iframe.style.cssText = 'width:600px;height:500px';
        iframe.addEventListener('load', () => resolve());
        document.body.appendChild(iframe);
      }),
    [src, name],
  );
  // Found through its element: a frame whose navigation CSP blocked may lose its name.
  const frame = await (await page.$(`iframe[name="${name}"]`))?.contentFrame();
  if (!frame) throw new Error(`frame ${name} missing`);
  return frame;
}

describe('framing', () => {
  it('a page on a non-allowlisted origin cannot frame the panel (CSP frame-ancestors)', async () => {
    const page = await browser().newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors/.test(m.text())) blocked.push(m.text());
    });
    await page.goto(foreignUrl);
    const frame = await addFrame(page, `${baseUrl}panel/embedded`, 'panel');
    await expect.poll(() => blocked.length).toBeGreaterThan(0);
    expect(frame.url()).not.toContain('/panel/embedded');
    expect(await frame.locator('#app').count()).toBe(0);
    await page.close();
  });

  it('the same page on an allowlisted origin may frame it (control)', async () => {
    const page = await browser().newPage();
    await page.goto(allowedHostUrl);
    const frame = await addFrame(page, `${baseUrl}panel/embedded`, 'panel');
    await frame.locator('input[name=username]').waitFor();
    await page.close();
  });
});

describe('panel message origin checks', () => {
  it('ignores init and actions from a foreign origin, answers the real host', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(allowedHostUrl);
    await page.evaluate(() => {
      const w = window as unknown as { received: unknown[] };
      w.received = [];
      window.addEventListener('message', (event) => w.received.push({ origin: event.origin, data: event.data }));
    });
    const panel = await addFrame(page, `${baseUrl}panel/embedded`, 'panel');
    await panel.fill('input[name=username]', 'agent5');
    await panel.fill('input[name=password]', password);
    await panel.click('button[type=submit]');
    await panel.locator('[data-testid=agent-name]').waitFor();

    // A foreign frame on the same page talks to the panel directly.
    const foreign = await addFrame(page, foreignUrl, 'foreign');
    await foreign.evaluate(() => {
      const target = window.top!.frames[0]!;
      target.postMessage({ id: 'initRequest', type: 'init', payload: false }, '*');
      target.postMessage({ id: 'steal-1', type: 'action', payload: { command: 'detail', value: 'user' } }, '*');
    });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([]);

    // The allowlisted host itself is answered at once.
    await page.evaluate((origin) => {
      const target = window.frames[0]!;
      target.postMessage({ id: 'initRequest', type: 'init', payload: false }, origin);
      target.postMessage({ id: 'mine-1', type: 'action', payload: { command: 'detail', value: 'user' } }, origin);
    }, new URL(baseUrl).origin);
    await expect
      .poll(() =>
        page.evaluate(() =>
          (window as unknown as { received: Array<{ data: { id?: string } }> }).received.map((m) => m.data.id),
        ),
      )
      .toEqual(['initRequest', 'mine-1']);
    const answer = await page.evaluate(
      () =>
        (
          window as unknown as {
            received: Array<{ origin: string; data: { payload: { value: { username: string } } } }>;
          }
        ).received[1],
    );
    expect(answer?.origin).toBe(new URL(baseUrl).origin);
    expect(answer?.data.payload.value.username).toBe('agent5');
    await context.close();
  });
});

describe('the one-script SDK', () => {
  it('CPC facade from {base}sdk/parley.js loads, authenticates and answers getDetails', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(allowedHostUrl);
    await page.evaluate(() => {
      const div = document.createElement('div');
      div.id = 'cpc';
      div.style.cssText = 'width:520px;height:600px';
      document.body.appendChild(div);
    });
    await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
    const result = await page.evaluate(
      async ([tenantBaseUrl, pw]) => {
        type Cpc = {
          load(c: unknown): Promise<boolean>;
          init(): Promise<boolean>;
          getDetails(s: string): Promise<unknown>;
          isInitialized: boolean;
          currentUser: { username: string } | null;
          getTenantBaseUrl(): string | null;
        };
        const w = window as unknown as { CPC: Cpc; CommunicationPanelControl: Cpc; seen: string[] };
        w.seen = [];
        const loaded = await w.CPC.load({
          tenantBaseUrl,
          parentElement: 'cpc',
          authentication: { basic: { userName: 'agent1', password: pw } },
          eventHandler: (e: { type: string }) => w.seen.push(e.type),
        });
        const initialized = await w.CPC.init();
        const user = (await w.CPC.getDetails('user')) as { username: string };
        const bad = await w.CPC.getDetails('no-such-subject');
        return {
          same: w.CPC === w.CommunicationPanelControl,
          loaded,
          initialized,
          isInitialized: w.CPC.isInitialized,
          username: user.username,
          bad,
          base: w.CPC.getTenantBaseUrl(),
          seen: w.seen,
        };
      },
      [baseUrl, password],
    );
    expect(result).toMatchObject({
      same: true,
      loaded: true,
      initialized: true,
      isInitialized: true,
      username: 'agent1',
      bad: false,
      base: baseUrl,
    });
    expect(result.seen).toEqual(expect.arrayContaining(['cpc-onload', 'init', 'cpc-init']));
    await expect
      .poll(() =>
        page.evaluate(
          () => (window as unknown as { CPC: { currentUser: { username: string } | null } }).CPC.currentUser?.username,
        ),
      )
      .toBe('agent1');

    // Fake panel events from the host's own window or a foreign frame never reach the handler.
    await page.evaluate(() => {
      const w = window as unknown as { CPC: { hostAppEventHandler: (e: unknown) => void }; fakes: unknown[] };
      w.fakes = [];
      const original = w.CPC.hostAppEventHandler;
      w.CPC.hostAppEventHandler = (e: unknown) => {
        if (JSON.stringify(e).includes('"busy"')) w.fakes.push(e);
        original(e);
      };
      window.postMessage({ type: 'status', payload: { attribute: 'work_status', value: 'busy' } }, '*');
    });
    const foreign = await addFrame(page, foreignUrl, 'foreign');
    await foreign.evaluate(() =>
      window.parent.postMessage({ type: 'status', payload: { attribute: 'work_status', value: 'busy' } }, '*'),
    );
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { fakes: unknown[] }).fakes)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Parley.load on a page the tenant does not allow rejects at once with origin_not_allowed; CPC.load warns once', async () => {
    const page = await browser().newPage();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(foreignUrl);
    await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
    const outcome = await page.evaluate(async (base) => {
      const P = (window as unknown as { Parley: { load(o: unknown): Promise<unknown> } }).Parley;
      try {
        await P.load({ baseUrl: base, container: document.body });
        return { code: 'loaded', message: '' };
      } catch (err) {
        const e = err as { code: string; message: string };
        return { code: e.code, message: e.message };
      }
    }, baseUrl);
    expect(outcome.code).toBe('origin_not_allowed');
    expect(outcome.message).toContain(`${new URL(foreignUrl).origin} may not embed the panel`);
    expect(outcome.message).toContain('PARLEY_ALLOWED_ORIGINS');
    // Known before framing (a CORS-readable check), not by waiting on a timeout: no iframe was added.
    expect(await page.locator('iframe').count()).toBe(0);
    // The CPC facade keeps CPC.js's result and says why, once, in the console.
    const cpc = await page.evaluate(
      (base) =>
        (window as unknown as { CPC: { load(o: unknown): Promise<boolean> } }).CPC.load({
          tenantBaseUrl: base,
          parentElement: document.body,
        }),
      baseUrl,
    );
    expect(cpc).toBe(true);
    expect(warnings.filter((w) => w.includes('may not embed the panel'))).toHaveLength(1);
    await page.close();
  });

  it('Parley.load rejects a javascript: base URL with invalid_argument and adds no iframe', async () => {
    const page = await browser().newPage();
    await page.goto(allowedHostUrl);
    await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
    const outcome = await page.evaluate(async () => {
      const P = (window as unknown as { Parley: { load(o: unknown): Promise<unknown> } }).Parley;
      try {
        await P.load({ baseUrl: 'javascript:alert(1)//', container: document.body });
        return 'loaded';
      } catch (err) {
        return (err as { code: string }).code;
      }
    });
    expect(outcome).toBe('invalid_argument');
    expect(await page.locator('iframe').count()).toBe(0);
    await page.close();
  });
});

describe('the <parley-panel> element', () => {
  it('loads the panel where it is placed, re-dispatches events as DOM events, and unloads when removed', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(allowedHostUrl);
    await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
    const result = await page.evaluate(
      async ([base, pw]) => {
        type El = HTMLElement & {
          panel: { authenticate(c: unknown): Promise<unknown>; getDetails(s: string): Promise<{ username: string }> };
        };
        const seen: string[] = [];
        const el = document.createElement('parley-panel') as El;
        el.setAttribute('base-url', base ?? '');
        el.setAttribute('min-width', '300');
        el.style.cssText = 'display:block;width:520px;height:600px';
        const loaded = new Promise((r) => el.addEventListener('parley:loaded', r, { once: true }));
        // Events bubble: the page can listen anywhere above the element.
        const ready = new Promise<{ username: string }>((r) =>
          document.body.addEventListener('parley:ready', (e) => r((e as CustomEvent).detail), { once: true }),
        );
        document.body.addEventListener('parley:agent:workStatus', (e) => seen.push(String((e as CustomEvent).detail)));
        document.body.appendChild(el);
        await loaded;
        await el.panel.authenticate({ basic: { userName: 'agent2', password: pw } });
        const user = await ready;
        const details = await el.panel.getDetails('user');
        const framed = el.querySelector('iframe')?.src ?? '';
        el.remove();
        return {
          user: user.username,
          details: details.username,
          framed: framed.includes('minWidth=300'),
          gone: document.querySelector('parley-panel iframe') === null,
          defined: customElements.get('parley-panel') !== undefined,
        };
      },
      [baseUrl, password],
    );
    expect(result).toEqual({ user: 'agent2', details: 'agent2', framed: true, gone: true, defined: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
