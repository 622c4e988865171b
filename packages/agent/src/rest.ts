/**
 * Calls to Parley's REST API, same origin, with the session cookie. While
 * the agent socket is open, calls travel over it (`rest` requests): same
 * routes and answers, without an HTTP round trip each. Errors come back as
 * {@link CommandError}s carrying the server's code.
 */
import type { ActionRequest, MessageRequest, OutboundRequest } from '@parley/protocol/rest';
import type {
  AgentPreferences,
  CannedResponse,
  ConferenceParty,
  Contact,
  CustomerCard,
  Interaction,
  Message,
  MissedEntry,
  Note,
  Queue,
  RestTunnelRequest,
  User,
} from '@parley/protocol';
import { isErrorCode, isRecord, isTunnelMethod, MAX_CLIENT_FRAME_BYTES, tunnelPathProblem } from '@parley/protocol';
import { CommandError } from './errors.ts';

/** One person in the directory. */
export interface DirectoryEntry {
  readonly id: string;
  readonly username: string;
  readonly display_name: string;
  readonly work_status: string;
}

/** A not-ready reason or a wrap-up code. */
export interface ReasonCode {
  readonly id: string;
  readonly code: string;
  readonly label: string;
}

/** Where the session token is kept between page loads (sessionStorage; null when storage is unavailable). */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What can carry REST calls: the agent socket. */
export interface RestCarrier {
  readonly open: boolean;
  request(type: 'rest', data: RestTunnelRequest): Promise<unknown>;
}

/** Room in a socket frame for the envelope around a carried call's body. */
const ENVELOPE_BYTES = 4096;

/** What a call answers, over HTTP (a fetch Response) or over the socket (already parsed). */
interface Answer {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
}

/**
 * The session token is the fallback where the browser refuses the session
 * cookie, even partitioned: it is kept in sessionStorage (partitioned per top
 * site like the frame itself) and sent as `Authorization: Bearer`.
 */
export class RestClient {
  #token: string | null;
  readonly #key: string;
  #carrier: RestCarrier | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly store: TokenStore | null = null,
  ) {
    this.#key = `parley.session.${baseUrl}`;
    this.#token = store?.getItem(this.#key) ?? null;
  }

  /** Sends calls over this socket while it is open (null: always HTTP). */
  carry(carrier: RestCarrier | null): void {
    this.#carrier = carrier;
  }

  /** The session token, when the server handed one out. */
  get token(): string | null {
    return this.#token;
  }

  #setToken(token: string | null): void {
    this.#token = token;
    try {
      if (token) this.store?.setItem(this.#key, token);
      else this.store?.removeItem(this.#key);
    } catch {
      // Storage refused (quota, privacy mode): the token lives in memory only.
    }
  }

  /** The logged-in user, or null when there is no session. */
  async me(): Promise<User | null> {
    const res = await this.#fetch('GET', 'api/v1/me');
    if (res.status === 401) {
      this.#setToken(null);
      return null;
    }
    return (await this.#json(res)) as User;
  }

  /** Logs in with a password; the server sets the session cookie. */
  async login(username: string, password: string): Promise<User> {
    const res = await this.#fetch('POST', 'api/v1/auth/login', { username, password });
    const body = (await this.#json(res)) as { user: User; token?: string };
    if (body.token) this.#setToken(body.token);
    return body.user;
  }

  /** Logs in with an OAuth token through the CPC endpoint (the tenant must accept its issuer). */
  async loginWithToken(token: string): Promise<User> {
    const res = await this.#fetch('POST', 'ecfs/authentication/', undefined, { authorization: `Bearer ${token}` });
    const body = (await this.#json(res)) as { user: User; token?: string };
    if (body.token) this.#setToken(body.token);
    return body.user;
  }

  /** Ready or not ready, with an optional not-ready reason code. */
  async setReady(ready: boolean, reason?: string): Promise<User> {
    return (await this.#json(
      await this.#fetch('PUT', 'api/v1/me/state', reason === undefined ? { ready } : { ready, reason }),
    )) as User;
  }

  /** Switches the presence profile (id or exact name). */
  async setPresence(profile: string): Promise<User> {
    return (await this.#json(await this.#fetch('PUT', 'api/v1/me/presence', { profile }))) as User;
  }

  /** Changes the agent's own display name, language or theme. */
  async updateMe(patch: {
    language?: string;
    theme?: { dark: boolean; primary: string };
    preferences?: AgentPreferences;
  }): Promise<User> {
    return (await this.#json(await this.#fetch('PATCH', 'api/v1/me', patch))) as User;
  }

  /** The queues the agent serves. */
  async myQueues(): Promise<Queue[]> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/me/queues'))) as Queue[];
  }

  /** A CPC RI call in the agent's context; answers with the status and body whatever the status. */
  async ri(api: string, method: string, resource: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const path = `ecfs/RI/${api}/${resource.replace(/^\/+/, '')}`;
    // The resolved URL must stay under the RI API: no `..` or `%2e%2e` walking to other paths.
    const url = new URL(path, this.baseUrl);
    if (!url.pathname.startsWith(new URL(`ecfs/RI/${api}/`, this.baseUrl).pathname)) {
      throw new CommandError('invalid_argument', 'ri resource must stay within the RI API');
    }
    const res = await this.#fetch(method, path, body);
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** The agent's open interactions. */
  async interactions(): Promise<Interaction[]> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/interactions'))) as Interaction[];
  }

  /** One interaction of the agent. */
  async interaction(id: string): Promise<Interaction> {
    return (await this.#json(await this.#fetch('GET', `api/v1/interactions/${encodeURIComponent(id)}`))) as Interaction;
  }

  /** An action on one of the agent's interactions (`{action, …}`, docs/rest-api.md). */
  async act(id: string, body: ActionRequest): Promise<Interaction> {
    const path = `api/v1/interactions/${encodeURIComponent(id)}/actions`;
    return (await this.#json(await this.#fetch('POST', path, body))) as Interaction;
  }

  /** The messages of an interaction's conversation. */
  async messages(id: string): Promise<Message[]> {
    const path = `api/v1/interactions/${encodeURIComponent(id)}/messages`;
    return (await this.#json(await this.#fetch('GET', path))) as Message[];
  }

  /** Writes to the customer of a conversation (`{content, client_message_id, subject?, to?, cc?, template_id?}`). */
  async sendMessage(id: string, body: MessageRequest): Promise<Message> {
    const path = `api/v1/interactions/${encodeURIComponent(id)}/messages`;
    return (await this.#json(await this.#fetch('POST', path, body))) as Message;
  }

  /** The agent saw the customer's messages up to this one. */
  async markRead(id: string, messageId: string): Promise<void> {
    const path = `api/v1/interactions/${encodeURIComponent(id)}/read`;
    await this.#json(await this.#fetch('POST', path, { message_id: messageId }));
  }

  /** The tenant's WhatsApp templates. */
  async templates(): Promise<Array<{ id: string; name: string; body: string }>> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/whatsapp/templates'))) as Array<{
      id: string;
      name: string;
      body: string;
    }>;
  }

  /** Starts an outbound interaction. */
  async outbound(body: OutboundRequest): Promise<Interaction> {
    return (await this.#json(await this.#fetch('POST', 'api/v1/interactions', body))) as Interaction;
  }

  /** Contacts waiting in the agent's queues. */
  async picklist(limit: number, queueIds?: string): Promise<Contact[]> {
    const query = new URLSearchParams({ limit: String(limit), ...(queueIds ? { queue_id: queueIds } : {}) });
    return (await this.#json(await this.#fetch('GET', `api/v1/contacts?${query}`))) as Contact[];
  }

  /** Takes a waiting contact. */
  async pick(id: string): Promise<Interaction> {
    const path = `api/v1/contacts/${encodeURIComponent(id)}/pick`;
    return (await this.#json(await this.#fetch('POST', path, {}))) as Interaction;
  }

  /** The tenant's directory: who is there and their work status. */
  async directory(): Promise<DirectoryEntry[]> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/users'))) as DirectoryEntry[];
  }

  /** Every queue of the tenant (transfer and consult targets). */
  async allQueues(): Promise<Queue[]> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/queues'))) as Queue[];
  }

  /** Reason codes of one kind. */
  async reasonCodes(kind: 'not_ready' | 'wrap_up'): Promise<ReasonCode[]> {
    return (await this.#json(await this.#fetch('GET', `api/v1/reason-codes?kind=${kind}`))) as ReasonCode[];
  }

  /** The customer card of an interaction: who, what came with the contact, their history. */
  async customerCard(interactionId: string): Promise<CustomerCard> {
    return (await this.#json(
      await this.#fetch('GET', `api/v1/interactions/${interactionId}/customer`),
    )) as CustomerCard;
  }

  /** The internal notes on an interaction, oldest first. */
  async notes(interactionId: string): Promise<Note[]> {
    return (await this.#json(await this.#fetch('GET', `api/v1/interactions/${interactionId}/notes`))) as Note[];
  }

  /** Adds an internal note (never shown to the customer). */
  async addNote(interactionId: string, body: string): Promise<Note> {
    return (await this.#json(
      await this.#fetch('POST', `api/v1/interactions/${interactionId}/notes`, { body }),
    )) as Note;
  }

  /** Who is in an interaction's conference: the customer, and each agent or number on it. */
  async parties(interactionId: string): Promise<ConferenceParty[]> {
    return (await this.#json(
      await this.#fetch('GET', `api/v1/interactions/${interactionId}/parties`),
    )) as ConferenceParty[];
  }

  /** The agent's missed offers and their queues' abandoned contacts of the last 24 hours. */
  async missed(): Promise<MissedEntry[]> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/me/missed'))) as MissedEntry[];
  }

  /** The tenant's canned responses and the agent's own. */
  async cannedResponses(): Promise<CannedResponse[]> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/canned-responses'))) as CannedResponse[];
  }

  /**
   * Any route of the REST API as this agent (`api/v1/…`, docs/rest-api.md):
   * what the typed methods do not cover (teams, client logs). Answers the
   * parsed body; failures are CommandErrors with the server's code.
   */
  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    if (!/^api\/v1\/[A-Za-z0-9._~\-/?=&%,]*$/.test(path) || path.includes('..'))
      throw new CommandError('invalid_argument', 'path must be a route under api/v1/, e.g. api/v1/teams');
    return this.#json(await this.#fetch(method, path, body));
  }

  /** A second session for the panel's pop-out window (handed over by postMessage, never put in a URL). */
  async popoutToken(): Promise<string> {
    const body = (await this.#json(await this.#fetch('POST', 'api/v1/auth/popout'))) as { token: string };
    return body.token;
  }

  /** Uses a session handed over by the embedded panel (pop-out window). */
  adoptToken(token: string): void {
    this.#setToken(token);
  }

  /** Ends another session of this agent (the pop-out's, when the embedded panel logs out). */
  async endSession(token: string): Promise<void> {
    await this.#fetch('POST', 'api/v1/auth/logout', undefined, { authorization: `Bearer ${token}` });
  }

  /** Ends the session. */
  async logout(): Promise<void> {
    try {
      await this.#fetch('POST', 'api/v1/auth/logout');
    } finally {
      this.#setToken(null);
    }
  }

  async #fetch(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const carrier = this.#carrier;
    if (
      carrier?.open &&
      Object.keys(headers).length === 0 &&
      isTunnelMethod(method) &&
      tunnelPathProblem(path) === null &&
      fitsInFrame(body)
    ) {
      const carried = await this.#carry(carrier, method, path, body);
      if (carried) return carried;
    }
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        headers: {
          ...(this.#token && !headers['authorization'] ? { authorization: `Bearer ${this.#token}` } : {}),
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new CommandError('unreachable', 'The Parley server cannot be reached.');
    }
  }

  /** One call over the socket; null when the server does not carry it (then HTTP does). */
  async #carry(
    carrier: RestCarrier,
    method: RestTunnelRequest['method'],
    path: string,
    body: unknown,
  ): Promise<Answer | null> {
    let reply: unknown;
    try {
      reply = await carrier.request('rest', { method, path, ...(body === undefined ? {} : { body }) });
    } catch (err) {
      const code = isRecord(err) ? err['code'] : undefined;
      // A server that does not carry calls at all: HTTP from now on, without asking each time.
      if (code === 'unsupported' && this.#carrier === carrier) this.#carrier = null;
      // Refused before it ran (an older server, a path it will not carry): HTTP instead.
      if (code === 'unsupported' || code === 'invalid_argument') return null;
      // Sent, and the connection dropped: it may have run, so it is not sent again.
      throw new CommandError('unreachable', 'The connection to the Parley server dropped; check and try again.');
    }
    if (!isRecord(reply) || typeof reply['status'] !== 'number' || reply['status'] < 200 || reply['status'] > 599)
      throw new CommandError('internal', 'The server sent a malformed answer.');
    const status = reply['status'];
    const parsed: unknown = reply['body'] ?? null;
    // Already parsed: no Response to build and read back (that alone cost about a millisecond).
    return { status, ok: status >= 200 && status < 300, json: () => Promise.resolve(parsed) };
  }

  async #json(res: Answer): Promise<unknown> {
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return body;
    const error = isRecord(body) && isRecord(body['error']) ? body['error'] : null;
    const code = error && isErrorCode(error['code']) ? error['code'] : 'internal';
    const message = error && typeof error['message'] === 'string' ? error['message'] : `HTTP ${res.status}`;
    throw new CommandError(code, message);
  }
}

/** Whether a body leaves room in one socket frame (larger frames close the socket): else it goes over HTTP. */
function fitsInFrame(body: unknown): boolean {
  if (body === undefined) return true;
  const json = JSON.stringify(body);
  // UTF-8 takes at most three bytes per UTF-16 unit: count exactly only when it could matter.
  if (json.length * 3 <= MAX_CLIENT_FRAME_BYTES - ENVELOPE_BYTES) return true;
  return new TextEncoder().encode(json).length <= MAX_CLIENT_FRAME_BYTES - ENVELOPE_BYTES;
}
