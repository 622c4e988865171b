/**
 * The pop-out window: the embedded panel opens its own page top-level and
 * hands it a session over postMessage. Both ends are Parley's origin; each
 * checks the other's origin and window, and the token never enters a URL.
 */
import { isRecord } from '@parley/protocol';

const READY = 'parley-popout-ready';
const SESSION = 'parley-popout-session';

/** Embedded side: once the pop-out says it is ready, sends it the session token. */
export function handOver(win: Window, token: Promise<string>, timeoutMs = 30_000): void {
  const onMessage = (event: MessageEvent) => {
    if (event.origin !== location.origin || event.source !== win) return;
    if (!isRecord(event.data) || event.data['type'] !== READY) return;
    window.removeEventListener('message', onMessage);
    void token.then((value) => win.postMessage({ type: SESSION, token: value }, location.origin));
  };
  window.addEventListener('message', onMessage);
  setTimeout(() => window.removeEventListener('message', onMessage), timeoutMs);
}

/** Pop-out side: asks the window that opened it for a session; null when none comes. */
export function receiveSession(opener: Window, timeoutMs = 5_000): Promise<string | null> {
  return new Promise((resolve) => {
    const done = (token: string | null) => {
      window.removeEventListener('message', onMessage);
      resolve(token);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== location.origin || event.source !== opener) return;
      if (isRecord(event.data) && event.data['type'] === SESSION && typeof event.data['token'] === 'string')
        done(event.data['token']);
    };
    window.addEventListener('message', onMessage);
    opener.postMessage({ type: READY }, location.origin);
    setTimeout(() => done(null), timeoutMs);
  });
}

/** The pop-out's address: the same panel page, full size, told it is a pop-out. */
export function popoutUrl(): string {
  const url = new URL(location.href);
  url.search = '';
  url.searchParams.set('popout', '1');
  return url.href;
}
