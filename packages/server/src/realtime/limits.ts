/**
 * What one client may take of the server's sockets (docs/security.md):
 * connections per kind, per key (a client address, or an agent) and in all;
 * frames per second per socket (a token bucket: a burst, then a steady
 * rate); and how much the server buffers for a client that stops reading.
 * A refusal is a close with a standard code and a reason that says which
 * limit it was: 1013 (try again later) for connections, 1008 (policy) for
 * frames, 1008 for a client that does not read.
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../log/index.ts';

export type SocketKind = 'agent' | 'customer' | 'phone' | 'console';

export interface SocketLimitRules {
  /** Connections per key: a user's (tenant and user) for `agent` and `console`, the client address otherwise. */
  readonly perKey: Readonly<Record<SocketKind, number>>;
  /** Connections of a kind in all. */
  readonly total: Readonly<Record<SocketKind, number>>;
  /** Steady frames per second per socket; a burst of five seconds' worth is allowed. */
  readonly framesPerSecond: Readonly<Record<SocketKind, number>>;
  /** Bytes the server may hold for one socket before it drops the client. */
  readonly sendBufferBytes: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimitRules = {
  perKey: { agent: 20, customer: 50, phone: 50, console: 10 },
  total: { agent: 50_000, customer: 20_000, phone: 2_000, console: 2_000 },
  framesPerSecond: { agent: 200, customer: 20, phone: 20, console: 20 },
  sendBufferBytes: 4 * 1024 * 1024,
};

export const LIMIT_CLOSE = { connections: 1013, policy: 1008 } as const;

/** A token bucket, pure: time is passed in. */
export class FrameBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes one frame's token; false when the socket is over its rate. */
  take(now: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** Counts sockets and puts the per-socket limits on each one it admits. */
export class SocketLimits {
  readonly #open = new Map<string, number>();
  readonly #totals = new Map<SocketKind, number>();

  constructor(
    readonly rules: SocketLimitRules,
    readonly log: Logger,
    readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits a socket, or closes it with the limit it hit and returns false.
   * An admitted socket is counted until it closes, gets a frame rate, and
   * is dropped once the server holds more than the bound for it. Call it
   * as soon as the socket is there.
   */
  admit(socket: WebSocket, kind: SocketKind, key: string, client: string): boolean {
    const keyed = `${kind}|${key}`;
    const open = this.#open.get(keyed) ?? 0;
    const total = this.#totals.get(kind) ?? 0;
    if (open >= this.rules.perKey[kind] || total >= this.rules.total[kind]) {
      const which =
        open >= this.rules.perKey[kind]
          ? kind === 'agent' || kind === 'console'
            ? 'for this user'
            : 'from this address'
          : 'in all';
      this.log.info({ kind, client }, `refused a ${kind} socket: too many ${which}`);
      socket.close(LIMIT_CLOSE.connections, `too many ${kind} connections ${which}; try again later`);
      return false;
    }
    this.#open.set(keyed, open + 1);
    this.#totals.set(kind, total + 1);
    socket.once('close', () => {
      const left = (this.#open.get(keyed) ?? 1) - 1;
      if (left > 0) this.#open.set(keyed, left);
      else this.#open.delete(keyed);
      this.#totals.set(kind, (this.#totals.get(kind) ?? 1) - 1);
    });

    // Over its rate a socket is closed, and no frame of it reaches a listener any more.
    const rate = this.rules.framesPerSecond[kind];
    const bucket = new FrameBucket(rate, rate * 5, this.now());
    let over = false;
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    (socket as unknown as { emit: typeof emit }).emit = (event, ...args) => {
      if (event !== 'message') return emit(event, ...args);
      if (over) return false;
      if (bucket.take(this.now())) return emit(event, ...args);
      over = true;
      this.log.info({ kind, client }, `closed a ${kind} socket: over ${rate} frames per second`);
      socket.close(LIMIT_CLOSE.policy, `too many frames: at most ${rate} per second`);
      // A client that goes on sending instead of closing is cut off.
      setTimeout(() => socket.terminate(), 1000).unref();
      return false;
    };

    // A client that stops reading must not grow the server's memory: past the bound it is dropped.
    const send = socket.send.bind(socket) as (data: string, cb?: (err?: Error) => void) => void;
    const bound = this.rules.sendBufferBytes;
    (socket as unknown as { send: typeof send }).send = (data, cb) => {
      if (socket.bufferedAmount + data.length > bound) {
        if (socket.readyState === socket.OPEN) {
          this.log.info({ kind, client }, `dropped a ${kind} socket that stopped reading`);
          socket.terminate();
        }
        return;
      }
      send(data, cb);
    };
    return true;
  }

  /** Open sockets of a kind. */
  count(kind: SocketKind): number {
    return this.#totals.get(kind) ?? 0;
  }
}
