/**
 * 10,000 random and malformed postMessages from a foreign origin: at the
 * panel (through the host page's frame tree) and at the host SDK (as if from
 * the panel). Neither takes any action nor throws: the agent stays as they
 * were, the host hears no event, and no page or frame logs an error.
 */
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { api, login } from './helpers.ts';

const baseUrl = inject('baseUrl');
const allowedHostUrl = inject('allowedHostUrl');
const foreignUrl = inject('foreignUrl');
const password = inject('demoPassword');
const browser = useBrowser();

describe('postMessage fuzz', () => {
  it('10,000 hostile messages at the panel and the SDK change nothing and throw nothing', async () => {
    const agent = await login(baseUrl, 'agent4', password);
    await api(baseUrl, agent.token, 'PUT', 'api/v1/me/state', { ready: false });
    const context = await browser().newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Script errors only: the panel's first session check answers 401 before the login, which the browser logs.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    await page.goto(allowedHostUrl);
    await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
    await page.evaluate(
      async ([base, pw]) => {
        const div = document.createElement('div');
        div.id = 'c';
        div.style.cssText = 'width:520px;height:600px';
        document.body.appendChild(div);
        type P = { ready: Promise<unknown>; onAny(f: (n: string, ...args: unknown[]) => void): void };
        const w = window as unknown as { Parley: { load(o: unknown): Promise<P> }; seen: string[] };
        const panel = await w.Parley.load({
          baseUrl: base,
          container: 'c',
          auth: { basic: { userName: 'agent4', password: pw } },
        });
        await panel.ready;
        // Let the panel's own start-up news (connection online, …) pass before listening.
        await new Promise((r) => setTimeout(r, 1500));
        w.seen = [];
        panel.onAny((name, ...args) => w.seen.push(`${name} ${JSON.stringify(args).slice(0, 200)}`));
      },
      [baseUrl, password],
    );
    // The attacker: a frame from a foreign origin inside the host page.
    await page.evaluate(
      (src) =>
        new Promise<void>((resolve) => {
          const f = document.createElement('iframe');
          f.name = 'attacker';
          f.src = src;
          f.onload = () => resolve();
          document.body.appendChild(f);
        }),
      foreignUrl,
    );
    const attacker = page.frame({ name: 'attacker' });
    if (!attacker) throw new Error('no attacker frame');
    const sent = await attacker.evaluate(() => {
      let seed = 42;
      const rnd = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
      const junk = (depth: number): unknown => {
        const r = rnd();
        if (depth > 2 || r < 0.2) return pick([null, true, 0, -1, 1e308, 'x'.repeat(Math.floor(rnd() * 50)), '']);
        if (r < 0.4) return Array.from({ length: Math.floor(rnd() * 4) }, () => junk(depth + 1));
        const o: Record<string, unknown> = {};
        for (let k = 0; k < 4; k++)
          o[pick(['id', 'type', 'payload', 'value', '__proto__', 'command', 'attribute'])] = junk(depth + 1);
        return o;
      };
      // Shapes that would act if they were believed: commands to the panel, events to the host.
      const commands = ['ready', 'logout', 'interaction', 'outbound', 'ri', 'authenticate', 'presence', 'detail'];
      const panelFrame = window.parent.frames[0];
      let count = 0;
      for (let i = 0; i < 10_000; i++) {
        const r = rnd();
        const message =
          r < 0.3
            ? {
                id: `x-${i}`,
                type: 'action',
                payload: {
                  command: pick(commands),
                  value: pick([{ ready: true }, 'hangup', { channel: 'phone', to: '+1555' }, junk(0)]),
                },
              }
            : r < 0.4
              ? { id: 'initRequest', type: 'init', payload: { protocol: 2 } }
              : r < 0.6
                ? {
                    type: pick(['status', 'state', 'response', 'init']),
                    id: `y-${i}`,
                    payload: { attribute: pick(['work_status', 'status', 'connection']), value: junk(0) },
                  }
                : junk(0);
        // Half at the panel, half at the host page (the SDK listens there).
        (i % 2 === 0 ? panelFrame : window.parent)?.postMessage(message, '*');
        count++;
      }
      return count;
    });
    expect(sent).toBe(10_000);
    await page.waitForTimeout(1000);
    const after = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    // The host heard nothing: no fake event got through the SDK, and the panel did nothing that emits one.
    expect(after).toEqual([]);
    // The agent is as they were: not ready, still logged in.
    const me = await api(baseUrl, agent.token, 'GET', 'api/v1/me');
    expect(me['work_status']).toBe('not_ready');
    const panel = page.frameLocator('iframe[src*="panel/embedded"]');
    expect(await panel.locator('[data-testid=work-status]').textContent()).toBe('Not ready');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
