/**
 * Panel ↔ server WebSocket frames (PROTOCOL.md §2).
 * Server → panel: `{seq, type, data}` with a monotonic `seq` per session.
 * Panel → server: `{id, type, data}` requests, answered by `{re, ok, data | error}`.
 */
import { isRecord, parseErrorPayload, type ErrorPayload } from './errors.ts';
import type { Interaction, User, WorkStatus } from './objects.ts';
import type { UserId } from './ids.ts';
import type { InteractionFrame } from './events.ts';

/** Server-pushed frames and what they carry. */
export interface ServerEventMap {
  /**
   * First frame after the connection is accepted: who is logged in, every
   * open interaction of the agent, and the event sequence they reflect.
   */
  readonly hello: {
    readonly user: User;
    readonly server_time: string;
    readonly interactions: readonly Interaction[];
    readonly event_seq: number;
    /** (ext) When this connection's session ends at the latest (ISO-8601): a client renews its token before. */
    readonly session_expires_at?: string;
  };
  /** One of the agent's interactions changed (offer, accept, hold, end, wrap-up…). */
  readonly interaction: InteractionFrame;
  /** The customer of one of the agent's conversations is typing (show it for a few seconds). */
  readonly typing: { readonly interaction_id: string };
  /** After a `resume` that could not be replayed: every open interaction, replacing what the panel holds. */
  readonly interactions: { readonly interactions: readonly Interaction[]; readonly event_seq: number };
  /** The user object changed (presence, work status, language, theme). */
  readonly user: { readonly user: User };
  /** (supervisors and admins) An agent's state changed. */
  readonly agent: { readonly agent: AgentState };
  /**
   * (ext) Whether this connection's voice station carries the agent's calls:
   * `active: false, reason: 'multi_login'` when another client of the same
   * agent attached a newer station (this one waits on standby), `active: true`
   * when that one went away and this one serves again.
   */
  readonly station: { readonly active: boolean; readonly reason?: 'multi_login' };
  /**
   * (ext) The queues the agent serves, with who waits in them: sent after
   * `hello` and whenever a queue's line changes (at most twice a second).
   */
  readonly queues: { readonly queues: readonly QueueLoad[] };
}

/** (ext) One queue's line, as an agent who serves it sees it live. */
export interface QueueLoad {
  readonly queue_id: string;
  readonly name: string;
  readonly channel: string;
  /** Contacts waiting (not yet with an agent, offers ringing included). */
  readonly waiting: number;
  /** Since when the longest-waiting contact waits (ISO-8601), or null when nobody waits. */
  readonly oldest_waiting_since: string | null;
}

/** What a supervisor sees of an agent, live. */
export interface AgentState {
  readonly id: UserId;
  readonly username: string;
  readonly display_name: string;
  readonly work_status: WorkStatus;
  /** The presence profile id. */
  readonly presence: string | null;
  readonly not_ready_reason: string | null;
  /** At least one panel of the agent is connected. */
  readonly connected: boolean;
}
export type ServerEventType = keyof ServerEventMap;

/** One server-pushed frame. */
export type ServerEvent = {
  [K in ServerEventType]: { readonly seq: number; readonly type: K; readonly data: ServerEventMap[K] };
}[ServerEventType];

/** Requests a panel may send, with their data and the data of a successful reply. */
export interface ClientRequestMap {
  /**
   * After a reconnect: replay the agent's interaction events after `last_seq`
   * (an `event_seq`), or send one `interactions` snapshot when that is too far back.
   */
  readonly resume: {
    readonly data: { readonly last_seq: number };
    readonly result: { readonly replayed: number; readonly snapshot: boolean };
  };
  /** Liveness check from the panel. */
  readonly ping: { readonly data: null; readonly result: { readonly server_time: string } };
  /** The agent is typing in a conversation: its customer sees an indicator for a few seconds. */
  readonly typing: { readonly data: { readonly interaction_id: string }; readonly result: null };
  /**
   * The panel's media leg (its "station"): a WebRTC offer with audio in
   * G.711, gathered completely; the answer comes back. The newest station of
   * an agent carries all of their calls until its connection closes.
   */
  readonly 'media.offer': { readonly data: { readonly sdp: string }; readonly result: { readonly sdp: string } };
  /**
   * One REST call carried over this socket (ext): the same route, checks and
   * answer as over HTTP, authenticated by the socket's session, without an
   * HTTP round trip per command. `path` is relative to the tenant's base URL
   * and lies under `api/v1/` (not `api/v1/auth/`) or `ecfs/RI/`.
   */
  readonly rest: {
    readonly data: RestTunnelRequest;
    readonly result: { readonly status: number; readonly body: unknown };
  };
}

/** A REST call carried over the agent socket. */
export interface RestTunnelRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

const TUNNEL_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether `method` is one the `rest` request carries. */
export function isTunnelMethod(method: string): method is RestTunnelRequest['method'] {
  return TUNNEL_METHODS.has(method);
}

/**
 * Why a path may not be carried over the agent socket, or null when it may:
 * relative, under `api/v1/` (sessions excluded: they set cookies) or `ecfs/RI/`,
 * with no dot segments, backslashes or fragments.
 */
export function tunnelPathProblem(path: string): string | null {
  if (path.length === 0 || path.length > 2048) return 'rest needs data.path of 1 to 2048 characters';
  const plain = 'rest needs a plain path: no dot segments, backslashes, blanks or fragments';
  if (/[\\#\s]/.test(path)) return plain;
  const raw = path.split('?')[0] ?? '';
  // Checked as written and as the router reads it: `api/v1/%61uth/` is `api/v1/auth/`.
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return 'rest needs a plain path: its percent-encoding is broken';
  }
  if (/[\\#\s?\0]/.test(decoded)) return plain;
  for (const route of [raw, decoded]) {
    if (!route.startsWith('api/v1/') && !route.startsWith('ecfs/RI/'))
      return 'rest carries paths under api/v1/ or ecfs/RI/ only';
    if (route.startsWith('api/v1/auth/') || route === 'api/v1/auth')
      return 'rest does not carry api/v1/auth/: log in and out over HTTP';
    if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(route) || route.includes('//')) return plain;
  }
  return null;
}

export type ClientRequestType = keyof ClientRequestMap;

/** One request frame from the panel. */
export type ClientRequest = {
  [K in ClientRequestType]: { readonly id: string; readonly type: K; readonly data: ClientRequestMap[K]['data'] };
}[ClientRequestType];

/** The reply to one request. */
export type ServerReply =
  | { readonly re: string; readonly ok: true; readonly data: unknown }
  | { readonly re: string; readonly ok: false; readonly error: ErrorPayload };

/** Any frame the server sends. */
export type ServerFrame = ServerEvent | ServerReply;

/** The largest frame a panel may send, in bytes; larger frames close the socket. */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/**
 * Parses a request frame from the panel. Returns `null` when the envelope is
 * malformed; returns `{id, error}` when the envelope is fine but the request is
 * not, so the server can answer with a clear message.
 */
export function parseClientRequest(
  data: unknown,
): ClientRequest | { readonly id: string; readonly error: string } | null {
  if (!isRecord(data) || typeof data['id'] !== 'string' || data['id'].length === 0 || data['id'].length > 64)
    return null;
  const id = data['id'];
  const body = data['data'];
  switch (data['type']) {
    case 'resume':
      if (!isRecord(body) || !Number.isSafeInteger(body['last_seq']) || (body['last_seq'] as number) < 0) {
        return { id, error: 'resume needs data.last_seq, a non-negative integer' };
      }
      return { id, type: 'resume', data: { last_seq: body['last_seq'] as number } };
    case 'ping':
      return { id, type: 'ping', data: null };
    case 'typing':
      if (
        !isRecord(body) ||
        typeof body['interaction_id'] !== 'string' ||
        !/^[0-9a-f]{32}$/.test(body['interaction_id'])
      )
        return { id, error: 'typing needs data.interaction_id, an interaction id' };
      return { id, type: 'typing', data: { interaction_id: body['interaction_id'] } };
    case 'media.offer':
      if (!isRecord(body) || typeof body['sdp'] !== 'string' || body['sdp'].length === 0 || body['sdp'].length > 16384)
        return { id, error: 'media.offer needs data.sdp, a WebRTC offer of at most 16 KB' };
      return { id, type: 'media.offer', data: { sdp: body['sdp'] } };
    case 'rest': {
      if (!isRecord(body) || typeof body['method'] !== 'string' || !isTunnelMethod(body['method']))
        return { id, error: 'rest needs data.method: GET, POST, PUT, PATCH or DELETE' };
      if (typeof body['path'] !== 'string') return { id, error: 'rest needs data.path, a string' };
      const problem = tunnelPathProblem(body['path']);
      if (problem) return { id, error: problem };
      const method = body['method'] as RestTunnelRequest['method'];
      return {
        id,
        type: 'rest',
        data: { method, path: body['path'], ...(body['body'] === undefined ? {} : { body: body['body'] }) },
      };
    }
    default:
      return { id, error: `unknown request type ${JSON.stringify(String(data['type']).slice(0, 40))}` };
  }
}

const SERVER_EVENT_TYPES: ReadonlySet<string> = new Set<ServerEventType>([
  'hello',
  'user',
  'agent',
  'interaction',
  'interactions',
  'typing',
  'station',
  'queues',
]);

/** Parses a frame from the server. Returns `null` when it is malformed. */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (!isRecord(data)) return null;
  if (typeof data['re'] === 'string') {
    if (data['ok'] === true) return { re: data['re'], ok: true, data: data['data'] };
    const error = parseErrorPayload(data['error']);
    return error ? { re: data['re'], ok: false, error } : null;
  }
  if (!Number.isSafeInteger(data['seq']) || typeof data['type'] !== 'string' || !isRecord(data['data'])) return null;
  if (!SERVER_EVENT_TYPES.has(data['type'])) return null;
  return data as unknown as ServerEvent;
}

/**
 * Why the server ended an agent's session, as the close frame (4001) says it:
 * a supervisor's forced logout names the supervisor (`forced_logout:<name>`),
 * so the agent is told who signed them out; anything else is plain text.
 */
export type SessionEnd =
  { readonly reason: 'forced_logout'; readonly by: string } | { readonly reason: 'ended'; readonly detail: string };

const FORCED_LOGOUT = 'forced_logout:';

/** The close reason of a forced logout (at most 123 bytes, as WebSocket allows). */
export function forcedLogoutReason(byName: string): string {
  let bytes = FORCED_LOGOUT.length;
  let name = '';
  for (const ch of byName) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes > 123) break;
    name += ch;
  }
  return FORCED_LOGOUT + name;
}

/** Reads a session's close reason. */
export function parseSessionEnd(reason: string): SessionEnd {
  return reason.startsWith(FORCED_LOGOUT)
    ? { reason: 'forced_logout', by: reason.slice(FORCED_LOGOUT.length) }
    : { reason: 'ended', detail: reason };
}
