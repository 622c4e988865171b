/**
 * Test agents: a REST token and a live panel socket each, collecting every
 * frame, so tests can act like real panels and wait for what the server pushes.
 */
import type { InjectOptions } from 'fastify';
import WebSocket from 'ws';
import type { Harness } from './harness.ts';
import { DEMO_PASSWORD } from './harness.ts';

/** A frame as the server sent it (tests look into it freely). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frames are inspected structurally by tests
export type Frame = any;

export class TestAgent {
  readonly frames: Frame[] = [];
  #waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  ws: WebSocket | null = null;
  #seen = 0;
  #requestId = 0;

  constructor(
    readonly h: Harness,
    readonly username: string,
    readonly token: string,
    readonly id: string,
    readonly wsBase: string,
  ) {}

  /** Logs in over REST; connect() opens the panel socket. */
  static async login(h: Harness, wsBase: string, username: string, base = ''): Promise<TestAgent> {
    const res = await h.app.inject({
      method: 'POST',
      url: `${base}/api/v1/auth/login`,
      payload: { username, password: DEMO_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    const body = res.json() as { token: string; user: { id: string } };
    h.secrets.add(body.token);
    return new TestAgent(h, username, body.token, body.user.id, `${wsBase}${base}`);
  }

  /** Opens a panel socket (or the console's, with `/ws/console`) and resolves with its hello frame. */
  async connect(path = '/ws/agent'): Promise<Frame> {
    const ws = new WebSocket(`${this.wsBase}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    this.ws = ws;
    this.#seen = this.frames.length;
    ws.on('message', (raw) => {
      const frame: Frame = JSON.parse(String(raw));
      this.frames.push(frame);
      for (const w of [...this.#waiters]) {
        if (w.match(frame)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return this.next((f) => f.type === 'hello');
  }

  /** Closes the socket and waits until the server saw it go. */
  async disconnect(): Promise<void> {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
    // The server hears of the close a moment later.
    for (let i = 0; i < 100 && this.h.ctx.gateway.isOnline(this.h.tenant.id, this.id); i++)
      await new Promise((r) => setTimeout(r, 10));
  }

  /** The next frame (since connect, or since the last one matched) that matches. */
  next(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const found = this.frames.slice(this.#seen).findIndex(match);
    if (found >= 0) {
      const frame = this.frames[this.#seen + found];
      this.#seen += found + 1;
      return Promise.resolve(frame);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(
            `${this.username}: no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(this.#seen).map((f) => f.data?.event ?? f.type))}`,
          ),
        );
      }, timeoutMs);
      const done = (f: Frame) => {
        clearTimeout(timer);
        this.#seen = this.frames.indexOf(f) + 1;
        resolve(f);
      };
      this.#waiters.push({ match, resolve: done });
    });
  }

  /** The next interaction frame with this event (and interaction id, when given). */
  event(event: string, interactionId?: string): Promise<Frame> {
    return this.next(
      (f) =>
        f.type === 'interaction' &&
        f.data.event === event &&
        (!interactionId || f.data.interaction.id === interactionId),
    );
  }

  /** Interaction events received so far, as `event` strings, for one interaction or all. */
  events(interactionId?: string): string[] {
    return this.frames
      .filter((f) => f.type === 'interaction' && (!interactionId || f.data.interaction.id === interactionId))
      .map((f) => f.data.event as string);
  }

  /** Sends a request over the panel socket and resolves with its reply frame. */
  request(type: string, data: unknown): Promise<Frame> {
    const ws = this.ws;
    if (!ws) throw new Error(`${this.username}: connect() first`);
    this.#requestId += 1;
    const id = `t${this.#requestId}`;
    const reply = this.next((f) => f.re === id);
    ws.send(JSON.stringify({ id, type, data }));
    return reply;
  }

  /** A REST call as this agent. */
  rest(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) {
    const options: InjectOptions = { method, url, headers: { authorization: `Bearer ${this.token}` } };
    if (payload !== undefined) options.payload = payload;
    return this.h.app.inject(options);
  }

  /** An interaction action; returns the response. */
  act(interactionId: string, action: string, extra: Record<string, unknown> = {}) {
    return this.rest('POST', `/api/v1/interactions/${interactionId}/actions`, { action, ...extra });
  }

  async setReady(ready: boolean): Promise<void> {
    const res = await this.rest('PUT', '/api/v1/me/state', { ready });
    if (res.statusCode !== 200) throw new Error(`${this.username} ready: ${res.statusCode} ${res.body}`);
  }
}
