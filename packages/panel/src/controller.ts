/**
 * The panel's state and the commands hosts can run. UI and bridge both talk
 * to this one object; it talks to the server through injected clients, so it
 * is unit-tested in Node.
 */
import type {
  ActionPayload,
  Contact,
  Interaction,
  Message,
  Queue,
  ServerEvent,
  StatePayload,
  User,
  AgentActionName,
} from '@parley/protocol';
import { DETAIL_SUBJECTS, isCommand, isHexId, isRecord, parseCredentials } from '@parley/protocol';
import { CommandError, type HostBridge } from './bridge/index.ts';
import type { ConnectionState, SocketHandlers, DirectoryEntry, ReasonCode } from './api/index.ts';
import { Conversations } from './conversations.ts';
import type { VoiceLike } from './voice.ts';

export type Phase = 'loading' | 'login' | 'ready';

export interface PanelState {
  readonly phase: Phase;
  readonly user: User | null;
  readonly connection: ConnectionState;
  readonly loginError: string | null;
  readonly busy: boolean;
  /** My Conversations: open interactions, oldest first. */
  readonly interactions: readonly Interaction[];
  /** The id of the interaction in view. */
  readonly active: string | null;
  /** Conversation messages by interaction id, oldest first (chat and message channels). */
  readonly messages: Readonly<Record<string, readonly Message[]>>;
  /** Prefilled answers (outbound with `direct: false`): interaction id → draft. */
  readonly drafts: Readonly<Record<string, Draft>>;
  /** Conversations whose customer is typing: interaction id → until when (ms). */
  readonly typing: Readonly<Record<string, number>>;
  /** Call audio: connected, not (yet) set up, or unavailable (no microphone, no WebRTC). */
  readonly audio: 'off' | 'connected' | 'unavailable';
  /** Keys the far party pressed, by call (from `dtmf_received` events). */
  readonly tones: Readonly<Record<string, string>>;
}

/** A message the agent is about to send; email adds a subject and addresses, WhatsApp may use a template. */
export interface Draft {
  readonly content: string;
  readonly subject?: string;
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly template_id?: string;
}

/** What the controller needs from the REST client. */
export interface RestLike {
  me(): Promise<User | null>;
  login(username: string, password: string): Promise<User>;
  loginWithToken(token: string): Promise<User>;
  logout(): Promise<void>;
  setReady(ready: boolean, reason?: string): Promise<User>;
  setPresence(profile: string): Promise<User>;
  updateMe(patch: { language?: string; theme?: { dark: boolean; primary: string } }): Promise<User>;
  myQueues(): Promise<Queue[]>;
  popoutToken(): Promise<string>;
  endSession(token: string): Promise<void>;
  ri(api: string, method: string, resource: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  interactions(): Promise<Interaction[]>;
  messages(id: string): Promise<Message[]>;
  sendMessage(id: string, body: Record<string, unknown>): Promise<Message>;
  markRead(id: string, messageId: string): Promise<void>;
  readonly baseUrl: string;
  templates(): Promise<Array<{ id: string; name: string; body: string }>>;
  directory(): Promise<DirectoryEntry[]>;
  allQueues(): Promise<Queue[]>;
  reasonCodes(kind: 'not_ready' | 'wrap_up'): Promise<ReasonCode[]>;
  interaction(id: string): Promise<Interaction>;
  act(id: string, body: Record<string, unknown>): Promise<Interaction>;
  outbound(body: Record<string, unknown>): Promise<Interaction>;
  picklist(limit: number, queueIds?: string): Promise<Contact[]>;
  pick(id: string): Promise<Interaction>;
}

/** `callState` values and the REST actions they are. */
const CALL_STATE_ACTIONS: Readonly<Record<string, AgentActionName>> = {
  hold: 'hold',
  unhold: 'unhold',
  mute: 'mute',
  unmute: 'unmute',
  startRecording: 'start_recording',
  stopRecording: 'stop_recording',
};
/** `interaction` values: the design's, plus (ext) `cancel_consult` and `conference`. */
const INTERACTION_ACTIONS = [
  'accept',
  'reject',
  'hangup',
  'handle',
  'pick',
  'cancel_consult',
  'conference',
] as const satisfies ReadonlyArray<AgentActionName | 'pick'>;

const RI_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** What the controller needs from the WebSocket client. */
export interface SocketLike {
  connect(): void;
  close(): void;
  typing?(interactionId: string): void;
  /** A request answered by the server (the media offer). */
  request?(type: string, data: unknown): Promise<unknown>;
}

/** How often call quality goes to the host during a call, ms. */
export const QUALITY_EVERY_MS = 5000;

/** How long a typing indicator shows after the last news of it, ms. */
export const TYPING_SHOWN_MS = 4000;

export interface ControllerDeps {
  readonly rest: RestLike;
  readonly openSocket: (handlers: SocketHandlers) => SocketLike;
  /** Call audio; left out where there is none (Node tests, browsers without WebRTC). */
  readonly voice?: VoiceLike;
}

export class PanelController {
  #state: PanelState = {
    phase: 'loading',
    user: null,
    connection: 'offline',
    loginError: null,
    busy: false,
    interactions: [],
    active: null,
    messages: {},
    drafts: {},
    typing: {},
    audio: 'off',
    tones: {},
  };
  readonly #conversations = new Conversations(() => this.#state.user?.id ?? null);
  readonly #typingSent = new Map<string, number>();
  /** Sessions handed to pop-out windows. */
  readonly #popouts: string[] = [];
  readonly #listeners = new Set<(state: PanelState) => void>();
  readonly #deps: ControllerDeps;
  #socket: SocketLike | null = null;
  #qualityTimer: ReturnType<typeof setInterval> | null = null;
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

  /** A session for a pop-out window of this panel; it ends when this panel logs out. */
  async popoutToken(): Promise<string> {
    const token = await this.#deps.rest.popoutToken();
    this.#popouts.push(token);
    return token;
  }

  /** Logs out everywhere this session is used, pop-outs included. */
  async logout(): Promise<void> {
    this.#socket?.close();
    this.#socket = null;
    for (const token of this.#popouts.splice(0)) await this.#deps.rest.endSession(token).catch(() => undefined);
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
      case 'interaction': {
        const v = action.value;
        if (typeof v !== 'string' || !(INTERACTION_ACTIONS as readonly string[]).includes(v))
          throw new CommandError('invalid_argument', `interaction needs value ${INTERACTION_ACTIONS.join(', ')}`);
        const id = this.#target(action.interactionId, v === 'pick');
        return v === 'pick' ? this.#deps.rest.pick(id) : this.#act(id, { action: v });
      }
      case 'callState': {
        const v = action.value;
        const mapped = typeof v === 'string' ? CALL_STATE_ACTIONS[v] : undefined;
        if (!mapped)
          throw new CommandError(
            'invalid_argument',
            `callState needs value ${Object.keys(CALL_STATE_ACTIONS).join(', ')}`,
          );
        return this.#act(this.#target(action.interactionId), { action: mapped });
      }
      case 'transfer':
      case 'consult':
        return this.#act(this.#target(action.interactionId), {
          action: action.command,
          to: parseTarget(action.value, action.command),
        });
      case 'join':
        return this.#act(this.#target(action.interactionId), { action: 'join' });
      case 'wrapup': {
        const v = action.value;
        if (
          !isRecord(v) ||
          (v['code'] !== undefined && typeof v['code'] !== 'string') ||
          (v['notes'] !== undefined && typeof v['notes'] !== 'string')
        )
          throw new CommandError('invalid_argument', 'wrapup needs {code?: string, notes?: string}');
        return this.#act(this.#target(action.interactionId), {
          action: 'wrapup',
          ...(v['code'] === undefined ? {} : { code: v['code'] }),
          ...(v['notes'] === undefined ? {} : { notes: v['notes'] }),
        });
      }
      case 'picklist': {
        const limit = action.limit ?? 100;
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
          throw new CommandError('invalid_argument', 'picklist limit must be an integer from 1 to 1000');
        const queues = action.queueId;
        if (queues !== undefined && (typeof queues !== 'string' || !/^[0-9a-f]{32}(,[0-9a-f]{32})*$/.test(queues)))
          throw new CommandError('invalid_argument', 'picklist queueId must be a queue id or several, comma-separated');
        return this.#deps.rest.picklist(limit, queues);
      }
      case 'outbound':
        return this.#outbound(action.value);
      case 'dtmf': {
        const v = action.value;
        const digits = isRecord(v) ? v['content'] : undefined;
        if (typeof digits !== 'string' || !/^[0-9*#A-D]{1,32}$/.test(digits))
          throw new CommandError('invalid_argument', 'dtmf needs value {content}: tones 0-9 * # A-D');
        return this.#act(this.#target(action.interactionId), { action: 'dtmf', digits });
      }
      case 'message': {
        const v = action.value;
        const content = isRecord(v) ? v['content'] : undefined;
        if (typeof content !== 'string' || content.trim() === '' || content.length > 4000)
          throw new CommandError('invalid_argument', 'message needs value {content}: 1–4000 characters');
        return this.#send(this.#target(action.interactionId), { content });
      }
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

  /** Light or dark, kept on the server so every panel of the agent follows; the host hears of it. */
  async setDark(dark: boolean): Promise<void> {
    const user = this.#state.user;
    if (user) this.#applyUser(await this.#deps.rest.updateMe({ theme: { ...user.theme, dark } }));
  }

  /** The panel's language, kept on the server; the host hears of it. */
  async setLanguage(language: string): Promise<void> {
    this.#applyUser(await this.#deps.rest.updateMe({ language }));
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
    if (subject === 'interactions') return this.#conversations.list();
    if (subject === 'interaction' || subject === 'activeInteraction') return this.#conversations.active;
    if (subject === 'queue') {
      const queueId = this.#conversations.active?.queue_id;
      if (!queueId) return null;
      return this.#deps.rest.myQueues().then((queues) => queues.find((q) => q.id === queueId) ?? null);
    }
    if (subject === 'transcript') {
      const active = this.#conversations.active;
      return active ? this.loadMessages(active.id) : [];
    }
    // Calls ring at the panel's own WebRTC station; without audio there is no extension.
    if (subject === 'activeExtension') return this.#state.audio === 'connected' ? 'panel' : '';
    if (typeof subject === 'string' && isHexId(subject))
      return this.#conversations.get(subject) ?? this.#deps.rest.interaction(subject);
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

  /** Sets up the agent's media leg on every new connection (the server drops it with the old one). */
  #attachVoice(): void {
    const voice = this.#deps.voice;
    const socket = this.#socket;
    if (!voice || !socket?.request) return;
    const request = socket.request.bind(socket);
    voice
      .attach(async (sdp) => {
        const answer = (await request('media.offer', { sdp })) as { sdp?: unknown } | null;
        if (typeof answer?.sdp !== 'string') throw new Error('the server sent no answer');
        return answer.sdp;
      })
      .then(() => this.#set({ audio: 'connected' }))
      .catch((err: unknown) => {
        this.#set({ audio: 'unavailable' });
        console.warn('[parley] call audio is unavailable:', err instanceof Error ? err.message : err);
      });
  }

  /** Rings while a call is offered, and reports call quality while one is in progress. */
  #voiceFollows(): void {
    const voice = this.#deps.voice;
    if (!voice) return;
    const calls = this.#state.interactions.filter((i) => i.channel_type === 'phone');
    voice.ring(calls.some((i) => i.direction === 'inbound' && i.state === 'alerting'));
    const talking = calls.some((i) => i.state === 'accepted' || i.state === 'held');
    if (talking && !this.#qualityTimer) {
      this.#qualityTimer = setInterval(() => void this.#reportQuality(), QUALITY_EVERY_MS);
    } else if (!talking && this.#qualityTimer) {
      clearInterval(this.#qualityTimer);
      this.#qualityTimer = null;
    }
  }

  async #reportQuality(): Promise<void> {
    const quality = await this.#deps.voice?.quality().catch(() => null);
    if (!quality) return;
    for (const interaction of this.#state.interactions) {
      if (interaction.channel_type === 'phone' && interaction.state === 'accepted')
        this.#bridge?.emitState({ attribute: 'call_quality', value: quality, interaction });
    }
  }

  #loggedOut(): void {
    this.#deps.voice?.close();
    if (this.#qualityTimer) clearInterval(this.#qualityTimer);
    this.#qualityTimer = null;
    this.#socket?.close();
    this.#socket = null;
    this.#conversations.reset([], 0);
    this.#set({ phase: 'login', user: null, busy: false, interactions: [], active: null });
    this.#bridge?.setLoggedIn(false);
    this.#bridge?.emitStatus({ attribute: 'work_status', value: 'offline' });
  }

  #onServerEvent(event: ServerEvent): void {
    switch (event.type) {
      case 'hello':
        this.#applyUser(event.data.user);
        this.#emitStates(this.#conversations.reset(event.data.interactions, event.data.event_seq));
        this.#attachVoice();
        this.#voiceFollows();
        return;
      case 'user':
        this.#applyUser(event.data.user);
        return;
      case 'interaction': {
        const message =
          event.data.event === 'message' || event.data.event === 'message_status'
            ? event.data.detail?.['message']
            : undefined;
        if (isRecord(message)) {
          this.#addMessages(event.data.interaction.id, [message as unknown as Message]);
          const { [event.data.interaction.id]: _done, ...typing } = this.#state.typing;
          if (message['direction'] === 'in') this.#set({ typing });
        }
        this.#emitStates(
          this.#conversations.apply(event.data, { channelStatus: this.#bridge?.channelStatusUpdates ?? false }),
        );
        if (event.data.event === 'dtmf_received' && typeof event.data.detail?.['digits'] === 'string') {
          const id = event.data.interaction.id;
          const keys = `${this.#state.tones[id] ?? ''}${event.data.detail['digits']}`.slice(-32);
          this.#set({ tones: { ...this.#state.tones, [id]: keys } });
        }
        if (event.data.interaction.channel_type === 'phone') this.#voiceFollows();
        return;
      }
      case 'interactions':
        this.#emitStates(this.#conversations.reset(event.data.interactions, event.data.event_seq));
        this.#voiceFollows();
        return;
      case 'typing': {
        const id = event.data.interaction_id;
        this.#set({ typing: { ...this.#state.typing, [id]: Date.now() + TYPING_SHOWN_MS } });
        return;
      }
      case 'agent':
        // Agent frames feed the supervisor view, which arrives with the full panel.
        return;
    }
  }

  /** What the UI's dialogs list: the directory, every queue, my queues, wrap-up codes, waiting contacts. */
  readonly lookups = {
    directory: (): Promise<DirectoryEntry[]> => this.#deps.rest.directory(),
    queues: (): Promise<Queue[]> => this.#deps.rest.allQueues(),
    myQueues: (): Promise<Queue[]> => this.#deps.rest.myQueues(),
    wrapupCodes: (): Promise<ReasonCode[]> => this.#deps.rest.reasonCodes('wrap_up'),
    picklist: (): Promise<Contact[]> => this.#deps.rest.picklist(50),
  };

  /** Picks a waiting contact (UI); returns an error message or null. */
  async uiPick(id: string): Promise<string | null> {
    try {
      await this.#deps.rest.pick(id);
      return null;
    } catch (err) {
      return err instanceof CommandError ? err.message : 'Something went wrong.';
    }
  }

  /** Starts an outbound interaction (UI); returns an error message or null. */
  async uiOutbound(value: { channel: string; to: string; from?: string }): Promise<string | null> {
    try {
      await this.#outbound(value);
      return null;
    } catch (err) {
      return err instanceof CommandError ? err.message : 'Something went wrong.';
    }
  }

  /** Loads a conversation's messages (once shown, new ones arrive as frames). */
  async loadMessages(id: string): Promise<readonly Message[]> {
    const messages = await this.#deps.rest.messages(id);
    this.#addMessages(id, messages);
    return this.#state.messages[id] ?? [];
  }

  /** The agent is typing an answer (UI): the customer hears of it, at most every 2 s. */
  typing(interactionId: string): void {
    const now = Date.now();
    if ((this.#typingSent.get(interactionId) ?? 0) > now - 2000) return;
    this.#typingSent.set(interactionId, now);
    this.#socket?.typing?.(interactionId);
  }

  /** Writes to the customer (UI); returns an error message (with its code) or null. */
  async uiSend(id: string, draft: Draft): Promise<string | null> {
    try {
      await this.#send(id, draft);
      const { [id]: _sent, ...drafts } = this.#state.drafts;
      this.#set({ drafts });
      return null;
    } catch (err) {
      return err instanceof CommandError ? err.message : 'Something went wrong.';
    }
  }

  async #send(id: string, draft: Draft): Promise<Message> {
    if (this.#state.connection !== 'online')
      throw new CommandError('unreachable', 'The panel is reconnecting to the server; try again in a moment.');
    const message = await this.#deps.rest.sendMessage(id, { ...draft, client_message_id: requestId() });
    this.#addMessages(id, [message]);
    return message;
  }

  /** The agent sees the customer's messages up to this one (the chat's read receipt). */
  markRead(id: string, messageId: string): void {
    void this.#deps.rest.markRead(id, messageId).catch(() => undefined);
  }

  /** Where an attachment downloads (with the panel's session). */
  attachmentUrl(attachmentId: string): string {
    return `${this.#deps.rest.baseUrl}api/v1/attachments/${encodeURIComponent(attachmentId)}`;
  }

  /** WhatsApp templates (for the first message to a number, or after 24 hours). */
  templates(): Promise<Array<{ id: string; name: string; body: string }>> {
    return this.#deps.rest.templates();
  }

  /** Merges messages into an interaction's list, once each, in order; a newer copy (status) replaces the old. */
  #addMessages(id: string, incoming: readonly Message[]): void {
    const byId = new Map((this.#state.messages[id] ?? []).map((m) => [m.id, m]));
    let changed = false;
    for (const m of incoming) {
      const before = byId.get(m.id);
      if (before && before.status === m.status) continue;
      byId.set(m.id, m);
      changed = true;
    }
    if (!changed) return;
    const merged = [...byId.values()].sort((a, b) => a.created.localeCompare(b.created));
    this.#set({ messages: { ...this.#state.messages, [id]: merged } });
  }

  /** Puts an interaction in view (UI). */
  show(id: string): void {
    this.#emitStates(this.#conversations.show(id));
  }

  /** An action on an interaction from the UI; failures are returned for the UI to show. */
  async uiAct(id: string, body: Record<string, unknown>): Promise<string | null> {
    try {
      await this.#act(id, body);
      return null;
    } catch (err) {
      return err instanceof CommandError ? err.message : 'Something went wrong.';
    }
  }

  /** Runs an interaction action; the server's answer updates the list at once (the frame may follow). */
  async #act(id: string, body: Record<string, unknown>): Promise<Interaction> {
    if (this.#state.connection !== 'online')
      throw new CommandError('unreachable', 'The panel is reconnecting to the server; try again in a moment.');
    return this.#deps.rest.act(id, { ...body, request_id: requestId() });
  }

  /** The interaction a command is about: the given id, else the one in view. */
  #target(interactionId: string | undefined, anyId = false): string {
    if (interactionId !== undefined) {
      if (!isHexId(interactionId))
        throw new CommandError('invalid_argument', 'interactionId must be 32 hex characters');
      if (!anyId && !this.#conversations.get(interactionId))
        throw new CommandError('not_found', `No open interaction ${interactionId} in this panel.`);
      return interactionId;
    }
    const active = this.#conversations.active;
    if (!active) throw new CommandError('not_found', 'No interaction is in view; pass interactionId.');
    return active.id;
  }

  async #outbound(value: unknown): Promise<Interaction> {
    if (!isRecord(value)) throw new CommandError('invalid_argument', 'outbound needs {channel, to, from?}');
    const channel = value['channel'];
    if (channel !== 'phone' && channel !== 'sms' && channel !== 'whatsapp' && channel !== 'email')
      throw new CommandError('invalid_argument', 'outbound channel must be phone, sms, whatsapp or email');
    const rawTo = value['to'];
    const recipients = channel === 'email' && Array.isArray(rawTo) ? rawTo : [rawTo];
    const [to, ...moreTo] = recipients;
    if (typeof to !== 'string' || to.length === 0 || moreTo.some((r) => typeof r !== 'string' || r === ''))
      throw new CommandError(
        'invalid_argument',
        channel === 'email' ? 'outbound email needs to: [address, …]' : 'outbound needs to',
      );
    const from = value['from'];
    if (from !== undefined && typeof from !== 'string')
      throw new CommandError('invalid_argument', 'outbound from must be an address of a queue you serve');
    const content = value['content'];
    const subject = value['subject'];
    const template = value['defaultReplyTemplateId'] ?? value['template_id'];
    if (content !== undefined && typeof content !== 'string')
      throw new CommandError('invalid_argument', 'outbound content must be text');
    if (subject !== undefined && typeof subject !== 'string')
      throw new CommandError('invalid_argument', 'outbound subject must be text');
    if (template !== undefined && (typeof template !== 'string' || channel !== 'whatsapp'))
      throw new CommandError('invalid_argument', 'defaultReplyTemplateId is a WhatsApp template id');
    const direct = value['direct'] === true;
    if (direct) {
      if (channel === 'phone') throw new CommandError('invalid_argument', 'a call has no direct content');
      if (channel !== 'whatsapp' && !content?.trim())
        throw new CommandError('invalid_argument', `direct: true needs content (the ${channel} to send)`);
      if (channel === 'whatsapp' && !content?.trim() && !template)
        throw new CommandError('invalid_argument', 'direct: true needs content or defaultReplyTemplateId');
      if (channel === 'email' && !subject?.trim())
        throw new CommandError('invalid_argument', 'direct: true needs a subject for an email');
      if ((channel === 'sms' || channel === 'whatsapp') && from === undefined)
        throw new CommandError('invalid_argument', 'direct: true needs from (the queue number to send from)');
    }
    const interaction = await this.#deps.rest.outbound({
      channel,
      to,
      ...(from === undefined ? {} : { from }),
      ...(subject === undefined ? {} : { subject }),
      ...(moreTo.length ? { cc: moreTo } : {}),
      ...(direct && content ? { content } : {}),
      ...(direct && template ? { template_id: template } : {}),
      request_id: requestId(),
    });
    // Not direct: the panel opens the conversation with the text prefilled for the agent to check and send.
    if (!direct && (content !== undefined || template !== undefined || subject !== undefined || moreTo.length > 0)) {
      const draft: Draft = {
        content: content ?? '',
        ...(subject ? { subject } : {}),
        // Every address the host gave is a recipient of the email the agent sends.
        ...(moreTo.length > 0 ? { to: recipients as string[] } : {}),
        ...(typeof template === 'string' ? { template_id: template } : {}),
      };
      this.#set({ drafts: { ...this.#state.drafts, [interaction.id]: draft } });
    }
    return interaction;
  }

  #emitStates(events: readonly StatePayload[]): void {
    this.#set({ interactions: this.#conversations.list(), active: this.#conversations.active?.id ?? null });
    for (const e of events) this.#bridge?.emitState(e);
  }

  #set(patch: Partial<PanelState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }
}

/** A transfer or consult target: a string (queue address, username or number) or `{to}` of one. */
function parseTarget(value: unknown, command: string): Record<string, string> {
  const to = isRecord(value) ? value['to'] : value;
  if (typeof to === 'string' && to.length > 0 && to.length <= 320) return { address: to };
  if (isRecord(to)) {
    for (const key of ['queue_id', 'agent_id', 'number', 'address'] as const)
      if (typeof to[key] === 'string' && Object.keys(to).length === 1) return { [key]: to[key] as string };
  }
  throw new CommandError('invalid_argument', `${command} needs value {to}: a queue address, a username or a number`);
}

/** A fresh client request id, so a retried action is not carried out twice. */
function requestId(): string {
  return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
