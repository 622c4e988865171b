/**
 * The headless agent client against the panel path, in one Chromium page
 * on a host origin, in the same run:
 * - a command answered by the server (setReady, stored before the answer):
 *   host → Agent → server → Agent → host, against host → SDK → panel →
 *   server → panel → SDK → host; back to back and paced, in alternating
 *   blocks so neither gets the quieter moments;
 * - offer latency at the client: the page creates an inbound contact
 *   (demo REST) for a queue only that agent serves and times until the
 *   client's `interaction:status` `incoming`, then the caller hangs up.
 */
import { launchChromium } from '@parley/e2e/browser';
import { BENCH_PASSWORD, startHostAndServer } from './host-page.ts';

export interface HeadlessResult {
  readonly panelCommand: number[];
  readonly agentCommand: number[];
  readonly panelCommandPaced: number[];
  readonly agentCommandPaced: number[];
  readonly panelOffer: number[];
  readonly agentOffer: number[];
}

const PASSWORD = BENCH_PASSWORD;

async function json(base: string, token: string | null, method: string, p: string, body?: unknown) {
  const res = await fetch(new URL(p, base), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export async function runHeadlessBench(opts: { commands: number; offers: number }): Promise<HeadlessResult> {
  const { hostOrigin, baseUrl: base, close } = await startHostAndServer();
  const browser = await launchChromium();
  try {
    const admin = String(
      (await json(base, null, 'POST', 'api/v1/auth/login', { username: 'admin', password: PASSWORD }))['token'],
    );
    const users = (await json(base, admin, 'GET', 'api/v1/users')) as unknown as Array<{
      id: string;
      username: string;
    }>;
    const idOf = (u: string) => users.find((x) => x.username === u)?.id ?? '';
    // Each client has a queue of its own, so every offer goes to the client being timed.
    const queues: Record<'panel' | 'agent', string> = { panel: '', agent: '' };
    for (const [who, user] of [
      ['panel', 'agent1'],
      ['agent', 'agent2'],
    ] as const) {
      const q = await json(base, admin, 'POST', 'api/v1/queues', { name: `Bench ${who}`, type: 'phone', wrapup_s: 0 });
      queues[who] = String(q['id']);
      await json(base, admin, 'PUT', `api/v1/queues/${queues[who]}/members/${idOf(user)}`, {
        can_serve: true,
        proficiency: 3,
      });
    }
    const { key } = (await json(base, admin, 'POST', 'api/v1/api-keys', { name: 'bench' })) as { key: string };
    const minted = await fetch(new URL('api/v1/agent-tokens', base), {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'agent2' }),
    });
    const agentToken = ((await minted.json()) as { token: string }).token;

    const page = await browser.newPage();
    await page.addInitScript('globalThis.__name = (fn) => fn');
    await page.goto(`${hostOrigin}/`);
    await page.addScriptTag({ url: `${base}sdk/parley.js` });
    await page.addScriptTag({ url: `${base}sdk/parley-agent.js` });
    await page.evaluate(
      async ([b, pw, token]) => {
        type On = (name: string, fn: (e: { status: string; interaction: { id: string } }) => void) => void;
        const w = window as unknown as {
          Parley: { load(o: unknown): Promise<{ ready: Promise<unknown>; on: On }> };
          ParleyAgent: { connect(o: unknown): Promise<{ on: On }> };
          clients: Record<string, unknown>;
          statuses: Array<{ who: string; status: string; id: string; at: number }>;
        };
        const panel = await w.Parley.load({
          baseUrl: b,
          container: 'c',
          auth: { basic: { userName: 'agent1', password: pw } },
        });
        await panel.ready;
        const agent = await w.ParleyAgent.connect({ baseUrl: b, token });
        w.clients = { panel, agent };
        w.statuses = [];
        for (const [who, c] of [
          ['panel', panel],
          ['agent', agent],
        ] as const)
          c.on('interaction:status', (e) =>
            w.statuses.push({ who, status: e.status, id: e.interaction.id, at: performance.now() }),
          );
      },
      [base, PASSWORD, agentToken] as const,
    );

    const commands = (who: 'panel' | 'agent', n: number, pause: number) =>
      page.evaluate(
        async ([w0, count, gap]) => {
          const c = (window as unknown as { clients: Record<string, { setReady(r: boolean): Promise<unknown> }> })
            .clients[w0 as string]!;
          const out: number[] = [];
          for (let i = 0; i < (count as number); i++) {
            if ((gap as number) > 0) await new Promise((r) => setTimeout(r, gap as number));
            const t0 = performance.now();
            await c.setReady(i % 2 === 0);
            out.push(performance.now() - t0);
          }
          return out;
        },
        [who, n, pause] as const,
      );
    const result = {
      panelCommand: [] as number[],
      agentCommand: [] as number[],
      panelCommandPaced: [] as number[],
      agentCommandPaced: [] as number[],
      panelOffer: [] as number[],
      agentOffer: [] as number[],
    };
    await commands('panel', 20, 0);
    await commands('agent', 20, 0);
    const blocks = 5;
    const per = Math.max(1, Math.round(opts.commands / blocks));
    for (let b = 0; b < blocks; b++)
      for (const who of b % 2 === 0 ? (['panel', 'agent'] as const) : (['agent', 'panel'] as const)) {
        result[`${who}Command`].push(...(await commands(who, per, 0)));
        result[`${who}CommandPaced`].push(...(await commands(who, Math.max(1, Math.round(per / 4)), 25)));
      }

    // Offers: both ready, then one contact at a time, alternating clients.
    for (const who of ['panel', 'agent'] as const)
      await page.evaluate(
        (w0) =>
          (window as unknown as { clients: Record<string, { setReady(r: boolean): Promise<unknown> }> }).clients[
            w0
          ]!.setReady(true),
        who,
      );
    for (let i = 0; i < opts.offers * 2; i++) {
      const who = i % 2 === 0 ? 'panel' : 'agent';
      const ms = await page.evaluate(
        async ([b, token, w0, queue]) => {
          const w = window as unknown as { statuses: Array<{ who: string; status: string; id: string; at: number }> };
          const t0 = performance.now();
          const res = await fetch(new URL('api/v1/demo/contacts', b as string), {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ queue_id: queue, from: '+15550000000' }),
          });
          const { id } = (await res.json()) as { id: string };
          const seen = async (pred: (s: { who: string; status: string; id: string }) => boolean) => {
            for (;;) {
              const hit = w.statuses.find(pred);
              if (hit) return hit;
              await new Promise((r) => setTimeout(r, 1));
            }
          };
          const offered = await seen((s) => s.id === id && s.who === w0 && s.status === 'incoming');
          await fetch(new URL(`api/v1/demo/interactions/${id}/remote`, b as string), {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ event: 'hangup' }),
          });
          await seen((s) => s.id === id && s.who === w0 && s.status !== 'incoming');
          return offered.at - t0;
        },
        [base, admin, who, queues[who]] as const,
      );
      result[`${who}Offer`].push(ms);
    }
    return result;
  } finally {
    await browser.close();
    await close();
  }
}
