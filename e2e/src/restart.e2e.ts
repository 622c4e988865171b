/**
 * The panel never loses track of a customer: a call is accepted in the
 * panel, the server process is killed (SIGKILL) and started again, and the
 * panel reconnects by itself, resumes from its last event and still has the
 * call, which the agent then finishes. The host hears `connection` go
 * `reconnecting` and back `online`. This journey runs its own server, so the
 * others are not disturbed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { freePort } from './ports.ts';

const allowedHostUrl = inject('allowedHostUrl');
const password = inject('demoPassword');
const browser = useBrowser();
const root = path.resolve(import.meta.dirname, '../..');

describe('a server restart under a working agent', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-restart-'));
  let child: ChildProcess | null = null;
  let log = '';
  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the call in the panel across a kill -9 and a restart, and the agent finishes it', async () => {
    const port = await freePort();
    const base = `http://localhost:${port}/`;
    const start = async () => {
      child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
        cwd: root,
        env: {
          ...process.env,
          PORT: String(port),
          PLAYGROUND_PORT: 'off',
          PARLEY_DATA_DIR: dataDir,
          PARLEY_DEMO: 'true',
          PARLEY_DEMO_PASSWORD: password,
          PARLEY_SMTP_PORT: 'off',
          PARLEY_ALLOWED_ORIGINS: new URL(allowedHostUrl).origin,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      for (let i = 0; i < 300; i++) {
        if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
        if (
          await fetch(`${base}healthz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`server did not start: ${log}`);
    };
    const api = async (token: string, method: string, p: string, body?: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    };
    const login = async (username: string) => {
      const res = await fetch(`${base}api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      return (await res.json()) as { token: string; user: { id: string } };
    };

    await start();
    const admin = await login('admin');
    const agent = await login('agent2');
    const queue = await api(admin.token, 'POST', 'api/v1/queues', {
      name: 'Restart line',
      type: 'phone',
      addresses: ['+15550007777'],
      wrapup_s: 300,
    });
    await api(admin.token, 'PUT', `api/v1/queues/${String(queue['id'])}/members/${agent.user.id}`, {
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
      div.style.cssText = 'width:520px;height:640px';
      document.body.appendChild(div);
    });
    await page.addScriptTag({ url: `${base}sdk/parley.js` });
    await page.evaluate(
      async ([baseUrl, pw]) => {
        type Loaded = { ready: Promise<unknown>; setReady(ready: boolean): Promise<unknown> };
        const w = window as unknown as {
          Parley: { load(o: unknown): Promise<Loaded> };
          events: string[];
          panel: Loaded;
        };
        w.events = [];
        w.panel = await w.Parley.load({
          baseUrl,
          container: 'panel',
          auth: { basic: { userName: 'agent2', password: pw } },
          onEvent: (name: string, arg: unknown) => {
            if (name === 'interaction:status') w.events.push(`status:${(arg as { status: string }).status}`);
            if (name === 'connection') w.events.push(`connection:${String(arg)}`);
          },
        });
        await w.panel.ready;
        await w.panel.setReady(true);
      },
      [base, password],
    );
    const hostEvents = () => page.evaluate(() => (window as unknown as { events: string[] }).events);
    const panel = page.frameLocator('#panel iframe');
    await expect.poll(() => panel.locator('[data-testid=work-status]').textContent()).toBe('Ready');

    const call = await api(admin.token, 'POST', 'api/v1/demo/contacts', { queue_id: queue['id'], from: '+4940111222' });
    await panel.locator('[data-testid=offer-accept]').click();
    await expect.poll(() => panel.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('accepted');

    // The server dies without a word, and comes back on the same store.
    child!.kill('SIGKILL');
    await expect
      .poll(() => panel.locator('[data-testid=connection]').getAttribute('class'))
      .toContain('conn-reconnecting');
    await start();
    await expect
      .poll(() => panel.locator('[data-testid=connection]').getAttribute('class'), { timeout: 20_000 })
      .toContain('conn-online');

    // The call is still there, and it can be finished.
    expect(await panel.locator('[data-testid=conversation]').getAttribute('data-state')).toBe('accepted');
    expect(await panel.locator('[data-testid=conversation]').textContent()).toContain('+4940111222');
    await panel.locator('[data-testid=hangup]').click();
    await panel.locator('[data-testid=wrapup-done]').click();
    await expect
      .poll(hostEvents)
      .toEqual(expect.arrayContaining(['status:incoming', 'status:accepted', 'status:ended', 'status:handled']));
    const events = await hostEvents();
    expect(events.indexOf('connection:reconnecting')).toBeLessThan(events.lastIndexOf('connection:online'));
    expect(events.filter((e) => e === 'status:accepted')).toHaveLength(1);
    expect((await api(agent.token, 'GET', `api/v1/interactions/${String(call['id'])}`))['state']).toBe('handled');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
