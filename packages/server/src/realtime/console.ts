/**
 * The console's live socket (`GET {base}ws/console`): supervisors and admins
 * get `hello`, then the wallboard and the agent grid as snapshots, then news
 * as it happens (the wallboard at most twice a second, an agent's row when
 * it changed). Nothing is polled. A reconnecting console gets fresh
 * snapshots: live numbers are state, not a log, so there is nothing to
 * replay. A console socket never makes its user routable.
 */
import type { AgentRow, ConsoleEventMap, ConsoleEventType, QueueBoard, WaitingRow } from '@parley/protocol';
import { isRecord } from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { Logger } from '../log/index.ts';
import { CLOSE_CODES } from './gateway.ts';
import { readJsonFrame } from './frames.ts';
import type { SessionWatch } from './session-watch.ts';

/** What a console may see (a supervisor's teams, or all of an admin's tenant). */
export interface ConsoleScope {
  readonly all: boolean;
  readonly agents: ReadonlySet<string>;
  readonly queues: ReadonlySet<string>;
  readonly teams: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

/** Where the live numbers come from (supervision). */
export interface ConsoleSource {
  scope(tenantId: string, user: { id: string; role: string }): Promise<ConsoleScope>;
  watch(tenantId: string, w: { wallboard(): void; agents(ids: ReadonlySet<string>): void }): () => void;
  wallboard(tenantId: string, scope: ConsoleScope): Promise<QueueBoard[]>;
  waiting(tenantId: string, scope: ConsoleScope): Promise<WaitingRow[]>;
  agents(tenantId: string, scope: ConsoleScope, only?: string): Promise<AgentRow[]>;
  dayStart(tenantId: string): Promise<number>;
  reasons(tenantId: string): Promise<Array<{ code: string; label: string }>>;
  /** Voice: the supervisor's station (to listen to, whisper into, barge into and take over calls). */
  readonly media?: {
    offer(tenantId: string, userId: string, sdp: string, owner: object): Promise<string>;
    closed(tenantId: string, userId: string, owner: object): void;
  };
}

export interface ConsoleIdentity {
  readonly tenantId: string;
  readonly user: { readonly id: string; readonly displayName: string; readonly role: 'supervisor' | 'admin' };
  readonly sessionHash: string;
  readonly sessionExpiresAt: number;
}

interface ConsoleConnection extends ConsoleIdentity {
  readonly socket: WebSocket;
  seq: number;
  alive: boolean;
  scope: ConsoleScope;
  scopeReadAt: number;
  /** What the last wallboard frame said, so an unchanged board is not sent again. */
  lastBoard: string;
  lastWaiting: string;
  stop: Array<() => void>;
}

/** How long a connection's scope is trusted before it is read again (team changes), ms. */
const SCOPE_TTL_MS = 5_000;

export class ConsoleGateway {
  readonly #connections = new Set<ConsoleConnection>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(
    private readonly source: ConsoleSource,
    private readonly log: Logger,
    private readonly sessions?: SessionWatch,
    heartbeatMs = 30_000,
  ) {
    this.#heartbeat = setInterval(() => this.#beat(), heartbeatMs);
    this.#heartbeat.unref();
  }

  get size(): number {
    return this.#connections.size;
  }

  async accept(socket: WebSocket, id: ConsoleIdentity): Promise<void> {
    const scope = await this.source.scope(id.tenantId, id.user);
    const conn: ConsoleConnection = {
      ...id,
      socket,
      seq: 0,
      alive: true,
      scope,
      scopeReadAt: Date.now(),
      lastBoard: '',
      lastWaiting: '',
      stop: [],
    };
    this.#connections.add(conn);
    socket.on('pong', () => (conn.alive = true));
    socket.on('close', () => this.#drop(conn));
    socket.on('error', (err) => this.log.debug({ err }, 'console socket error'));
    socket.on('message', (raw, isBinary) => this.#onMessage(conn, raw, isBinary));
    const unwatch = this.sessions?.add({
      tenantId: id.tenantId,
      userId: id.user.id,
      sessionHash: id.sessionHash,
      sessionExpiresAt: id.sessionExpiresAt,
      end: (reason) => {
        socket.close(CLOSE_CODES.sessionEnded, reason);
        this.#drop(conn);
      },
    });
    if (unwatch) conn.stop.push(unwatch);
    const [dayStart, reasons] = await Promise.all([
      this.source.dayStart(id.tenantId),
      this.source.reasons(id.tenantId),
    ]);
    this.#push(conn, 'hello', {
      user: { id: id.user.id, display_name: id.user.displayName, role: id.user.role },
      server_time: new Date().toISOString(),
      day_start: new Date(dayStart).toISOString(),
      teams: scope.teams,
      reasons,
    });
    await this.#sendBoard(conn);
    this.#push(conn, 'agents', { agents: await this.source.agents(id.tenantId, scope) });
    if (!this.#connections.has(conn)) return;
    conn.stop.push(
      this.source.watch(id.tenantId, {
        wallboard: () => void this.#sendBoard(conn).catch((err: unknown) => this.#failed(err)),
        agents: (ids) => void this.#sendAgents(conn, ids).catch((err: unknown) => this.#failed(err)),
      }),
    );
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const conn of [...this.#connections]) {
      conn.socket.close(CLOSE_CODES.goingAway, 'server shutting down');
      this.#drop(conn);
    }
  }

  #failed(err: unknown): void {
    this.log.warn({ err }, 'cannot push console news');
  }

  async #fresh(conn: ConsoleConnection): Promise<ConsoleScope> {
    if (Date.now() - conn.scopeReadAt > SCOPE_TTL_MS) {
      conn.scope = await this.source.scope(conn.tenantId, conn.user);
      conn.scopeReadAt = Date.now();
    }
    return conn.scope;
  }

  async #sendBoard(conn: ConsoleConnection): Promise<void> {
    if (!this.#connections.has(conn)) return;
    const scope = await this.#fresh(conn);
    const [queues, contacts] = await Promise.all([
      this.source.wallboard(conn.tenantId, scope),
      this.source.waiting(conn.tenantId, scope),
    ]);
    const text = JSON.stringify(queues);
    if (text !== conn.lastBoard) {
      conn.lastBoard = text;
      this.#push(conn, 'wallboard', { queues, at: new Date().toISOString() });
    }
    const line = JSON.stringify(contacts);
    if (line !== conn.lastWaiting) {
      conn.lastWaiting = line;
      this.#push(conn, 'waiting', { contacts });
    }
  }

  async #sendAgents(conn: ConsoleConnection, ids: ReadonlySet<string>): Promise<void> {
    if (!this.#connections.has(conn)) return;
    const scope = await this.#fresh(conn);
    for (const id of ids) {
      if (!scope.all && !scope.agents.has(id)) continue;
      const [row] = await this.source.agents(conn.tenantId, scope, id);
      if (row) this.#push(conn, 'agent', { agent: row });
    }
  }

  #push<K extends ConsoleEventType>(conn: ConsoleConnection, type: K, data: ConsoleEventMap[K]): void {
    conn.seq += 1;
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify({ seq: conn.seq, type, data }));
  }

  #onMessage(conn: ConsoleConnection, raw: unknown, isBinary: boolean): void {
    const frame = readJsonFrame(raw, isBinary);
    if (!frame.ok) {
      conn.socket.close(CLOSE_CODES.protocolError, frame.reason);
      return;
    }
    const data = frame.data;
    if (!isRecord(data) || typeof data['id'] !== 'string' || data['id'].length === 0 || data['id'].length > 64) {
      conn.socket.close(CLOSE_CODES.protocolError, 'requests are {id, type, data}');
      return;
    }
    const reply = (body: object) => {
      if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify({ re: data['id'], ...body }));
    };
    if (data['type'] === 'ping') {
      reply({ ok: true, data: { server_time: new Date().toISOString() } });
      return;
    }
    const body = data['data'];
    if (data['type'] === 'media.offer') {
      const media = this.source.media;
      if (!media) {
        reply({ ok: false, error: { code: 'unsupported', message: 'Voice is off on this server.' } });
        return;
      }
      if (
        !isRecord(body) ||
        typeof body['sdp'] !== 'string' ||
        body['sdp'].length === 0 ||
        body['sdp'].length > 16384
      ) {
        reply({
          ok: false,
          error: { code: 'invalid_argument', message: 'media.offer needs data.sdp, a WebRTC offer of at most 16 KB' },
        });
        return;
      }
      media.offer(conn.tenantId, conn.user.id, body['sdp'], conn).then(
        (sdp) => reply({ ok: true, data: { sdp } }),
        (err: unknown) => {
          const e = err as { code?: string; message?: string };
          reply({
            ok: false,
            error: {
              code: e.code === 'invalid_argument' ? 'invalid_argument' : 'internal',
              message: e.message ?? 'cannot answer',
            },
          });
        },
      );
      return;
    }
    reply({
      ok: false,
      error: {
        code: 'invalid_argument',
        message: 'The console socket takes ping and media.offer; act through the REST API (api/v1/agents/…).',
      },
    });
  }

  #drop(conn: ConsoleConnection): void {
    if (!this.#connections.delete(conn)) return;
    for (const stop of conn.stop) stop();
    this.source.media?.closed(conn.tenantId, conn.user.id, conn);
  }

  #beat(): void {
    for (const conn of [...this.#connections]) {
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
