/**
 * @parley/sdk — embed the Parley Communication Panel and drive it from code.
 * Zero runtime dependencies; no `window` access at import time.
 */
export type { LoadOptions, Panel } from './load.ts';
export { load, normalizeBaseUrl } from './load.ts';
export type { PanelEvents, PanelEventName } from './events.ts';
export { ParleyError } from './errors.ts';
export type { ParleyPanelElement } from './element.ts';
export { definePanelElement } from './element.ts';
export type { Messenger } from './messenger.ts';
export type { ClientOptions, ActionFields } from './client.ts';
export { PanelClient } from './client.ts';
export type { CpcApi, CpcEvent, CpcLoadConfig } from './cpc.ts';
export { createCpc } from './cpc.ts';
export type { Credentials, ErrorCode, Interaction, Queue, User, WorkStatus, PresenceProfile } from '@parley/protocol';
