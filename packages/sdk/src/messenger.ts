import type { HostMessage } from '@parley/protocol';

/** The transport between host and panel; faked in unit tests. */
export interface Messenger {
  /** Sends a message to the panel. */
  post(message: HostMessage): void;
  /** Receives messages that passed the source and origin checks; returns an unsubscribe function. */
  listen(handler: (data: unknown) => void): () => void;
}

/**
 * A messenger over postMessage to one iframe. It only accepts messages whose
 * `source` is that iframe's window and whose `origin` is the panel origin,
 * and only ever posts to the panel origin.
 */
export function frameMessenger(
  host: Window,
  frame: HTMLIFrameElement,
  panelOrigin: string,
  debug: (m: string) => void,
): Messenger {
  return {
    post(message) {
      frame.contentWindow?.postMessage(message, panelOrigin);
    },
    listen(handler) {
      const onMessage = (event: MessageEvent) => {
        if (event.source !== frame.contentWindow || event.origin !== panelOrigin) {
          if (event.origin === panelOrigin || event.source === frame.contentWindow)
            debug(`ignored a message from ${event.origin}`);
          return;
        }
        handler(event.data);
      };
      host.addEventListener('message', onMessage);
      return () => host.removeEventListener('message', onMessage);
    },
  };
}
