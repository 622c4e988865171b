/**
 * Embedding benchmarks in Debian's Chromium, cross-origin:
 * - host→panel→host command round trip with the SDK (MessagePort after the
 *   handshake, resolves on the response event), against two baselines in the
 *   same run: event-driven window.postMessage (the CPC wire without polling)
 *   and polling for the response every 50 ms, as the existing CPC client does;
 * - `init` at the host after `load()` with a logged-in session.
 */
import { launchChromium } from '@parley/e2e/browser';
import { BENCH_PASSWORD, startHostAndServer } from './host-page.ts';

export interface EmbedResult {
  readonly sdkRoundTrip: number[];
  readonly windowRoundTrip: number[];
  readonly pollingRoundTrip: number[];
  readonly initAfterLoad: number[];
  /** host → panel → server (REST over the panel socket, stored) → panel → host: setReady toggled, back to back. */
  readonly serverRoundTrip: number[];
  /** The same, one command at a time: 25 ms apart, so each meets a settled panel and server. */
  readonly serverRoundTripPaced: number[];
}

const PASSWORD = BENCH_PASSWORD;

export async function runEmbedBench(opts: {
  roundTrips: number;
  pollingRoundTrips: number;
  serverRoundTrips: number;
  loads: number;
}): Promise<EmbedResult> {
  const { hostOrigin, baseUrl, close } = await startHostAndServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // tsx compiles with keepNames, which wraps functions in __name(); the page needs a no-op one.
    await page.addInitScript('globalThis.__name = (fn) => fn');
    await page.goto(`${hostOrigin}/`);
    await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
    await page.evaluate(
      async ([base, pw]) => {
        const P = (window as unknown as { Parley: { load(o: unknown): Promise<{ ready: Promise<unknown> }> } }).Parley;
        const panel = await P.load({
          baseUrl: base,
          container: 'c',
          auth: { basic: { userName: 'agent1', password: pw } },
        });
        await panel.ready;
        (window as unknown as { panel: unknown }).panel = panel;
      },
      [baseUrl, PASSWORD],
    );

    const sdkRoundTrip = await page.evaluate(async (n) => {
      const panel = (window as unknown as { panel: { getDetails(s: string): Promise<unknown> } }).panel;
      for (let i = 0; i < 100; i++) await panel.getDetails('user');
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await panel.getDetails('user');
        out.push(performance.now() - t0);
      }
      return out;
    }, opts.roundTrips);

    // A command the panel answers only after the server stored it: setReady, toggled; back to back, then paced.
    const setReadyRoundTrips = (n: number, pauseMs: number) =>
      page.evaluate(
        async ([count, pause]) => {
          const panel = (window as unknown as { panel: { setReady(r: boolean): Promise<unknown> } }).panel;
          for (let i = 0; i < 20; i++) await panel.setReady(i % 2 === 0);
          const out: number[] = [];
          for (let i = 0; i < (count as number); i++) {
            if ((pause as number) > 0) await new Promise((r) => setTimeout(r, pause as number));
            const t0 = performance.now();
            await panel.setReady(i % 2 === 0);
            out.push(performance.now() - t0);
          }
          await panel.setReady(false);
          return out;
        },
        [n, pauseMs] as const,
      );
    const serverRoundTrip = await setReadyRoundTrips(opts.serverRoundTrips, 0);
    const serverRoundTripPaced = await setReadyRoundTrips(opts.serverRoundTrips, 25);

    // The baselines use a second, raw panel iframe that speaks the CPC way (init with payload false,
    // window messages only), so the panel answers them over window.postMessage.
    const windowRoundTrips = await page.evaluate(
      async ([n, polls, base]) => {
        const origin = new URL(base as string).origin;
        const frame = document.createElement('iframe');
        frame.src = `${base}panel/embedded`;
        document.body.appendChild(frame);
        await new Promise((r) => frame.addEventListener('load', r));
        const results = new Map<string, unknown>();
        let notify: (() => void) | null = null;
        window.addEventListener('message', (e) => {
          if (e.source !== frame.contentWindow) return;
          results.set(e.data?.id, e.data?.payload);
          notify?.();
        });
        const target = frame.contentWindow!;
        await new Promise<void>((resolve) => {
          notify = () => results.has('initRequest') && resolve();
          target.postMessage({ id: 'initRequest', type: 'init', payload: false }, origin);
        });
        const send = (id: string) =>
          target.postMessage({ id, type: 'action', payload: { command: 'detail', value: 'user' } }, origin);
        const eventDriven: number[] = [];
        for (let i = 0; i < (n as number); i++) {
          const id = `event-${i}`;
          const t0 = performance.now();
          await new Promise<void>((resolve) => {
            notify = () => results.has(id) && resolve();
            send(id);
          });
          eventDriven.push(performance.now() - t0);
        }
        notify = null;
        // The CPC client's way: responses are stored when they arrive; the caller checks every 50 ms.
        const polling: number[] = [];
        for (let i = 0; i < (polls as number); i++) {
          const id = `poll-${i}`;
          const t0 = performance.now();
          await new Promise<void>((resolve) => {
            send(id);
            const timer = setInterval(() => {
              if (results.has(id)) {
                clearInterval(timer);
                resolve();
              }
            }, 50);
          });
          polling.push(performance.now() - t0);
        }
        frame.remove();
        return { eventDriven, polling };
      },
      [opts.roundTrips, opts.pollingRoundTrips, baseUrl] as const,
    );

    const initAfterLoad: number[] = [];
    for (let i = 0; i < opts.loads; i++) {
      await page.goto(`${hostOrigin}/`);
      await page.addScriptTag({ url: `${baseUrl}sdk/parley.js` });
      initAfterLoad.push(
        await page.evaluate(async (base) => {
          const P = (window as unknown as { Parley: { load(o: unknown): Promise<{ ready: Promise<unknown> }> } })
            .Parley;
          const t0 = performance.now();
          const panel = await P.load({ baseUrl: base, container: 'c' });
          await panel.ready;
          return performance.now() - t0;
        }, baseUrl),
      );
    }
    return {
      sdkRoundTrip,
      windowRoundTrip: windowRoundTrips.eventDriven,
      pollingRoundTrip: windowRoundTrips.polling,
      initAfterLoad,
      serverRoundTrip,
      serverRoundTripPaced,
    };
  } finally {
    await browser.close();
    await close();
  }
}
