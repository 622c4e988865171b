/**
 * The console's live socket: connects, hands every frame to `onFrame`,
 * reconnects with backoff when the connection drops (the server sends fresh
 * snapshots on each hello), and stops for good when the session ended.
 */
import type { ConsoleEvent } from '@parley/protocol';

export type LinkState = 'connecting' | 'live' | 'offline' | 'ended';

export interface LiveOptions {
  readonly url: string;
  onFrame(frame: ConsoleEvent): void;
  onState(state: LinkState, reason?: string): void;
  /** Whether the session still holds (a refused upgrade looks like any drop to a browser). */
  signedIn(): Promise<boolean>;
  /** A WebSocket constructor (tests pass their own). */
  readonly socket?: typeof WebSocket;
}

/** Close codes after which reconnecting cannot help: the session is over, or the user may not watch. */
const FINAL = new Set([4001, 4003, 1008]);

export class LiveLink {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #nextId = 0;
  readonly #pending = new Map<string, { resolve: (data: unknown) => void; reject: (err: Error) => void }>();

  constructor(private readonly o: LiveOptions) {}

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  /** One request over the socket (`media.offer`), answered by its reply; fails when the socket is not open. */
  request(type: string, data: unknown): Promise<unknown> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== ws.OPEN) return Promise.reject(new Error('The console is not connected; try again.'));
    const id = `c${++this.#nextId}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, type, data }));
    });
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#ws?.close(1000, 'signed out');
    this.#ws = null;
  }

  #open(): void {
    const Ctor = this.o.socket ?? WebSocket;
    this.o.onState('connecting');
    const ws = new Ctor(this.o.url);
    this.#ws = ws;
    let greeted = false;
    ws.onmessage = (e) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (typeof frame !== 'object' || frame === null) return;
      if ('re' in frame) {
        const reply = frame as { re: string; ok: boolean; data?: unknown; error?: { message?: string } };
        const waiter = this.#pending.get(reply.re);
        this.#pending.delete(reply.re);
        if (reply.ok) waiter?.resolve(reply.data);
        else waiter?.reject(new Error(reply.error?.message ?? 'The server refused.'));
        return;
      }
      if (!('type' in frame) || !('seq' in frame)) return;
      if ((frame as { type: string }).type === 'hello') {
        greeted = true;
        this.#attempt = 0;
        this.o.onState('live');
      }
      this.o.onFrame(frame as ConsoleEvent);
    };
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      for (const w of this.#pending.values()) w.reject(new Error('The connection dropped; try again.'));
      this.#pending.clear();
      if (this.#stopped) return;
      if (FINAL.has(e.code)) {
        this.o.onState('ended', e.reason);
        return;
      }
      this.o.onState('offline');
      if (!greeted)
        void this.o.signedIn().then(
          (yes) => {
            if (!yes && !this.#stopped) {
              this.stop();
              this.o.onState('ended', 'session ended');
            }
          },
          () => undefined,
        );
      // 0.5 s, 1 s, 2 s … at most 15 s between tries.
      const delay = Math.min(15_000, 500 * 2 ** this.#attempt);
      this.#attempt += 1;
      this.#timer = setTimeout(() => this.#open(), delay);
    };
  }
}
