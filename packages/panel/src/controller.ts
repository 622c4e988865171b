/**
 * The panel's state and the commands hosts can run. UI and bridge both talk
 * to this one object; it talks to the server through injected clients, so it
 * is unit-tested in Node.
 */
import type {
  ActionPayload,
  AgentPreferences,
  ConferenceParty,
  Contact,
  Interaction,
  Message,
  Queue,
  ServerEvent,
  StatePayload,
  User,
} from '@parley/protocol';
import { isCommand, isHexId, parseCredentials, type Command } from '@parley/protocol';
import type { ActionRequest } from '@parley/protocol/rest';
import { CommandError, type HostBridge } from './bridge/index.ts';
import { type DirectoryEntry, type ReasonCode, AgentSession, CallAudio, mergeMessages } from '@parley/agent';
import {
  parseCallState,
  parseDtmf,
  parseInteractionAction,
  parseMessage,
  parseOutbound,
  parsePicklist,
  parsePresence,
  parseReady,
  parseRi,
  parseTarget,
  parseWrapup,
  requestId,
  type Draft,
} from './commands.ts';
import { INITIAL_STATE, type ControllerDeps, type PanelState, type SocketLike } from './panel-state.ts';
import { answerDetail } from './detail.ts';
import { react } from './server-events.ts';
import { t } from './i18n.ts';
import { addNotice, frameNotice, sessionNotice, userNotice, type NoticeInput } from './notices.ts';
import { Workspace } from './workspace.ts';

export type { Draft } from './commands.ts';
export type { ControllerDeps, PanelState, Phase, RestLike, SocketLike } from './panel-state.ts';
export { QUALITY_EVERY_MS } from '@parley/agent';

export { TYPING_SHOWN_MS } from './server-events.ts';

/** An action as the panel asks for it; the request id is added when it is sent. */
export type ActionBody = Omit<ActionRequest, 'request_id'>;

/** Runs a UI request: null when it worked, else the message to show (the server's words for its errors). */
async function failure(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (err) {
    return err instanceof CommandError ? err.message : 'Something went wrong.';
  }
}

export class PanelController {
  readonly #audio: CallAudio;
  #state: PanelState = INITIAL_STATE;

  /** The agent client's session: the socket, the user and the interaction store (@parley/agent). */
  readonly #session: AgentSession<SocketLike>;
  readonly #typingSent = new Map<string, number>();
  /** Sessions handed to pop-out windows. */
  readonly #popouts: string[] = [];
  readonly #listeners = new Set<(state: PanelState) => void>();
  readonly #deps: ControllerDeps;
  #bridge: HostBridge | null = null;
  #noticeSeq = 0;

  /** Customer cards, notes, unread counts, the missed list, canned responses, alerts. */
  readonly workspace: Workspace;

  constructor(deps: ControllerDeps) {
    this.#deps = deps;
    this.workspace = new Workspace(
      deps.rest,
      {
        get: () => this.#state,
        set: (patch) => this.#set(patch),
        emit: (payload) => this.#bridge?.emitState(payload),
        visible: deps.visible ?? (() => true),
      },
      deps.alerts,
    );
    this.#audio = new CallAudio(deps.voice, {
      audio: (audio) => this.#set({ audio }),
      quality: (value, interaction) => this.#bridge?.emitState({ attribute: 'call_quality', value, interaction }),
      interactions: () => this.#state.interactions,
    });
    this.#session = new AgentSession<SocketLike>(
      (handlers) => deps.openSocket(handlers),
      {
        states: (payloads) => this.#emitStates(payloads),
        statuses: (changes) => {
          for (const change of changes) this.#bridge?.emitStatus(change);
        },
        user: (user, before) => {
          this.#set({ user });
          this.#notify(userNotice(before, user));
        },
        frame: (event) => this.#onServerEvent(event),
        connection: (connection) => {
          this.#set({ connection });
          this.#bridge?.emitStatus({ attribute: 'connection', value: connection });
        },
        ended: (end) => {
          this.#loggedOut();
          this.#notify(sessionNotice(end));
        },
      },
      () => this.#bridge?.channelStatusUpdates ?? false,
    );
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
    this.#session.close();
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
    const run = this.#commands[action.command];
    if (!run)
      throw new CommandError(
        'unsupported',
        `The ${action.command} command is not available in this Parley version yet.`,
      );
    return run(action, user);
  };

  /** Host commands, once logged in: each checks its value (commands.ts) and does one thing. */
  readonly #commands: Partial<Record<Command, (action: ActionPayload, user: User) => unknown>> = {
    logout: async () => {
      await this.logout();
      return true;
    },
    detail: (a, user) => this.#detail(a.value, user),
    ready: async (a) => {
      const { ready, reason } = parseReady(a.value);
      return this.#applyUser(await this.#deps.rest.setReady(ready, reason));
    },
    presence: async (a) => this.#applyUser(await this.#deps.rest.setPresence(parsePresence(a.value))),
    ri: (a) => {
      const { api, method, resource, body } = parseRi(a.value);
      return this.#deps.rest.ri(api, method, resource, body);
    },
    interaction: (a) => {
      const v = parseInteractionAction(a.value);
      const id = this.#target(a.interactionId, v === 'pick');
      return v === 'pick' ? this.#deps.rest.pick(id) : this.#act(id, { action: v });
    },
    callState: (a) => {
      const action = parseCallState(a.value);
      return this.#act(this.#target(a.interactionId), { action });
    },
    transfer: (a) =>
      this.#act(this.#target(a.interactionId), { action: 'transfer', to: parseTarget(a.value, 'transfer') }),
    consult: (a) =>
      this.#act(this.#target(a.interactionId), { action: 'consult', to: parseTarget(a.value, 'consult') }),
    join: (a) => this.#act(this.#target(a.interactionId), { action: 'join' }),
    wrapup: (a) => {
      const disposition = parseWrapup(a.value);
      return this.#act(this.#target(a.interactionId), { action: 'wrapup', ...disposition });
    },
    picklist: (a) => {
      const { limit, queues } = parsePicklist(a.limit, a.queueId);
      return this.#deps.rest.picklist(limit, queues);
    },
    outbound: (a) => this.#outbound(a.value),
    dtmf: (a) => {
      const digits = parseDtmf(a.value);
      return this.#act(this.#target(a.interactionId), { action: 'dtmf', digits });
    },
    message: (a) => {
      const content = parseMessage(a.value);
      return this.#send(this.#target(a.interactionId), { content });
    },
  };

  /** Sets the agent's state; the host gets each change exactly once, whichever of REST or the socket tells first. */
  #applyUser(user: User): User {
    // The session's user hook puts it in the panel's state, once it changed.
    this.#session.setUser(user);
    return user;
  }

  /** Sets the agent ready, or not ready with one of the tenant's reasons (UI). */
  async setReady(ready: boolean, reason?: string): Promise<void> {
    this.#applyUser(await this.#deps.rest.setReady(ready, reason));
  }

  /** The agent read a notice. */
  dismiss(id: number): void {
    this.#set({ notices: this.#state.notices.filter((n) => n.id !== id) });
  }

  #notify(notice: NoticeInput | null): void {
    if (!notice) return;
    this.#set({ notices: addNotice(this.#state.notices, { ...notice, id: ++this.#noticeSeq }) });
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

  /** Keeps the agent's devices or shortcuts on the server: they follow the agent to any browser. */
  async savePreferences(preferences: AgentPreferences): Promise<void> {
    this.#applyUser(await this.#deps.rest.updateMe({ preferences }));
  }

  /** Switches the presence profile (UI). */
  async setPresence(profile: string): Promise<void> {
    this.#applyUser(await this.#deps.rest.setPresence(profile));
  }

  #detail(subject: unknown, user: User): unknown {
    return answerDetail(subject, user, {
      rest: this.#deps.rest,
      conversations: this.#session.conversations,
      audioConnected: this.#state.audio === 'connected',
      transcript: (id) => this.loadMessages(id),
    });
  }

  async #login(attempt: () => Promise<User>): Promise<User> {
    this.#set({ busy: true, loginError: null });
    try {
      const user = await attempt();
      this.#loggedIn(user);
      return user;
    } catch (err) {
      const error = err instanceof CommandError ? err : new CommandError('internal');
      // The reasons agents meet most, in their language; anything else as the server says it.
      const message =
        error.code === 'unauthorized'
          ? t('login.wrong')
          : error.code === 'rate_limited'
            ? t('login.tooMany')
            : error.message;
      this.#set({ busy: false, loginError: message });
      throw error;
    }
  }

  #loggedIn(user: User): void {
    this.#set({ phase: 'ready', user, busy: false, loginError: null });
    this.#session.start(user);
    this.#bridge?.setLoggedIn(true);
    void this.workspace.start();
  }

  /** Sets up the agent's media leg on every new connection (the server drops it with the old one). */
  #attachVoice(): void {
    this.#audio.attach(this.#session.socket?.request ? (sdp) => this.#session.offerMedia(sdp) : null);
  }

  #loggedOut(): void {
    this.#audio.close();
    this.#session.close();
    this.workspace.reset();
    this.#set({ phase: 'login', user: null, busy: false, interactions: [], active: null });
    this.#bridge?.setLoggedIn(false);
    this.#bridge?.emitStatus({ attribute: 'work_status', value: 'offline' });
  }

  /**
   * What a frame asks of the panel beyond the session's part (user and
   * interactions, applied already): messages, typing, caller keys, the
   * call audio (server-events.ts decides it).
   */
  #onServerEvent(event: ServerEvent): void {
    const r = react(this.#state, event, Date.now());
    if (r.messages) this.#addMessages(r.messages.interactionId, r.messages.messages);
    if (r.messages && r.frame?.event === 'message')
      for (const m of r.messages.messages) this.workspace.message(r.messages.interactionId, m);
    if (r.patch) this.#set(r.patch);
    if (event.type === 'interaction') this.#notify(frameNotice(event.data));
    if (r.attachVoice) this.#attachVoice();
    if (r.followAudio) this.#audio.follow();
  }

  /** What the UI's dialogs list: the directory, every queue, my queues, wrap-up codes, waiting contacts. */
  readonly lookups = {
    directory: (): Promise<DirectoryEntry[]> => this.#deps.rest.directory(),
    queues: (): Promise<Queue[]> => this.#deps.rest.allQueues(),
    myQueues: (): Promise<Queue[]> => this.#deps.rest.myQueues(),
    wrapupCodes: (): Promise<ReasonCode[]> => this.#deps.rest.reasonCodes('wrap_up'),
    notReadyReasons: (): Promise<ReasonCode[]> => this.#deps.rest.reasonCodes('not_ready'),
    picklist: (): Promise<Contact[]> => this.#deps.rest.picklist(50),
    parties: (id: string): Promise<ConferenceParty[]> => this.#deps.rest.parties(id),
  };

  /** Picks a waiting contact (UI); returns an error message or null. */
  uiPick(id: string): Promise<string | null> {
    return failure(() => this.#deps.rest.pick(id));
  }

  /** Starts an outbound interaction (UI); returns an error message or null. */
  uiOutbound(value: { channel: string; to: string; from?: string }): Promise<string | null> {
    return failure(() => this.#outbound(value));
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
    this.#session.socket?.typing?.(interactionId);
  }

  /** Writes to the customer (UI); returns an error message (with its code) or null. */
  uiSend(id: string, draft: Draft): Promise<string | null> {
    return failure(async () => {
      await this.#send(id, draft);
      const { [id]: _sent, ...drafts } = this.#state.drafts;
      this.#set({ drafts });
    });
  }

  async #send(id: string, draft: Draft): Promise<Message> {
    if (this.#state.connection !== 'online')
      throw new CommandError('unreachable', 'The panel is reconnecting to the server; try again in a moment.');
    const { to, cc, ...fields } = draft;
    const message = await this.#deps.rest.sendMessage(id, {
      ...fields,
      ...(to ? { to: [...to] } : {}),
      ...(cc ? { cc: [...cc] } : {}),
      client_message_id: requestId(),
    });
    this.#addMessages(id, [message]);
    return message;
  }

  /** The agent sees the customer's messages up to this one (the chat's read receipt). */
  markRead(id: string, messageId: string): void {
    void this.#deps.rest.markRead(id, messageId).catch(() => undefined);
  }

  /** Where an attachment downloads (with the panel's session). */
  attachmentUrl(attachmentId: string): string {
    return this.restUrl(`api/v1/attachments/${encodeURIComponent(attachmentId)}`);
  }

  /** A server path (`api/v1/…`) as a URL of this panel's server. */
  restUrl(path: string): string {
    return `${this.#deps.rest.baseUrl}${path}`;
  }

  /** WhatsApp templates (for the first message to a number, or after 24 hours). */
  templates(): Promise<Array<{ id: string; name: string; body: string }>> {
    return this.#deps.rest.templates();
  }

  /** Merges messages into an interaction's list, once each, in order; a newer copy (status) replaces the old. */
  #addMessages(id: string, incoming: readonly Message[]): void {
    const merged = mergeMessages(this.#state.messages[id] ?? [], incoming);
    if (merged) this.#set({ messages: { ...this.#state.messages, [id]: merged } });
  }

  /** Puts an interaction in view (UI). */
  show(id: string): void {
    this.#session.show(id);
    this.workspace.seen(id);
  }

  /** An action on an interaction from the UI; failures are returned for the UI to show. */
  uiAct(id: string, body: ActionBody): Promise<string | null> {
    return failure(() => this.#act(id, body));
  }

  /** Runs an interaction action; the server's answer updates the list at once (the frame may follow). */
  async #act(id: string, body: ActionBody): Promise<Interaction> {
    if (this.#state.connection !== 'online')
      throw new CommandError('unreachable', 'The panel is reconnecting to the server; try again in a moment.');
    return this.#deps.rest.act(id, { ...body, request_id: requestId() });
  }

  /** The interaction a command is about: the given id, else the one in view. */
  #target(interactionId: string | undefined, anyId = false): string {
    if (interactionId !== undefined) {
      if (!isHexId(interactionId))
        throw new CommandError('invalid_argument', 'interactionId must be 32 hex characters');
      if (!anyId && !this.#session.conversations.get(interactionId))
        throw new CommandError('not_found', `No open interaction ${interactionId} in this panel.`);
      return interactionId;
    }
    const active = this.#session.conversations.active;
    if (!active) throw new CommandError('not_found', 'No interaction is in view; pass interactionId.');
    return active.id;
  }

  async #outbound(value: unknown): Promise<Interaction> {
    const { body, draft } = parseOutbound(value);
    const interaction = await this.#deps.rest.outbound({ ...body, request_id: requestId() });
    // Not direct: the panel opens the conversation with the text prefilled for the agent to check and send.
    if (draft) this.#set({ drafts: { ...this.#state.drafts, [interaction.id]: draft } });
    return interaction;
  }

  #emitStates(events: readonly StatePayload[]): void {
    const conversations = this.#session.conversations;
    this.#set({ interactions: conversations.list(), active: conversations.active?.id ?? null });
    for (const e of events) this.#bridge?.emitState(e);
    this.workspace.observe(events);
  }

  #set(patch: Partial<PanelState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }
}
