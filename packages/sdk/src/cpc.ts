/**
 * The CPC-compatible facade: `window.CPC` / `window.CommunicationPanelControl`
 * with the same names, arguments and result conventions (a value or `false`,
 * never a throw) as the CPC API, running on Parley's SDK underneath.
 */
import type { PanelMessage, User } from '@parley/protocol';
import { load, type Panel } from './load.ts';

/** The configuration CPC's `load()` takes. */
export interface CpcLoadConfig {
  tenantBaseUrl: string;
  parentElement: string | HTMLElement;
  eventHandler?: (event: CpcEvent) => void;
  authentication?: { basic?: { userName: string; password: string }; oAuth?: { token: string } };
  enableDebugLog?: boolean;
  denyPopout?: boolean;
  minWidth?: number;
  minHeight?: number;
  enableChannelStatusUpdates?: boolean;
  useSsoLoginPage?: boolean;
}

/** What the host event handler receives: every panel message, plus the synthetic `cpc-onload` / `cpc-init`. */
export type CpcEvent = PanelMessage | { readonly type: 'cpc-onload' | 'cpc-init'; readonly payload: null };

export interface CpcApi {
  readonly isInitialized: boolean;
  readonly currentUser: User | null;
  /** Receives every event; may be replaced at any time. */
  hostAppEventHandler: ((event: CpcEvent) => void) | null;
  load(config: CpcLoadConfig): Promise<boolean>;
  init(): Promise<boolean>;
  getDetails(subject: string): Promise<unknown>;
  getTenantBaseUrl(): string | null;
  /** The id of the interaction in view, or null. */
  readonly activeInteractionId: string | null;
  authenticate_basic(userName: string, password: string): Promise<unknown>;
  authenticate_token(token: string): Promise<unknown>;
  callOut(destinationNumber: string, sourceQueueNumber?: string): Promise<unknown>;
  callState(action: string, interactionId?: string): Promise<unknown>;
  consult(to: string, interactionId?: string): Promise<unknown>;
  dtmf(tone: string, interactionId?: string): Promise<unknown>;
  getCurrentUserQueues(channel?: string): Promise<unknown>;
  hasOngoingInteraction(channel?: string): boolean;
  hasOngoingInteractionOfType(channel: string): boolean;
  interaction(action: string, interactionId?: string): Promise<unknown>;
  joinCalls(interactionId?: string): Promise<unknown>;
  message(message: string, interactionId?: string): Promise<unknown>;
  /** The open interactions by id. */
  ongoingInteractions(): Map<string, unknown>;
  picklist(limit?: number, queueId?: string): Promise<unknown>;
  sendEmail(email: {
    to: string[];
    from?: string;
    subject?: string;
    content?: string;
    direct?: boolean;
  }): Promise<unknown>;
  sendSMS(msg: { to: string; from?: string; content?: string; direct?: boolean }): Promise<unknown>;
  startWhatsAppChat(chat: { to: string; from?: string; content?: string; direct?: boolean }): Promise<unknown>;
  transfer(to: string, interactionId?: string): Promise<unknown>;
  setPresence(profile: string): Promise<unknown>;
  setProfile(profile: string): Promise<unknown>;
  setReady(ready: boolean): Promise<unknown>;
  unload(): void;
  /** Sends a raw action payload `{command, …}`. */
  xdmSendAction(payload: { command: string } & Record<string, unknown>): Promise<unknown>;
  /** REST interfaces through the panel. */
  readonly RI: { request(api: 'rci' | 'rmi', method: string, resource: string, body?: unknown): Promise<unknown> };
}

/** Creates a facade instance (the IIFE installs one on `window`); `loader` is for tests. */
export function createCpc(loader: typeof load = load): CpcApi {
  let panel: Panel | null = null;
  let baseUrl: string | null = null;
  const log = (message: string) => {
    if (debugLog) console.debug(`[CPC] ${message}`);
  };
  let debugLog = false;

  const deliver = (event: CpcEvent) => {
    try {
      api.hostAppEventHandler?.(event);
    } catch (err) {
      setTimeout(() => {
        throw err;
      });
    }
  };

  /** Runs a panel call; the CPC convention is the result, or `false` on any failure (logged), never a throw. */
  const run =
    <A extends unknown[]>(name: string, call: (p: Panel, ...args: A) => Promise<unknown>) =>
    async (...args: A): Promise<unknown> => {
      if (!panel) return false;
      try {
        return await call(panel, ...args);
      } catch (err) {
        log(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    };
  const has = (channel?: string) => panel?.hasOngoingInteraction(channel as never) === true;

  const api: CpcApi = {
    hostAppEventHandler: null,
    get activeInteractionId() {
      return panel?.activeInteractionId ?? null;
    },
    authenticate_basic: run('authenticate_basic', (p, userName: string, password: string) =>
      p.authenticate({ basic: { userName, password } }),
    ),
    authenticate_token: run('authenticate_token', (p, token: string) => p.authenticate({ oAuth: { token } })),
    callOut: run('callOut', (p, to: string, from?: string) => p.callOut(to, from)),
    callState: run('callState', (p, action: string, id?: string) => p.callState(action as never, id)),
    consult: run('consult', (p, to: string, id?: string) => p.consult(to, id)),
    dtmf: run('dtmf', (p, tone: string, id?: string) => p.dtmf(tone, id)),
    getCurrentUserQueues: run('getCurrentUserQueues', (p, channel?: string) => p.getQueues(channel as never)),
    hasOngoingInteraction: has,
    hasOngoingInteractionOfType: has,
    interaction: run('interaction', (p, action: string, id?: string) =>
      p.send('interaction', { value: action, ...(id ? { interactionId: id } : {}) }),
    ),
    joinCalls: run('joinCalls', (p, id?: string) => p.joinCalls(id)),
    message: run('message', (p, text: string, id?: string) => p.message(text, id)),
    ongoingInteractions: () => new Map((panel?.ongoingInteractions() ?? []).map((i) => [i.id, i])),
    picklist: run('picklist', (p, limit?: number, queueId?: string) => p.picklist(limit, queueId)),
    sendEmail: run('sendEmail', (p, email: Parameters<Panel['sendEmail']>[0]) => p.sendEmail(email)),
    sendSMS: run('sendSMS', (p, sms: Parameters<Panel['sendSMS']>[0]) => p.sendSMS(sms)),
    startWhatsAppChat: run('startWhatsAppChat', (p, chat: Parameters<Panel['startWhatsAppChat']>[0]) =>
      p.startWhatsAppChat(chat),
    ),
    transfer: run('transfer', (p, to: string, id?: string) => p.transfer(to, id)),
    setPresence: run('setPresence', (p, profile: string) => p.setPresence(profile)),
    setProfile: run('setProfile', (p, profile: string) => p.setPresence(profile)),
    setReady: run('setReady', (p, ready: boolean) => p.setReady(ready === true)),
    unload() {
      panel?.unload();
      panel = null;
      baseUrl = null;
    },
    xdmSendAction: run('xdmSendAction', (p, payload: { command: string } & Record<string, unknown>) => {
      const { command, ...fields } = payload;
      return p.send(command, fields);
    }),
    RI: {
      request: run('RI.request', (p, ri: 'rci' | 'rmi', method: string, resource: string, body?: unknown) =>
        p.ri(ri, method, resource, body),
      ),
    },
    get isInitialized() {
      return panel?.isInitialized === true;
    },
    get currentUser() {
      return panel?.currentUser ?? null;
    },
    async load(config) {
      if (panel) {
        log('load: already loaded');
        return false;
      }
      if (!config || typeof config !== 'object') return false;
      debugLog = config.enableDebugLog === true;
      if (typeof config.eventHandler === 'function') api.hostAppEventHandler = config.eventHandler;
      const a = config.authentication;
      const auth = a?.basic ? { basic: a.basic } : a?.oAuth ? { oAuth: a.oAuth } : undefined;
      try {
        panel = await loader({
          baseUrl: config.tenantBaseUrl,
          container: config.parentElement,
          ...(auth ? { auth } : {}),
          ...(config.denyPopout === undefined ? {} : { denyPopout: config.denyPopout }),
          ...(config.minWidth === undefined ? {} : { minWidth: config.minWidth }),
          ...(config.minHeight === undefined ? {} : { minHeight: config.minHeight }),
          enableChannelStatusUpdates: config.enableChannelStatusUpdates === true,
          debug: debugLog,
          sso: config.useSsoLoginPage === true,
          refused: 'warn',
          onEvent: (name, ...args) => {
            if (name === 'message') deliver(args[0] as PanelMessage);
            else if (name === 'load') deliver({ type: 'cpc-onload', payload: null });
            else if (name === 'ready') deliver({ type: 'cpc-init', payload: null });
          },
        });
      } catch (err) {
        log(`load failed: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
      baseUrl = panel.baseUrl;
      return true;
    },
    async init() {
      if (!panel) return false;
      if (panel.isInitialized) return true;
      await panel.ready;
      return true;
    },
    async getDetails(subject) {
      if (!panel || typeof subject !== 'string') return false;
      try {
        return await panel.getDetails(subject);
      } catch (err) {
        log(`getDetails failed: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    },
    getTenantBaseUrl: () => baseUrl,
  };
  return api;
}
