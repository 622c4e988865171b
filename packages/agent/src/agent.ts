/**
 * The headless agent client: `Agent.connect({ baseUrl, token | getToken })`
 * signs in with a bearer token (an agent token from the integrator's
 * backend, docs/headless.md), opens the agent socket (the token in a
 * subprotocol, never in the URL) and keeps the agent's interactions as the
 * server reports them. It emits the same events as the panel-mode SDK
 * (`AgentEventMap`) and fails every call with a `CommandError` carrying the
 * catalogue's code. The host page owns the UI.
 *
 * `agent.audio` is the voice station in the host page (audio.ts): started
 * on demand (or with `connect({ audio })`), re-attached on every reconnect.
 */
import type { AgentEventMap, Interaction, Message, ServerEvent, SessionEnd, User } from '@parley/protocol';
import { Emitter, emitState, emitStatus } from '@parley/protocol';
import type { ChannelType } from '@parley/protocol';
import type { ActionRequest } from '@parley/protocol/rest';
import { AgentAudio, type StationLike } from './audio.ts';
import { CommandError } from './errors.ts';
import { RestClient } from './rest.ts';
import { AgentSession } from './session.ts';
import { AgentSocket, type ConnectionState, type SocketHandlers } from './socket.ts';

export interface ConnectOptions {
  /** The tenant's base URL, e.g. `https://parley.example/` or `https://parley.example/t/acme/`. */
  readonly baseUrl: string;
  /** An agent token (POST /api/v1/agent-tokens) or a session token. */
  readonly token?: string;
  /**
   * Asked for a token when there is none, and again whenever the session
   * ends (the token expired or was revoked): calls made meanwhile wait up to
   * 10 s for the new one, then fail with `token_expired`.
   */
  readonly getToken?: () => Promise<string>;
  /** Tests in Node pass their own socket; browsers use `WebSocket`. */
  readonly openSocket?: (url: string, handlers: SocketHandlers, protocols: () => string[]) => SocketLike;
  /**
   * Start the voice station once connected: `true` hands the far end's track
   * to the host (`agent.audio.on('track')`), `'play'` also plays it. Off by
   * default: `agent.audio.start()` does it later (the microphone prompt comes then).
   */
  readonly audio?: boolean | 'play';
  /** Tests pass their own station; browsers use WebRTC. */
  readonly station?: () => StationLike;
  /**
   * `oidc`: the tokens are access tokens from an identity provider the
   * tenant accepts, exchanged for a Parley session. JWTs are recognised
   * without it; opaque provider tokens need it. By default, Parley tokens.
   */
  readonly tokenKind?: 'parley' | 'oidc';
}

/** Where a transfer or consult goes: a queue, an agent, a number, or an address (a queue address, a username or a number). */
export type Target = { queue_id: string } | { agent_id: string } | { number: string } | { address: string };

/** An outbound conversation (docs/rest-api.md, `POST api/v1/interactions`). */
export interface OutboundOptions {
  readonly channel: ChannelType;
  readonly to: string;
  readonly from?: string;
  readonly queue_id?: string;
  readonly subject?: string;
  /** Send this first message at once (SMS, WhatsApp, email). */
  readonly content?: string;
  readonly template_id?: string;
  readonly cc?: readonly string[];
}

/** What the client needs of the agent socket. */
export interface SocketLike {
  connect(): void;
  close(): void;
  readonly open: boolean;
  request(type: string, data: unknown): Promise<unknown>;
}

/** The headless client's events: the shared agent events, and its own. */
export interface AgentEvents extends AgentEventMap {
  /**
   * The server ended the session (logout elsewhere, expiry, a forced logout):
   * the client is closed. A forced logout names the supervisor (`{reason: 'forced_logout', by}`).
   */
  'session:ended': (end: SessionEnd) => void;
  /**
   * Any change to one of the agent's interactions, before the status events
   * it means: the server's event name (`held`, `consult_accepted`…, or
   * `snapshot` after a reconnect) and the interaction as it is now.
   */
  'interaction:update': (update: { event: string; interaction: Interaction }) => void;
  /**
   * Another client of the same agent attached a newer voice station and now
   * carries the calls (`active: false`); or that one went away and this
   * client's station serves again (`active: true`).
   */
  multi_login: (event: { active: boolean }) => void;
  /** The agent as the server reports them, on every change (state, reason, who changed it, presence…). */
  'agent:user': (user: User) => void;
}

/** How long connect() waits for the server's hello. */
const HELLO_MS = 10_000;
/** How long calls wait for a new token after the session ended. */
const REFRESH_MS = 10_000;
/** How long before the session's end the client asks for a new token (at most half the time left). */
const RENEW_AHEAD_MS = 60_000;
/** When renewing ahead found no token, the next try. */
const RETRY_RENEW_MS = 15_000;

export class Agent extends Emitter<AgentEvents> {
  readonly #rest: RestClient;
  readonly #session: AgentSession;
  #closed = false;
  #hello: ((ok: boolean) => void) | null = null;
  readonly #getToken: (() => Promise<string>) | undefined;
  /** While a new token is being fetched: resolves true once the client is signed in again. */
  #refreshing: Promise<boolean> | null = null;
  #renewTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #user: User;
  readonly #oidc: boolean;
  /** The voice station in the host page: the far end's track and the microphone. */
  readonly audio: AgentAudio;

  private constructor(
    rest: RestClient,
    user: User,
    open: (handlers: SocketHandlers) => SocketLike,
    getToken: (() => Promise<string>) | undefined,
    station: (() => StationLike) | undefined,
    oidc: boolean,
  ) {
    super();
    this.#oidc = oidc;
    this.#rest = rest;
    this.#getToken = getToken;
    this.#user = user;
    this.audio = new AgentAudio(() => (sdp) => this.#session.offerMedia(sdp), station ? () => station() : undefined);
    this.#session = new AgentSession(
      (handlers) => {
        const socket = open(handlers);
        rest.carry(socket);
        return socket;
      },
      {
        states: (payloads) => {
          for (const p of payloads) {
            emitState(this, p);
            // Screen-pop: an offer's customer card follows as `interaction:customer`.
            if (p.attribute === 'status' && p.value === 'incoming' && p.interaction.customer_id)
              void rest.customerCard(p.interaction.id).then(
                (card) => emitState(this, { attribute: 'customer', value: card, interaction: p.interaction }),
                () => undefined,
              );
          }
        },
        statuses: (changes) => {
          for (const change of changes) emitStatus(this, change);
        },
        user: (u, before) => {
          if (before) this.emit('agent:user', u);
        },
        update: (update) => this.emit('interaction:update', update),
        frame: (event) => this.#onFrame(event),
        connection: (state) => this.emit('connection', state),
        ended: (end) => {
          // A supervisor's logout stands: no fresh token signs the agent back in behind their back.
          if (this.#hello || !this.#getToken || end.reason === 'forced_logout') return this.#ended(end);
          void this.#refresh();
        },
      },
    );
  }

  /** Signs in with the token and resolves once the server has sent the agent's state. */
  static async connect(options: ConnectOptions): Promise<Agent> {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new CommandError('invalid_argument', 'baseUrl must be an absolute URL, e.g. https://parley.example/');
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:')
      throw new CommandError('invalid_argument', 'baseUrl must be an http(s) URL');
    const baseUrl = base.href.endsWith('/') ? base.href : `${base.href}/`;
    const token = options.token ?? (options.getToken ? await options.getToken() : undefined);
    if (typeof token !== 'string' || token === '')
      throw new CommandError('invalid_argument', 'connect needs a token, or getToken to fetch one');
    const rest = new RestClient(baseUrl);
    const oidc = options.tokenKind === 'oidc';
    const user = await signIn(rest, token, oidc);
    if (!user)
      throw new CommandError(
        'unauthorized',
        'The token was refused: ask your backend for a new agent token (or an access token from an issuer the tenant accepts).',
      );
    const wsUrl = `${baseUrl.replace(/^http/, 'ws')}ws/agent`;
    const protocols = () => ['parley.v1', `parley.bearer.${rest.token ?? token}`];
    const open = (handlers: SocketHandlers): SocketLike =>
      options.openSocket ? options.openSocket(wsUrl, handlers, protocols) : new AgentSocket(wsUrl, handlers, protocols);
    const agent = new Agent(rest, user, open, options.getToken, options.station, oidc);
    await agent.#start();
    if (options.audio) await agent.audio.start({ play: options.audio === 'play' });
    return agent;
  }

  async #start(): Promise<void> {
    const hello = new Promise<boolean>((resolve) => (this.#hello = resolve));
    this.#session.start(this.#user);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), HELLO_MS)));
    const ok = await Promise.race([hello, late]);
    clearTimeout(timer);
    this.#hello = null;
    if (!ok) {
      this.close();
      throw new CommandError(
        'unreachable',
        'The Parley server did not greet the agent socket; check baseUrl and the allowed origins.',
      );
    }
  }

  /** The signed-in agent, as the server last reported them. */
  get user(): User {
    return this.#session.user ?? this.#user;
  }

  /** The agent's open interactions, oldest first. */
  get interactions(): Interaction[] {
    return this.#session.conversations.list();
  }

  get connection(): ConnectionState {
    return this.#session.connection;
  }

  /** Ready for contacts, or not ready with a reason code. */
  async setReady(ready: boolean, reason?: string): Promise<User> {
    this.#session.setUser(await this.#call(() => this.#rest.setReady(ready, reason)));
    return this.user;
  }

  accept(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'accept' });
  }
  reject(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'reject' });
  }
  hold(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'hold' });
  }
  unhold(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'unhold' });
  }
  mute(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'mute' });
  }
  unmute(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'unmute' });
  }
  hangup(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'hangup' });
  }
  /** Blind transfer to a queue, an agent or a number (one of them). */
  transfer(to: Target, interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'transfer', to });
  }
  consult(to: Target, interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'consult', to });
  }
  /** Ends a consultation: the consulted party leaves, the customer comes off hold. */
  cancelConsult(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'cancel_consult' });
  }
  /** Connects the customer with the consulted party; the agent's part ends into wrap-up. */
  join(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'join' });
  }
  /** Keeps customer, agent and consulted party together. */
  conference(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'conference' });
  }
  /** Starts (or resumes) the call's recording. */
  startRecording(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'start_recording' });
  }
  /** Pauses the call's recording (a later start resumes it). */
  stopRecording(interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'stop_recording' });
  }
  /** Sets a wrap-up code and notes without ending the wrap-up. */
  dispose(disposition: { code?: string; notes?: string }, interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'wrapup', ...disposition });
  }
  /** Ends wrap-up with a disposition. */
  wrapUp(disposition: { code?: string; notes?: string } = {}, interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'handle', ...disposition });
  }
  /** Tones into the call. */
  dtmf(digits: string, interactionId?: string): Promise<Interaction> {
    return this.#act(interactionId, { action: 'dtmf', digits });
  }

  /** Writes into a conversation (chat, SMS, WhatsApp; email with a subject). */
  async message(content: string, interactionId?: string): Promise<Message> {
    const id = this.#target(interactionId);
    return this.#call(() => this.#rest.sendMessage(id, { content, client_message_id: requestId() }));
  }

  /** Starts a call (or an SMS, WhatsApp or email conversation with `channel`). */
  callOut(to: string, from?: string): Promise<Interaction> {
    return this.outbound({ channel: 'phone', to, ...(from ? { from } : {}) });
  }
  outbound(body: OutboundOptions): Promise<Interaction> {
    const { cc, ...rest } = body;
    return this.#call(() => this.#rest.outbound({ ...rest, ...(cc ? { cc: [...cc] } : {}), request_id: requestId() }));
  }

  /** Any REST route as this agent (see RestClient.call), with the token renewal the typed calls have. */
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    return this.#call(() => this.#rest.call(method, path, body));
  }

  /** Ends the session (the agent goes offline unless signed in elsewhere) and closes the client. */
  async logout(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#rest.logout();
    } finally {
      this.close();
    }
  }

  /** Closes the socket; the session stays (the token is the integrator's to end). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#renewTimer);
    this.audio.stop();
    this.#session.close();
    this.#rest.carry(null);
  }

  /** Async, so every failure is a rejected promise, never an exception thrown into the host page. */
  async #act(interactionId: string | undefined, body: Omit<ActionRequest, 'request_id'>): Promise<Interaction> {
    const id = this.#target(interactionId);
    return this.#call(() => this.#rest.act(id, { ...body, request_id: requestId() }));
  }

  /** The interaction a call is about: the given one, else the one in view. */
  #target(interactionId: string | undefined): string {
    if (this.#closed) throw new CommandError('invalid_state', 'This agent client is closed; connect again.');
    if (interactionId !== undefined) return interactionId;
    const active = this.#session.conversations.active;
    if (!active) throw new CommandError('not_found', 'No interaction is in view; pass its id.');
    return active.id;
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    if (this.#refreshing && !(await this.#refreshing)) throw expired();
    if (this.#closed) throw new CommandError('invalid_state', 'This agent client is closed; connect again.');
    try {
      return await run();
    } catch (err) {
      // The token ran out under this call: with a new one it is tried once more.
      const refused = err instanceof CommandError && (err.code === 'unauthorized' || err.code === 'not_logged_in');
      if (!refused || !this.#getToken || this.#closed) throw err;
      if (!(await this.#refresh())) throw expired();
      return run();
    }
  }

  /** Asks getToken for a new token and signs in again (one at a time); false when none came in time. */
  #refresh(): Promise<boolean> {
    this.#refreshing ??= this.#signInAgain().then((ok) => {
      this.#refreshing = null;
      if (!ok) this.#ended();
      return ok;
    });
    return this.#refreshing;
  }

  /** The same ahead of the session's end: without a new token the old session still works, so it tries again later. */
  #renew(): void {
    if (this.#refreshing || this.#closed) return;
    this.#refreshing = this.#signInAgain().then((ok) => {
      this.#refreshing = null;
      if (!ok && !this.#closed) this.#renewTimer = setTimeout(() => this.#renew(), RETRY_RENEW_MS);
      return true;
    });
  }

  async #signInAgain(): Promise<boolean> {
    const getToken = this.#getToken;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (!getToken) return false;
      const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), REFRESH_MS)));
      const token = await Promise.race([getToken().catch(() => null), late]);
      if (typeof token !== 'string' || token === '' || this.#closed) return false;
      const user = await signIn(this.#rest, token, this.#oidc).catch(() => null);
      if (!user) return false;
      this.#session.setUser(user);
      // A fresh connection with the new token (the old one's session is over, or about to be):
      // its hello replaces the state, so nothing is lost.
      this.#session.reconnect();
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Asks getToken for a new token shortly before the session ends, so calls
   * never wait for one: a minute ahead, or half the time left when less.
   */
  #scheduleRenewal(expiresAt: string | undefined): void {
    clearTimeout(this.#renewTimer);
    const end = expiresAt ? Date.parse(expiresAt) : NaN;
    if (!this.#getToken || !Number.isFinite(end)) return;
    const left = end - Date.now();
    const wait = Math.max(1000, left - Math.min(RENEW_AHEAD_MS, left / 2));
    this.#renewTimer = setTimeout(() => this.#renew(), wait);
  }

  #ended(end: SessionEnd = { reason: 'ended', detail: 'session ended' }): void {
    this.#hello?.(false);
    if (this.#closed) return;
    this.close();
    this.emit('session:ended', end);
  }

  /** What is the client's own in a frame: the hello's greeting and session end, the station's owner. */
  #onFrame(event: ServerEvent): void {
    if (event.type === 'hello') {
      this.#hello?.(true);
      this.#scheduleRenewal(event.data.session_expires_at);
      // A new connection: the server dropped the station with the old one.
      this.audio.reattach();
    } else if (event.type === 'station') this.emit('multi_login', { active: event.data.active });
  }
}

/**
 * Signs the REST client in with a token: a Parley session (an agent token),
 * or an OIDC access token from an issuer the tenant accepts (a JWT, or any
 * token with `tokenKind: 'oidc'`), exchanged for a session (`POST
 * ecfs/authentication/`). Null when it is refused.
 */
async function signIn(rest: RestClient, token: string, oidc: boolean): Promise<User | null> {
  // A Parley token never goes to the OIDC exchange: with an opaque token the server would ask the issuers.
  if (oidc || JWT.test(token))
    // Refused is null; anything else (the server unreachable, a page Parley does not allow) says so.
    return rest.loginWithToken(token).catch((err: unknown) => {
      if (err instanceof CommandError && err.code === 'unauthorized') return null;
      throw err;
    });
  rest.adoptToken(token);
  return rest.me();
}

/** A JSON Web Token: three base64url parts (Parley's own tokens have no dots). */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A request id, so a call retried after a drop is not carried out twice (the prefix tells who sent it). */
export function requestId(prefix = 'a'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

const expired = () =>
  new CommandError('token_expired', 'The session ended and getToken gave no new token within 10 s; connect again.');
