/**
 * The agent WebSocket gateway (PROTOCOL.md §2): one connection per panel,
 * authenticated by the session at upgrade time. Server frames carry a
 * monotonic `seq` per connection; requests are answered with `{re, ok, …}`.
 */
import type { AgentState, ServerEvent, ServerEventMap, ServerEventType, ServerReply, User } from '@parley/protocol';
import { MAX_CLIENT_FRAME_BYTES, parseClientRequest } from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { Bus } from '../bus/index.ts';
import type { Logger } from '../log/index.ts';

/** Close codes the panel understands. */
export const CLOSE_CODES = {
  /** The session ended (logout, expiry): the panel shows the login form. */
  sessionEnded: 4001,
  /** The client broke the protocol. */
  protocolError: 4002,
  /** The server is shutting down: reconnect. */
  goingAway: 1001,
} as const;

interface Connection {
  readonly socket: WebSocket;
  readonly tenantId: string;
  readonly userId: string;
  /** Supervisors and admins also get every agent's state changes. */
  readonly supervises: boolean;
  readonly sessionHash: string;
  seq: number;
  alive: boolean;
}

export interface GatewayOptions {
  readonly log: Logger;
  /** Where user and session changes are announced. */
  readonly bus: Bus;
  /** Builds the current user snapshot for `hello` and `user` frames. */
  readonly snapshot: (tenantId: string, userId: string) => Promise<User | null>;
  /** Builds what supervisors see of an agent, for `agent` frames. */
  readonly agentState: (tenantId: string, userId: string, connected: boolean) => Promise<AgentState | null>;
  /** Heartbeat interval in ms; a socket that misses one pong is closed. */
  readonly heartbeatMs?: number;
}

/** Tracks agent connections and pushes frames to them. */
export class AgentGateway {
  readonly #connections = new Set<Connection>();
  readonly #opts: GatewayOptions;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: Array<() => void>;

  constructor(opts: GatewayOptions) {
    this.#opts = opts;
    this.#heartbeat = setInterval(() => this.#beat(), opts.heartbeatMs ?? 30_000);
    this.#heartbeat.unref();
    this.#unsubscribe = [
      opts.bus.subscribe('user.changed', (e) => void this.#pushUser(e.tenantId, e.userId)),
      opts.bus.subscribe('session.ended', (e) => this.closeSession(e.tokenHash, e.reason)),
      opts.bus.subscribe('user.loggedOut', (e) => this.#closeUser(e.tenantId, e.userId, e.reason)),
    ];
  }

  /** The ids of users of a tenant with at least one open connection. */
  onlineUsers(tenantId: string): Set<string> {
    const ids = new Set<string>();
    for (const conn of this.#connections) if (conn.tenantId === tenantId) ids.add(conn.userId);
    return ids;
  }

  /** Number of open agent connections. */
  get size(): number {
    return this.#connections.size;
  }

  /** Adopts an authenticated socket and sends `hello`. */
  async accept(
    socket: WebSocket,
    identity: { tenantId: string; userId: string; sessionHash: string; supervises: boolean },
  ): Promise<void> {
    const conn: Connection = { socket, ...identity, seq: 0, alive: true };
    const firstOfUser = !this.#isOnline(conn.tenantId, conn.userId);
    this.#connections.add(conn);
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('close', () => {
      this.#connections.delete(conn);
      // The last panel of an agent going away changes what supervisors see.
      if (!this.#isOnline(conn.tenantId, conn.userId)) void this.#pushAgent(conn.tenantId, conn.userId);
    });
    socket.on('error', (err) => this.#opts.log.debug({ err }, 'agent socket error'));
    socket.on('message', (raw, isBinary) => void this.#onMessage(conn, raw, isBinary));
    // `hello` is always a connection's first frame; supervisors hear of it afterwards.
    await this.#sendHello(conn);
    if (firstOfUser) await this.#pushAgent(conn.tenantId, conn.userId);
  }

  async #pushUser(tenantId: string, userId: string): Promise<void> {
    const targets = [...this.#connections].filter((c) => c.tenantId === tenantId && c.userId === userId);
    if (targets.length > 0) {
      const user = await this.#opts.snapshot(tenantId, userId);
      if (user) for (const conn of targets) this.#push(conn, 'user', { user });
    }
    await this.#pushAgent(tenantId, userId);
  }

  /** Tells the tenant's supervisors about one agent. */
  async #pushAgent(tenantId: string, userId: string): Promise<void> {
    const supervisors = [...this.#connections].filter((c) => c.tenantId === tenantId && c.supervises);
    if (supervisors.length === 0) return;
    const agent = await this.#opts.agentState(tenantId, userId, this.#isOnline(tenantId, userId));
    if (agent) for (const conn of supervisors) this.#push(conn, 'agent', { agent });
  }

  #isOnline(tenantId: string, userId: string): boolean {
    for (const conn of this.#connections) if (conn.tenantId === tenantId && conn.userId === userId) return true;
    return false;
  }

  #closeUser(tenantId: string, userId: string, reason: string): void {
    for (const conn of this.#connections) {
      if (conn.tenantId === tenantId && conn.userId === userId) conn.socket.close(CLOSE_CODES.sessionEnded, reason);
    }
  }

  /** Closes every connection of a session (logout, expiry). */
  closeSession(sessionHash: string, reason: string): void {
    for (const conn of this.#connections) {
      if (conn.sessionHash === sessionHash) conn.socket.close(CLOSE_CODES.sessionEnded, reason);
    }
  }

  /** Closes everything (server shutdown) and stops the heartbeat. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const conn of this.#connections) conn.socket.close(CLOSE_CODES.goingAway, 'server shutting down');
    this.#connections.clear();
  }

  async #sendHello(conn: Connection): Promise<void> {
    const user = await this.#opts.snapshot(conn.tenantId, conn.userId);
    if (!user) {
      conn.socket.close(CLOSE_CODES.sessionEnded, 'user no longer exists');
      return;
    }
    this.#push(conn, 'hello', { user, server_time: new Date().toISOString() });
  }

  #push<K extends ServerEventType>(conn: Connection, type: K, data: ServerEventMap[K]): void {
    conn.seq += 1;
    const frame = { seq: conn.seq, type, data } as ServerEvent;
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(frame));
  }

  #reply(conn: Connection, reply: ServerReply): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(reply));
  }

  async #onMessage(conn: Connection, raw: unknown, isBinary: boolean): Promise<void> {
    const text = Buffer.isBuffer(raw)
      ? raw.toString('utf8')
      : Array.isArray(raw)
        ? Buffer.concat(raw).toString('utf8')
        : '';
    if (isBinary || text.length === 0 || text.length > MAX_CLIENT_FRAME_BYTES) {
      conn.socket.close(CLOSE_CODES.protocolError, 'expected a JSON text frame');
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      this.#opts.log.debug('agent sent a frame that is not JSON');
      conn.socket.close(CLOSE_CODES.protocolError, 'frames must be JSON');
      return;
    }
    const request = parseClientRequest(data);
    if (!request) {
      this.#opts.log.debug('agent sent a malformed request envelope');
      conn.socket.close(CLOSE_CODES.protocolError, 'requests are {id, type, data}');
      return;
    }
    if ('error' in request) {
      this.#reply(conn, { re: request.id, ok: false, error: { code: 'invalid_argument', message: request.error } });
      return;
    }
    switch (request.type) {
      case 'ping':
        this.#reply(conn, { re: request.id, ok: true, data: { server_time: new Date().toISOString() } });
        return;
      case 'resume':
        // Everything a panel holds today is in the user snapshot, so resuming
        // means a fresh snapshot; event replay arrives with the event store.
        this.#reply(conn, { re: request.id, ok: true, data: { replayed: 0, snapshot: true } });
        await this.#sendHello(conn);
        return;
    }
  }

  #beat(): void {
    for (const conn of this.#connections) {
      if (!conn.alive) {
        conn.socket.terminate();
        this.#connections.delete(conn);
        continue;
      }
      conn.alive = false;
      conn.socket.ping();
    }
  }
}
