/**
 * The panel's state and the commands hosts can run. UI and bridge both talk
 * to this one object; it talks to the server through injected clients, so it
 * is unit-tested in Node.
 */
import type { ActionPayload, Queue, ServerEvent, User } from '@parley/protocol';
import { DETAIL_SUBJECTS, isCommand, isRecord, parseCredentials } from '@parley/protocol';
import { CommandError, type HostBridge } from './bridge/index.ts';
import type { ConnectionState, SocketHandlers } from './api/socket.ts';

export type Phase = 'loading' | 'login' | 'ready';

export interface PanelState {
  readonly phase: Phase;
  readonly user: User | null;
  readonly connection: ConnectionState;
  readonly loginError: string | null;
  readonly busy: boolean;
}

/** What the controller needs from the REST client. */
export interface RestLike {
  me(): Promise<User | null>;
  login(username: string, password: string): Promise<User>;
  loginWithToken(token: string): Promise<User>;
  logout(): Promise<void>;
  setReady(ready: boolean, reason?: string): Promise<User>;
  setPresence(profile: string): Promise<User>;
  myQueues(): Promise<Queue[]>;
  ri(api: string, method: string, resource: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

const RI_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** What the controller needs from the WebSocket client. */
export interface SocketLike {
  connect(): void;
  close(): void;
}

export interface ControllerDeps {
  readonly rest: RestLike;
  readonly openSocket: (handlers: SocketHandlers) => SocketLike;
}

export class PanelController {
  #state: PanelState = { phase: 'loading', user: null, connection: 'offline', loginError: null, busy: false };
  readonly #listeners = new Set<(state: PanelState) => void>();
  readonly #deps: ControllerDeps;
  #socket: SocketLike | null = null;
  #bridge: HostBridge | null = null;

  constructor(deps: ControllerDeps) {
    this.#deps = deps;
  }

  get state(): PanelState {
    return this.#state;
  }

  /** Subscribes to state changes; returns an unsubscribe function. */
  subscribe(listener: (state: PanelState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Connects the host bridge (absent when the panel is not embedded). */
  attachBridge(bridge: HostBridge): void {
    this.#bridge = bridge;
    bridge.setLoggedIn(this.#state.phase === 'ready');
  }

  /** Resumes an existing session or shows the login form. */
  async start(): Promise<void> {
    const user = await this.#deps.rest.me().catch(() => null);
    if (user) this.#loggedIn(user);
    else this.#set({ phase: 'login' });
  }

  /** Logs in from the form; a failure shows on the form and does not throw. */
  async submitLogin(username: string, password: string): Promise<void> {
    try {
      await this.#login(() => this.#deps.rest.login(username, password));
    } catch {
      // #login already put the message on the form.
    }
  }

  /** Logs out everywhere this session is used. */
  async logout(): Promise<void> {
    this.#socket?.close();
    this.#socket = null;
    try {
      await this.#deps.rest.logout();
    } finally {
      this.#loggedOut();
    }
  }

  /** Runs one host command (the bridge's handler). */
  readonly handle = async (action: ActionPayload): Promise<unknown> => {
    if (!isCommand(action.command)) {
      throw new CommandError('invalid_argument', `unknown command ${JSON.stringify(action.command.slice(0, 40))}`);
    }
    if (action.command === 'authenticate') {
      const credentials = parseCredentials(action.value);
      if (!credentials) {
        throw new CommandError(
          'invalid_argument',
          'authenticate needs {basic: {userName, password}} or {oAuth: {token}}',
        );
      }
      if ('basic' in credentials) {
        const { userName, password } = credentials.basic;
        // A host that passes credentials on every load must not open a new session each time.
        if (this.#state.user?.username === userName) return this.#state.user;
        return this.#login(() => this.#deps.rest.login(userName, password));
      }
      return this.#login(() => this.#deps.rest.loginWithToken(credentials.oAuth.token));
    }
    const user = this.#state.user;
    if (this.#state.phase !== 'ready' || !user)
      throw new CommandError('not_logged_in', 'No agent is logged in to the panel yet.');
    switch (action.command) {
      case 'logout':
        await this.logout();
        return true;
      case 'detail':
        return this.#detail(action.value, user);
      case 'ready': {
        const v = action.value;
        if (
          !isRecord(v) ||
          typeof v['ready'] !== 'boolean' ||
          (v['reason'] !== undefined && typeof v['reason'] !== 'string')
        ) {
          throw new CommandError('invalid_argument', 'ready needs {ready: boolean, reason?: string}');
        }
        return this.#applyUser(await this.#deps.rest.setReady(v['ready'], v['reason'] as string | undefined));
      }
      case 'presence':
        if (typeof action.value !== 'string' || action.value === '') {
          throw new CommandError('invalid_argument', 'presence needs a profile id or exact name');
        }
        return this.#applyUser(await this.#deps.rest.setPresence(action.value));
      case 'ri':
        return this.#ri(action.value);
      default:
        throw new CommandError(
          'unsupported',
          `The ${action.command} command is not available in this Parley version yet.`,
        );
    }
  };

  /** Sets the agent's state; the host gets each change exactly once, whichever of REST or the socket tells first. */
  #applyUser(user: User): User {
    const before = this.#state.user;
    this.#set({ user });
    if (before && before.work_status !== user.work_status) {
      this.#bridge?.emitStatus({ attribute: 'work_status', value: user.work_status });
    }
    if (before && before.presence !== user.presence) {
      const profile = user.presence_profiles.find((p) => p.id === user.presence);
      if (profile) this.#bridge?.emitStatus({ attribute: 'profile', value: profile });
    }
    if (before && (before.theme.dark !== user.theme.dark || before.theme.primary !== user.theme.primary)) {
      this.#bridge?.emitStatus({ attribute: 'theme', value: user.theme });
    }
    if (before && before.language !== user.language)
      this.#bridge?.emitStatus({ attribute: 'language', value: user.language });
    return user;
  }

  /** Sets the agent ready or not ready (UI). */
  async setReady(ready: boolean): Promise<void> {
    this.#applyUser(await this.#deps.rest.setReady(ready));
  }

  /** Switches the presence profile (UI). */
  async setPresence(profile: string): Promise<void> {
    this.#applyUser(await this.#deps.rest.setPresence(profile));
  }

  async #ri(value: unknown): Promise<{ status: number; body: unknown }> {
    if (!isRecord(value)) throw new CommandError('invalid_argument', 'ri needs {api, method, resource, body?}');
    const { api, method, resource, body } = value;
    if (api !== 'rci' && api !== 'rmi') throw new CommandError('invalid_argument', 'ri api must be rci or rmi');
    const verb = typeof method === 'string' ? method.toUpperCase() : '';
    if (!(RI_METHODS as readonly string[]).includes(verb))
      throw new CommandError('invalid_argument', `ri method must be one of ${RI_METHODS.join(', ')}`);
    if (
      typeof resource !== 'string' ||
      !/^\/?[A-Za-z0-9._~!$&'()*+,;=:@%/-]*(\?[^#]*)?$/.test(resource) ||
      resource.includes('..')
    ) {
      throw new CommandError('invalid_argument', 'ri resource must be a relative path such as /queues');
    }
    return this.#deps.rest.ri(api, verb, resource, body);
  }

  #detail(subject: unknown, user: User): unknown {
    if (subject === 'user') return user;
    if (subject === 'queues') return this.#deps.rest.myQueues();
    // The queue of the active interaction: there is no interaction yet in this version.
    if (subject === 'queue') return null as Queue | null;
    // No interaction can exist yet in this version, so these are truthfully empty.
    if (subject === 'interactions') return [];
    if (subject === 'interaction' || subject === 'activeInteraction') return null;
    if (typeof subject === 'string' && (DETAIL_SUBJECTS as readonly string[]).includes(subject)) {
      throw new CommandError('unsupported', `detail ${subject} is not available in this Parley version yet.`);
    }
    throw new CommandError(
      'invalid_argument',
      `detail needs one of ${DETAIL_SUBJECTS.join(', ')} or an interaction id`,
    );
  }

  async #login(attempt: () => Promise<User>): Promise<User> {
    this.#set({ busy: true, loginError: null });
    try {
      const user = await attempt();
      this.#loggedIn(user);
      return user;
    } catch (err) {
      const error = err instanceof CommandError ? err : new CommandError('internal');
      this.#set({ busy: false, loginError: error.message });
      throw error;
    }
  }

  #loggedIn(user: User): void {
    this.#set({ phase: 'ready', user, busy: false, loginError: null });
    this.#socket?.close();
    this.#socket = this.#deps.openSocket({
      onEvent: (event) => this.#onServerEvent(event),
      onState: (connection) => {
        if (connection === this.#state.connection) return;
        this.#set({ connection });
        this.#bridge?.emitStatus({ attribute: 'connection', value: connection });
      },
      onSessionEnded: () => this.#loggedOut(),
    });
    this.#socket.connect();
    this.#bridge?.setLoggedIn(true);
  }

  #loggedOut(): void {
    this.#socket?.close();
    this.#socket = null;
    this.#set({ phase: 'login', user: null, busy: false });
    this.#bridge?.setLoggedIn(false);
    this.#bridge?.emitStatus({ attribute: 'work_status', value: 'offline' });
  }

  #onServerEvent(event: ServerEvent): void {
    switch (event.type) {
      case 'hello':
      case 'user':
        this.#applyUser(event.data.user);
        return;
      default:
        // Agent frames feed the supervisor view and interaction frames the conversation list,
        // which arrive with the full panel.
        return;
    }
  }

  #set(patch: Partial<PanelState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }
}
