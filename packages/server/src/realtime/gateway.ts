/**
 * The agent WebSocket gateway (PROTOCOL.md §2): one connection per panel,
 * authenticated by the session at upgrade time. Server frames carry a
 * monotonic `seq` per connection; requests are answered with `{re, ok, …}`.
 */
import type {
  AgentState,
  Interaction,
  InteractionFrame,
  QueueLoad,
  ServerEvent,
  ServerEventMap,
  ServerEventType,
  RestTunnelRequest,
  ServerReply,
  User,
} from '@parley/protocol';
import { StationOrder } from './stations.ts';
import { QueueNews } from './queue-news.ts';
import type { Db } from '../store/index.ts';
import type { SessionWatch } from './session-watch.ts';
import { parseClientRequest } from '@parley/protocol';
import { readJsonFrame } from './frames.ts';
import type { WebSocket } from 'ws';
import type { Bus, BusEvents } from '../bus/index.ts';
import type { Logger } from '../log/index.ts';
import type { OnlineUsers } from '../presence/index.ts';

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
  /** When the session's absolute lifetime ends, ms since the epoch. */
  readonly sessionExpiresAt: number;
  seq: number;
  alive: boolean;
  /** Interaction events that arrive while a snapshot or replay is being sent wait here. */
  held: Array<BusEvents['interaction.changed']> | null;
  /** Runs a REST call as this connection's session (the `rest` request). */
  readonly rest?: RestRunner;
  /** Stops the session watch looking at this connection. */
  unwatch: (() => void) | undefined;
}

/** Runs one REST call as a connection's session: the status and the parsed JSON body. */
export type RestRunner = (request: RestTunnelRequest) => Promise<{ status: number; body: unknown }>;

/** The agent's interactions as the store has them now. */
export type InteractionSource = {
  snapshot(tenantId: string, userId: string): Promise<{ interactions: Interaction[]; eventSeq: number }>;
  replay(tenantId: string, userId: string, afterSeq: number): Promise<Array<BusEvents['interaction.changed']> | null>;
};

export interface GatewayOptions {
  readonly log: Logger;
  /** Where user and session changes are announced. */
  readonly bus: Bus;
  /** Builds the current user snapshot for `hello` and `user` frames. */
  readonly snapshot: (tenantId: string, userId: string) => Promise<User | null>;
  /** Builds what supervisors see of an agent, for `agent` frames. */
  readonly agentState: (tenantId: string, userId: string, connected: boolean) => Promise<AgentState | null>;
  /** Where interaction snapshots and replays come from. */
  readonly interactions: InteractionSource;
  /** Who has a panel connected: this gateway keeps it, routing reads it. */
  readonly online: OnlineUsers;
  /** Passes an agent's typing news on. */
  readonly typing?: (tenantId: string, agentId: string, interactionId: string) => void;
  /** Voice: answers a panel's media offer, and hears when its connection closes. */
  readonly media?: {
    offer(tenantId: string, userId: string, sdp: string, owner: object): Promise<string>;
    closed(tenantId: string, userId: string, owner: object): void;
  };
  /** The store, for the queue lines agents see live (`queues` frames); none without it. */
  readonly db?: Db;
  /** Heartbeat interval in ms; a socket that misses one pong is closed. */
  readonly heartbeatMs?: number;
  /** Closes sockets whose session ended elsewhere (the CLI, another node, an expiry). */
  readonly sessions?: SessionWatch;
}

/** Tracks agent connections and pushes frames to them. */
export class AgentGateway {
  readonly #connections = new Set<Connection>();
  /** Open connections per `tenant:user`. */
  readonly #byUser = new Map<string, Set<Connection>>();
  /** Which connection of an agent carries their calls (the newest station). */
  readonly #stations = new StationOrder<Connection>();
  readonly #opts: GatewayOptions;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: Array<() => void>;
  readonly #queueNews: QueueNews | null;
  #closed = false;

  constructor(opts: GatewayOptions) {
    this.#opts = opts;
    this.#heartbeat = setInterval(() => this.#beat(), opts.heartbeatMs ?? 30_000);
    this.#heartbeat.unref();
    this.#unsubscribe = [
      // A failed push (the store closing under a late event) is logged, never an unhandled rejection.
      // After the change's own answer has gone out: the push reads the store again.
      opts.bus.subscribe('user.changed', (e) =>
        setImmediate(() => {
          if (this.#closed) return;
          this.#pushUser(e.tenantId, e.userId).catch((err: unknown) =>
            opts.log.warn({ err, userId: e.userId }, 'cannot push a user change'),
          );
        }),
      ),
      opts.bus.subscribe('session.ended', (e) => this.closeSession(e.tokenHash, e.reason)),
      opts.bus.subscribe('user.loggedOut', (e) => this.#closeUser(e.tenantId, e.userId, e.reason)),
      opts.bus.subscribe('interaction.changed', (e) => this.#pushInteraction(e)),
      opts.bus.subscribe('conversation.typing', (e) => {
        if (e.from !== 'customer' || !e.agentId) return;
        for (const conn of this.#byUser.get(`${e.tenantId}:${e.agentId}`) ?? [])
          this.#push(conn, 'typing', { interaction_id: e.interactionId });
      }),
    ];
    const send = (t: string, u: string, queues: readonly QueueLoad[]) =>
      this.#byUser.get(`${t}:${u}`)?.forEach((conn) => this.#push(conn, 'queues', { queues }));
    this.#queueNews = opts.db
      ? new QueueNews({ bus: opts.bus, db: opts.db, online: (t) => this.onlineUsers(t), send })
      : null;
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
    identity: {
      tenantId: string;
      userId: string;
      sessionHash: string;
      sessionExpiresAt: number;
      supervises: boolean;
      rest?: RestRunner;
    },
  ): Promise<void> {
    const conn: Connection = { socket, ...identity, seq: 0, alive: true, held: [], unwatch: undefined };
    conn.unwatch = this.#opts.sessions?.add({
      ...identity,
      end: (reason) => {
        conn.socket.close(CLOSE_CODES.sessionEnded, reason);
        // Out of routing now, not when the client's close handshake comes back.
        this.#drop(conn);
      },
    });
    const key = `${conn.tenantId}:${conn.userId}`;
    let mine = this.#byUser.get(key);
    const firstOfUser = !mine;
    if (!mine) {
      this.#byUser.set(key, (mine = new Set()));
      this.#opts.online.add(conn.tenantId, conn.userId);
    }
    mine.add(conn);
    this.#connections.add(conn);
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('close', () => this.#drop(conn));
    socket.on('error', (err) => this.#opts.log.debug({ err }, 'agent socket error'));
    socket.on('message', (raw, isBinary) => void this.#onMessage(conn, raw, isBinary));
    // `hello` is always a connection's first frame; routing and supervisors hear of it afterwards.
    await this.#sendHello(conn);
    if (firstOfUser && this.#connections.has(conn)) {
      this.#opts.bus.publish('agent.connection', { tenantId: conn.tenantId, userId: conn.userId, connected: true });
      await this.#pushAgent(conn.tenantId, conn.userId);
    }
  }

  /** Forgets a connection; the agent's last one going away tells routing and supervisors. */
  #drop(conn: Connection): void {
    if (!this.#connections.delete(conn)) return;
    conn.unwatch?.();
    this.#opts.media?.closed(conn.tenantId, conn.userId, conn);
    const key = `${conn.tenantId}:${conn.userId}`;
    const next = this.#stations.detached(key, conn);
    if (next) this.#push(next, 'station', { active: true });
    const mine = this.#byUser.get(key);
    mine?.delete(conn);
    if (mine && mine.size > 0) return;
    this.#byUser.delete(key);
    this.#opts.online.delete(conn.tenantId, conn.userId);
    this.#opts.bus.publish('agent.connection', { tenantId: conn.tenantId, userId: conn.userId, connected: false });
    this.#pushAgent(conn.tenantId, conn.userId).catch((err: unknown) =>
      this.#opts.log.warn({ err }, 'cannot push an agent change'),
    );
  }

  #pushInteraction(e: BusEvents['interaction.changed']): void {
    if (!e.agentId) return;
    for (const conn of this.#byUser.get(`${e.tenantId}:${e.agentId}`) ?? []) {
      if (conn.held) conn.held.push(e);
      else this.#sendInteraction(conn, e);
    }
  }

  #sendInteraction(conn: Connection, e: BusEvents['interaction.changed']): void {
    // The event and its detail travel together (one member of the union); spreading them apart loses that to TS.
    this.#push(conn, 'interaction', {
      event_seq: e.seq,
      event: e.event,
      interaction: e.interaction,
      ...(e.detail ? { detail: e.detail } : {}),
    } as InteractionFrame);
  }

  /** Sends what was held back while a snapshot or replay went out, skipping what it already covered. */
  #release(conn: Connection, coveredSeq: number): void {
    const held = conn.held ?? [];
    conn.held = null;
    for (const e of held) if (e.seq > coveredSeq) this.#sendInteraction(conn, e);
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

  /** Whether the user has at least one panel connected. */
  isOnline(tenantId: string, userId: string): boolean {
    return this.#isOnline(tenantId, userId);
  }

  #isOnline(tenantId: string, userId: string): boolean {
    return this.#byUser.has(`${tenantId}:${userId}`);
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
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#queueNews?.close();
    for (const conn of this.#connections) conn.socket.close(CLOSE_CODES.goingAway, 'server shutting down');
    this.#connections.clear();
    this.#byUser.clear();
    this.#opts.online.clear();
  }

  async #sendHello(conn: Connection): Promise<void> {
    conn.held ??= [];
    const user = await this.#opts.snapshot(conn.tenantId, conn.userId);
    if (!user) {
      conn.socket.close(CLOSE_CODES.sessionEnded, 'user no longer exists');
      return;
    }
    const { interactions, eventSeq } = await this.#opts.interactions.snapshot(conn.tenantId, conn.userId);
    this.#push(conn, 'hello', {
      user,
      server_time: new Date().toISOString(),
      interactions,
      event_seq: eventSeq,
      ...(Number.isFinite(conn.sessionExpiresAt)
        ? { session_expires_at: new Date(conn.sessionExpiresAt).toISOString() }
        : {}),
    });
    this.#release(conn, eventSeq);
    void this.#queueNews?.hello(conn.tenantId, conn.userId).catch(() => undefined);
  }

  /** Replays the agent's missed events, or sends a snapshot when they are too many. */
  async #resume(conn: Connection, id: string, lastSeq: number): Promise<void> {
    conn.held ??= [];
    const source = this.#opts.interactions;
    const events = await source.replay(conn.tenantId, conn.userId, lastSeq);
    if (events) {
      for (const e of events) this.#sendInteraction(conn, e);
      this.#release(conn, events.at(-1)?.seq ?? lastSeq);
      this.#reply(conn, { re: id, ok: true, data: { replayed: events.length, snapshot: false } });
      return;
    }
    const { interactions, eventSeq } = await source.snapshot(conn.tenantId, conn.userId);
    this.#push(conn, 'interactions', { interactions, event_seq: eventSeq });
    this.#release(conn, eventSeq);
    this.#reply(conn, { re: id, ok: true, data: { replayed: 0, snapshot: true } });
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
    const frame = readJsonFrame(raw, isBinary);
    if (!frame.ok) {
      this.#opts.log.debug({ reason: frame.reason }, 'agent sent a frame that breaks the protocol');
      conn.socket.close(CLOSE_CODES.protocolError, frame.reason);
      return;
    }
    const request = parseClientRequest(frame.data);
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
        await this.#resume(conn, request.id, request.data.last_seq);
        return;
      case 'typing':
        this.#opts.typing?.(conn.tenantId, conn.userId, request.data.interaction_id);
        this.#reply(conn, { re: request.id, ok: true, data: null });
        return;
      case 'rest': {
        if (!conn.rest) {
          this.#reply(conn, {
            re: request.id,
            ok: false,
            error: { code: 'unsupported', message: 'This connection does not carry REST calls.' },
          });
          return;
        }
        try {
          this.#reply(conn, { re: request.id, ok: true, data: await conn.rest(request.data) });
        } catch (err) {
          this.#opts.log.warn({ err }, 'a REST call over the agent socket failed');
          this.#reply(conn, {
            re: request.id,
            ok: false,
            error: { code: 'internal', message: 'The call could not be run; try again.' },
          });
        }
        return;
      }
      case 'media.offer': {
        const media = this.#opts.media;
        if (!media) {
          this.#reply(conn, {
            re: request.id,
            ok: false,
            error: { code: 'unsupported', message: 'Voice is off on this server.' },
          });
          return;
        }
        try {
          const sdp = await media.offer(conn.tenantId, conn.userId, request.data.sdp, conn);
          this.#reply(conn, { re: request.id, ok: true, data: { sdp } });
          // The agent's other client no longer carries the calls: it is told why.
          const before = this.#stations.attached(`${conn.tenantId}:${conn.userId}`, conn);
          if (before && this.#connections.has(before))
            this.#push(before, 'station', { active: false, reason: 'multi_login' });
        } catch (err) {
          const e = err as { code?: string; message?: string };
          this.#reply(conn, {
            re: request.id,
            ok: false,
            error: {
              code: e.code === 'invalid_argument' ? 'invalid_argument' : 'internal',
              message: e.message ?? 'cannot answer',
            },
          });
        }
        return;
      }
    }
  }

  #beat(): void {
    for (const conn of this.#connections) {
      if (!conn.alive) {
        conn.socket.terminate();
        this.#drop(conn);
        continue;
      }
      conn.alive = false;
      conn.socket.ping();
    }
  }
}
