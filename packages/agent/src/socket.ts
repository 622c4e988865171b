/**
 * The agent WebSocket (PROTOCOL.md §2) with reconnect and resume. After a
 * drop it retries with backoff and sends `resume {last_seq}`.
 */
import type { ServerEvent, SessionEnd } from '@parley/protocol';
import { parseServerFrame, parseSessionEnd } from '@parley/protocol';

export type ConnectionState = 'online' | 'reconnecting' | 'offline';

export interface SocketHandlers {
  readonly onEvent: (event: ServerEvent) => void;
  readonly onState: (state: ConnectionState) => void;
  /** The server ended the session (logout elsewhere, expiry). */
  readonly onSessionEnded: (end: SessionEnd) => void;
}

const SESSION_ENDED = 4001;

export class AgentSocket {
  #ws: WebSocket | null = null;
  #lastEventSeq = 0;
  #attempt = 0;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #requestId = 0;
  readonly #pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
    /** Subprotocols to offer at each connect: the session token where cookies are refused. */
    readonly protocols: () => string[] | undefined = () => undefined,
  ) {}

  /** Opens the connection (and keeps it open until {@link close}). */
  connect(): void {
    this.#closed = false;
    const protocols = this.protocols();
    const ws = protocols ? new WebSocket(this.url, protocols) : new WebSocket(this.url);
    this.#ws = ws;
    ws.onopen = () => {
      const resuming = this.#attempt > 0 && this.#lastEventSeq > 0;
      this.#attempt = 0;
      if (resuming) this.#send('resume', { last_seq: this.#lastEventSeq });
    };
    ws.onmessage = (message) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const frame = parseServerFrame(data);
      if (!frame) return;
      if ('re' in frame) {
        const waiting = this.#pending.get(frame.re);
        this.#pending.delete(frame.re);
        if (frame.ok) waiting?.resolve(frame.data);
        else waiting?.reject(Object.assign(new Error(frame.error.message), { code: frame.error.code }));
        return;
      }
      // Resuming counts in interaction events (the tenant's sequence), not in frames of one connection.
      if (frame.type === 'interaction' || frame.type === 'interactions' || frame.type === 'hello')
        this.#lastEventSeq = Math.max(this.#lastEventSeq, frame.data.event_seq);
      if (frame.type === 'hello') this.handlers.onState('online');
      this.handlers.onEvent(frame);
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      for (const waiting of this.#pending.values()) waiting.reject(new Error('connection closed'));
      this.#pending.clear();
      if (this.#closed) return;
      if (event.code === SESSION_ENDED) {
        this.handlers.onState('offline');
        this.handlers.onSessionEnded(parseSessionEnd(event.reason));
        return;
      }
      this.handlers.onState('reconnecting');
      const delay = Math.min(10_000, 250 * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
      this.#attempt += 1;
      this.#timer = setTimeout(() => this.connect(), delay);
    };
  }

  /** Closes for good (logout). */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#ws?.close(1000, 'closed by panel');
    this.#ws = null;
    this.#lastEventSeq = 0;
    this.handlers.onState('offline');
  }

  /** Whether requests can be sent now. */
  get open(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Tells the customer of a conversation that the agent is typing (dropped while offline). */
  typing(interactionId: string): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#send('typing', { interaction_id: interactionId });
  }

  /** Sends a request and waits for its reply (rejects when offline or refused). */
  request(type: string, data: unknown): Promise<unknown> {
    if (this.#ws?.readyState !== WebSocket.OPEN) return Promise.reject(new Error('offline'));
    const id = this.#send(type, data);
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  #send(type: string, data: unknown): string {
    this.#requestId += 1;
    const id = String(this.#requestId);
    this.#ws?.send(JSON.stringify({ id, type, data }));
    return id;
  }
}
