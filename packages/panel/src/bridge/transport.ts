/**
 * The postMessage edge. Only messages whose `source` is the host window and
 * whose `origin` is the pinned host origin get through; everything else is
 * dropped (and logged at debug level). Never posts to "*".
 */
import type { PanelMessage } from '@parley/protocol';

/** What the bridge needs from the outside world; faked in unit tests. */
export interface HostTransport {
  /** Sends a message to the host. */
  post(message: PanelMessage): void;
  /**
   * Subscribes to messages that passed the source and origin checks; `port` is
   * a MessagePort transferred with the message, if any. Returns an unsubscribe function.
   */
  listen(handler: (data: unknown, port: MessagePort | null) => void): () => void;
}

/** A transport over window.postMessage, pinned to one window and one origin. */
export function createWindowTransport(
  self: Window,
  host: Window,
  hostOrigin: string,
  debug: (message: string, detail?: unknown) => void,
): HostTransport {
  return {
    post(message) {
      host.postMessage(message, hostOrigin);
    },
    listen(handler) {
      const onMessage = (event: MessageEvent) => {
        if (event.source !== host || event.origin !== hostOrigin) {
          debug('ignored a message from an unexpected window or origin', { origin: event.origin });
          return;
        }
        handler(event.data, event.ports[0] ?? null);
      };
      self.addEventListener('message', onMessage);
      return () => self.removeEventListener('message', onMessage);
    },
  };
}
