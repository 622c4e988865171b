/**
 * `load()`: puts the panel iframe into the host page and returns a typed
 * {@link Panel}. Touches `window` only when called, so importing the SDK is
 * safe in server-side rendering.
 */
import type {
  ChannelType,
  Contact,
  Credentials,
  DetailSubject,
  Interaction,
  Message,
  Queue,
  User,
} from '@parley/protocol';
import { PanelClient } from './client.ts';
import { ParleyError } from './errors.ts';
import type { PanelEvents } from './events.ts';
import { frameMessenger } from './messenger.ts';

/** What `callState` may do to a call. */
export type CallAction = 'hold' | 'unhold' | 'mute' | 'unmute' | 'startRecording' | 'stopRecording';

/** Options of {@link load}. */
export interface LoadOptions {
  /** The tenant base URL, e.g. `https://parley.example.com/`; http or https. */
  readonly baseUrl: string;
  /** The element (or its id) the panel iframe goes into. */
  readonly container: string | HTMLElement;
  /** Credentials handed to the panel after the handshake; a function is called again whenever they are needed. */
  readonly auth?: Credentials | (() => Credentials | Promise<Credentials>);
  /** Called with every event, as `(name, ...args)`. */
  readonly onEvent?: (name: keyof PanelEvents, ...args: unknown[]) => void;
  /** Also deliver hold/mute/recording changes (`interaction:channel`). */
  readonly enableChannelStatusUpdates?: boolean;
  /** Never offer the pop-out window. */
  readonly denyPopout?: boolean;
  /** Below this size (px) the panel switches to its compact view. Defaults 500 × 400. */
  readonly minWidth?: number;
  readonly minHeight?: number;
  /** Per-request timeout in ms (default 10,000). */
  readonly timeoutMs?: number;
  /** Log protocol details to the console (never credentials). */
  readonly debug?: boolean;
  /** Show the SSO page (waits for a token from `auth`) instead of the login form. */
  readonly sso?: boolean;
  /**
   * A page whose origin the tenant does not allow: `reject` (default) fails
   * with `origin_not_allowed` before framing; `warn` writes one console
   * warning and frames anyway (the CPC facade, as CPC.js does).
   */
  readonly refused?: 'reject' | 'warn';
}

/** A loaded panel: typed commands, typed events. */
export interface Panel {
  /** The logged-in user, or `null` until `ready`. */
  readonly currentUser: User | null;
  /** True while an agent is logged in and the panel accepts commands. */
  readonly isInitialized: boolean;
  /** The tenant base URL, normalised to end with `/`. */
  readonly baseUrl: string;
  /** The iframe element. */
  readonly frame: HTMLIFrameElement;
  /** Resolves with the user once an agent is logged in. */
  readonly ready: Promise<User>;
  /** Subscribes to an event; returns an unsubscribe function. */
  on<K extends keyof PanelEvents>(name: K, listener: PanelEvents[K]): () => void;
  /** Subscribes to the next occurrence of an event. */
  once<K extends keyof PanelEvents>(name: K, listener: PanelEvents[K]): () => void;
  off<K extends keyof PanelEvents>(name: K, listener: PanelEvents[K]): void;
  /** Subscribes to every event. */
  onAny(listener: (name: keyof PanelEvents, ...args: unknown[]) => void): () => void;
  /** Details from the panel: the user, interactions, queues, … */
  getDetails(subject: 'user'): Promise<User>;
  getDetails(subject: 'interactions'): Promise<Interaction[]>;
  getDetails(subject: 'interaction' | 'activeInteraction'): Promise<Interaction | null>;
  getDetails(subject: 'queues'): Promise<Queue[]>;
  getDetails(subject: DetailSubject | string): Promise<unknown>;
  /** Sets the agent ready or not ready (with an optional not-ready reason code). */
  setReady(ready: boolean, reason?: string): Promise<User>;
  /** Switches the agent's presence profile, by id or exact name. */
  setPresence(profile: string): Promise<User>;
  /** The queues the agent serves, all or of one channel. */
  getQueues(channel?: ChannelType): Promise<Queue[]>;
  /** A CPC REST interface call made by the panel with the agent's session (no CORS or cookies needed on the host). */
  ri<T = unknown>(
    api: 'rci' | 'rmi',
    method: string,
    resource: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** The agent's open interactions (with their `date_*` timestamps), as the panel reported them. */
  ongoingInteractions(): Interaction[];
  /** Whether the agent has an open interaction (of a channel). */
  hasOngoingInteraction(channel?: ChannelType): boolean;
  /** The id of the interaction in view, or null. */
  readonly activeInteractionId: string | null;
  /** Offer and conversation actions; an omitted id means the interaction in view. */
  accept(interactionId?: string): Promise<Interaction>;
  reject(interactionId?: string): Promise<Interaction>;
  hangup(interactionId?: string): Promise<Interaction>;
  /** Finishes wrap-up. */
  handle(interactionId?: string): Promise<Interaction>;
  /** Takes a waiting contact from the picklist. */
  pick(contactId: string): Promise<Interaction>;
  callState(action: CallAction, interactionId?: string): Promise<Interaction>;
  hold(interactionId?: string): Promise<Interaction>;
  unhold(interactionId?: string): Promise<Interaction>;
  mute(interactionId?: string): Promise<Interaction>;
  unmute(interactionId?: string): Promise<Interaction>;
  startRecording(interactionId?: string): Promise<Interaction>;
  stopRecording(interactionId?: string): Promise<Interaction>;
  /** Consults a queue address, a username or a number; the customer waits (a call goes on hold). */
  consult(to: string, interactionId?: string): Promise<Interaction>;
  cancelConsult(interactionId?: string): Promise<Interaction>;
  /** Joins the customer with the consulted party and leaves. */
  joinCalls(interactionId?: string): Promise<Interaction>;
  conference(interactionId?: string): Promise<Interaction>;
  /** Blind transfer to a queue address, a username or a number. */
  transfer(to: string, interactionId?: string): Promise<Interaction>;
  dtmf(tones: string, interactionId?: string): Promise<Interaction>;
  /** Writes to the customer of a chat. */
  message(content: string, interactionId?: string): Promise<Message>;
  /** Sets a wrap-up code and notes. */
  wrapUp(wrapup: { code?: string; notes?: string }, interactionId?: string): Promise<Interaction>;
  /** Places a call; `from` is an address of a queue the agent serves (caller id). */
  callOut(to: string, from?: string): Promise<Interaction>;
  /** An SMS: `direct: true` sends `content` from `from` at once; otherwise the panel opens a prefilled draft. */
  sendSMS(sms: { to: string; from?: string; content?: string; direct?: boolean }): Promise<Interaction>;
  /** A WhatsApp chat: the first message to a number (or after 24 h) must be the template `defaultReplyTemplateId`. */
  startWhatsAppChat(chat: {
    to: string;
    from?: string;
    content?: string;
    direct?: boolean;
    defaultReplyTemplateId?: string;
  }): Promise<Interaction>;
  sendEmail(email: {
    to: string[];
    from?: string;
    subject?: string;
    content?: string;
    direct?: boolean;
  }): Promise<Interaction>;
  /** Contacts waiting in the agent's queues. */
  picklist(limit?: number, queueId?: string): Promise<Contact[]>;
  /** Logs the agent in with credentials (ext `authenticate`). */
  authenticate(credentials: Credentials): Promise<User>;
  /** Logs the agent out. */
  logout(): Promise<void>;
  /** Sends a raw protocol action (escape hatch for commands this SDK version does not wrap). */
  send<T = unknown>(
    command: string,
    fields?: { interactionId?: string; value?: unknown; limit?: number; queueId?: string },
  ): Promise<T>;
  /** Removes the iframe; pending requests fail with `panel_unavailable`. */
  unload(): void;
}

/** Checks and normalises a base URL; throws `invalid_argument` for anything but http(s). */
export function normalizeBaseUrl(baseUrl: unknown): string {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new ParleyError('invalid_argument', `baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ParleyError('invalid_argument', 'baseUrl must be an http or https URL');
  }
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Builds the iframe URL with the panel's query parameters. */
export function panelUrl(
  baseUrl: string,
  options: Omit<LoadOptions, 'baseUrl' | 'container'>,
  hostOrigin: string,
): string {
  const params = new URLSearchParams({ host: hostOrigin });
  if (options.denyPopout) params.set('denyPopout', 'true');
  if (options.minWidth !== undefined) params.set('minWidth', String(options.minWidth));
  if (options.minHeight !== undefined) params.set('minHeight', String(options.minHeight));
  if (options.debug) params.set('debug', 'true');
  return `${baseUrl}panel/${options.sso ? 'embedded_sso' : 'embedded'}?${params}`;
}

/**
 * Loads the panel into `container` and resolves once the panel document is
 * up. Rejects with a {@link ParleyError} (`invalid_argument`) for a bad base
 * URL or container; never throws synchronously.
 */
export async function load(options: LoadOptions): Promise<Panel> {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const container =
    typeof options.container === 'string' ? document.getElementById(options.container) : options.container;
  if (!container)
    throw new ParleyError('invalid_argument', `container ${JSON.stringify(options.container)} was not found`);
  const panelOrigin = new URL(baseUrl).origin;
  const debug = options.debug ? (m: string) => console.debug(`[parley] ${m}`) : () => undefined;
  if (!(await embedAllowed(baseUrl, options.timeoutMs ?? 10_000))) {
    const message = `${location.origin} may not embed the panel: add it to the tenant's allowed host origins (PARLEY_ALLOWED_ORIGINS)`;
    if (options.refused === 'warn') console.warn(`[parley] ${message}`);
    else throw new ParleyError('origin_not_allowed', message);
  }

  const frame = document.createElement('iframe');
  frame.src = panelUrl(baseUrl, options, location.origin);
  frame.allow = 'microphone; autoplay';
  frame.title = 'Parley Communication Panel';
  frame.style.cssText = 'border:0;width:100%;height:100%;display:block';

  const client = new PanelClient(frameMessenger(window, frame, panelOrigin, debug), {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    enableChannelStatusUpdates: options.enableChannelStatusUpdates === true,
    debug,
  });
  if (options.onEvent) client.onAny(options.onEvent);
  const ready = new Promise<User>((resolve) => client.once('ready', resolve));

  const loaded = new Promise<void>((resolve) => {
    frame.addEventListener('load', () => {
      client.connected();
      resolve();
    });
  });
  container.appendChild(frame);
  await loaded;

  return createPanel(client, { baseUrl, frame, ready });
}

/** Asks the server whether this page may frame the panel; an unreachable server is not a refusal. */
async function embedAllowed(baseUrl: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}panel/embed-check`, {
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return !res.ok || (await res.json()).allowed !== false;
  } catch {
    return true;
  }
}

/**
 * The Panel over a connected client: every method is one protocol command.
 * Kept apart from {@link load} (which needs a DOM) so it is unit-tested.
 */
export function createPanel(
  client: PanelClient,
  parts: { baseUrl: string; frame: HTMLIFrameElement; ready: Promise<User> },
): Panel {
  const { baseUrl, frame, ready } = parts;
  /** A command about one interaction (the one in view when `id` is omitted). */
  const on = (command: string, value?: unknown, id?: string) =>
    client.request(command, { ...(value === undefined ? {} : { value }), ...(id ? { interactionId: id } : {}) });
  const act = (value: string) => (id?: string) => on('interaction', value, id);
  const call = (value: string) => (id?: string) => on('callState', value, id);

  return {
    get currentUser() {
      return client.currentUser;
    },
    get isInitialized() {
      return client.initialized;
    },
    baseUrl,
    frame,
    ready,
    on: (name, listener) => client.on(name, listener),
    once: (name, listener) => client.once(name, listener),
    off: (name, listener) => client.off(name, listener),
    onAny: (listener) => client.onAny(listener),
    getDetails: (subject: string) => client.request('detail', { value: subject }),
    authenticate: (credentials) => client.request<User>('authenticate', { value: credentials }),
    setReady: (ready: boolean, reason?: string) =>
      client.request<User>('ready', { value: reason === undefined ? { ready } : { ready, reason } }),
    setPresence: (profile: string) => client.request<User>('presence', { value: profile }),
    getQueues: async (channel?: string) =>
      (await client.request<Queue[]>('detail', { value: 'queues' })).filter((q) => !channel || q.type === channel),
    ri: (api: string, method: string, resource: string, body?: unknown) =>
      client.request('ri', { value: body === undefined ? { api, method, resource } : { api, method, resource, body } }),
    logout: async () => {
      client.loggingOut = true;
      await client.request('logout');
    },
    send: (command, fields) => client.request(command, fields),
    ongoingInteractions: () => [...client.interactions.values()],
    hasOngoingInteraction: (channel?: string) =>
      [...client.interactions.values()].some((i) => !channel || i.channel_type === channel),
    get activeInteractionId() {
      return client.activeId;
    },
    accept: act('accept'),
    reject: act('reject'),
    hangup: act('hangup'),
    handle: act('handle'),
    pick: act('pick'),
    cancelConsult: act('cancel_consult'),
    conference: act('conference'),
    callState: (action: string, id?: string) => on('callState', action, id),
    hold: call('hold'),
    unhold: call('unhold'),
    mute: call('mute'),
    unmute: call('unmute'),
    startRecording: call('startRecording'),
    stopRecording: call('stopRecording'),
    consult: (to: string, id?: string) => on('consult', { to }, id),
    joinCalls: (id?: string) => on('join', undefined, id),
    transfer: (to: string, id?: string) => on('transfer', { to }, id),
    dtmf: (content: string, id?: string) => on('dtmf', { content }, id),
    message: (content: string, id?: string) => on('message', { content }, id),
    wrapUp: (wrapup: object, id?: string) => on('wrapup', wrapup, id),
    callOut: (to: string, from?: string) => on('outbound', { channel: 'phone', to, ...(from ? { from } : {}) }),
    sendSMS: (sms: object) => on('outbound', { ...sms, channel: 'sms' }),
    startWhatsAppChat: (chat: object) => on('outbound', { ...chat, channel: 'whatsapp' }),
    sendEmail: (email: object) => on('outbound', { ...email, channel: 'email' }),
    picklist: (limit?: number, queueId?: string) =>
      client.request('picklist', { ...(limit === undefined ? {} : { limit }), ...(queueId ? { queueId } : {}) }),
    unload() {
      client.dispose();
      frame.remove();
    },
  } as Panel;
}
