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
}

/** Creates a facade instance (the IIFE installs one on `window`). */
export function createCpc(): CpcApi {
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

  const api: CpcApi = {
    hostAppEventHandler: null,
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
        panel = await load({
          baseUrl: config.tenantBaseUrl,
          container: config.parentElement,
          ...(auth ? { auth } : {}),
          ...(config.denyPopout === undefined ? {} : { denyPopout: config.denyPopout }),
          ...(config.minWidth === undefined ? {} : { minWidth: config.minWidth }),
          ...(config.minHeight === undefined ? {} : { minHeight: config.minHeight }),
          enableChannelStatusUpdates: config.enableChannelStatusUpdates === true,
          debug: debugLog,
          sso: config.useSsoLoginPage === true,
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
