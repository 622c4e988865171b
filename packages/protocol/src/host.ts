/**
 * Host ↔ panel messages (PROTOCOL.md §1). Every message is `{id, type, payload}`.
 * The parsers start from `unknown` and return `null` for anything malformed:
 * they never throw, so a hostile or buggy peer cannot break either side.
 */
import { isRecord, parseErrorPayload, type ErrorPayload } from './errors.ts';
import type { CustomerCard, Note } from './customers.ts';
import type { Interaction, PresenceProfile, WorkStatus } from './objects.ts';

/** The fixed id of the init exchange. */
export const INIT_ID = 'initRequest';

/** The version of the (ext) protocol this package speaks. */
export const PROTOCOL_VERSION = 2;

/** Every command a host may send (PROTOCOL.md §1.3); `authenticate` and `logout` are (ext). */
export const COMMANDS = [
  'detail',
  'outbound',
  'callState',
  'interaction',
  'consult',
  'join',
  'transfer',
  'dtmf',
  'message',
  'picklist',
  'ready',
  'presence',
  'wrapup',
  'ri',
  'authenticate',
  'logout',
] as const;
export type Command = (typeof COMMANDS)[number];

/** Subjects of the `detail` command, besides a 32-hex interaction id. */
export const DETAIL_SUBJECTS = [
  'user',
  'interactions',
  'interaction',
  'queues',
  'queue',
  'transcript',
  'activeExtension',
  'activeInteraction',
] as const;
export type DetailSubject = (typeof DETAIL_SUBJECTS)[number];

/** Credentials a host may hand to the panel after the handshake (ext `authenticate`). */
export type Credentials =
  | { readonly basic: { readonly userName: string; readonly password: string } }
  | { readonly oAuth: { readonly token: string } };

/** host → panel: ask the panel to say when it is ready. */
export interface InitRequest {
  readonly id: typeof INIT_ID;
  readonly type: 'init';
  /** `false` from CPC clients; an object from protocol-2 hosts. */
  readonly payload: false | { readonly protocol: number; readonly enable_channel_status_updates?: boolean };
}

/** The payload of an `action` request. */
export interface ActionPayload {
  /** The name of the CPC function that issued the action (informational). */
  readonly cpcFn?: string;
  readonly command: string;
  readonly interactionId?: string;
  readonly value?: unknown;
  readonly limit?: number;
  readonly queueId?: string;
}

/** host → panel: run a command; answered by a {@link ResponseMessage} with the same id. */
export interface ActionRequest {
  readonly id: string;
  readonly type: 'action';
  readonly payload: ActionPayload;
}

/** Everything a host may send to the panel. */
export type HostMessage = InitRequest | ActionRequest;

/** panel → host: ready for actions; an empty `value` means "no errors". */
export interface InitResponse {
  readonly id: typeof INIT_ID;
  readonly type: 'init';
  readonly payload: { readonly value: readonly string[] };
}

/** panel → host: the answer to one action. On failure `value` is `null` and `error` says why (ext). */
export interface ResponseMessage {
  readonly id: string;
  readonly type: 'response';
  readonly payload: { readonly value: unknown; readonly error?: ErrorPayload };
}

/** Interaction-related events (PROTOCOL.md §1.4). */
export type StatePayload =
  | { readonly attribute: 'activeInteraction'; readonly value: Interaction | null }
  | {
      readonly attribute: 'status';
      readonly value: 'incoming' | 'outgoing' | 'accepted' | 'rejected' | 'ended' | 'handled';
      readonly interaction: Interaction;
    }
  | {
      readonly attribute: 'channel_status';
      readonly value: { readonly held: boolean; readonly muted: boolean; readonly recording: boolean };
      readonly interaction: Interaction;
    }
  | {
      readonly attribute: 'disposition';
      readonly value: { readonly code?: string; readonly notes?: string };
      readonly interaction: Interaction;
    }
  | {
      /** (ext) Every 5 s during a call: the agent's audio path as WebRTC measures it. */
      readonly attribute: 'call_quality';
      readonly value: CallQuality;
      readonly interaction: Interaction;
    }
  | {
      /** (ext) Screen-pop: the customer card of an offered or opened interaction (who, attached data, history). */
      readonly attribute: 'customer';
      readonly value: CustomerCard;
      readonly interaction: Interaction;
    }
  | {
      /** (ext) The agent added an internal note to the interaction. */
      readonly attribute: 'note';
      readonly value: Note;
      readonly interaction: Interaction;
    }
  | {
      /** (ext) An offer to the agent was not answered in time (`timeout`), or the customer gave up while it rang (`abandoned`). */
      readonly attribute: 'missed';
      readonly value: { readonly reason: 'timeout' | 'abandoned' };
      readonly interaction: Interaction;
    };

/** A call's audio quality at the agent (from WebRTC stats). */
export interface CallQuality {
  /** Round trip to the server, ms; null until measured. */
  readonly rtt_ms: number | null;
  /** Jitter of the audio received, ms. */
  readonly jitter_ms: number | null;
  /** Share of received audio packets lost so far, 0–1. */
  readonly packet_loss: number | null;
  readonly packets_received: number;
}

/**
 * (ext) The agent's state as a whole, sent whenever its work status, its
 * not-ready reason or who set it changes: a supervisor's forced not-ready
 * names them and the reason.
 */
export interface AgentStateChange {
  readonly work_status: WorkStatus;
  /** While not ready: the tenant's reason (`code`, `label`), or null. */
  readonly reason: { readonly code: string; readonly label: string } | null;
  /** Who changed the state when it was not the agent (a supervisor), else null. */
  readonly changed_by: { readonly id: string; readonly name: string } | null;
  /** When the state last changed (ISO-8601), null if never. */
  readonly changed_at: string | null;
}

/** Agent-related events (PROTOCOL.md §1.4). */
export type StatusPayload =
  | { readonly attribute: 'work_status'; readonly value: WorkStatus }
  | { readonly attribute: 'agent_state'; readonly value: AgentStateChange }
  | { readonly attribute: 'profile'; readonly value: PresenceProfile }
  | { readonly attribute: 'theme'; readonly value: { readonly dark: boolean; readonly primary: string } }
  | { readonly attribute: 'language'; readonly value: string }
  | { readonly attribute: 'connection'; readonly value: 'online' | 'reconnecting' | 'offline' };

/** panel → host: an interaction event. */
export interface StateMessage {
  readonly id?: string;
  readonly type: 'state';
  readonly payload: StatePayload;
}

/** panel → host: an agent event. */
export interface StatusMessage {
  readonly id?: string;
  readonly type: 'status';
  readonly payload: StatusPayload;
}

/** Everything the panel may send to a host. */
export type PanelMessage = InitResponse | ResponseMessage | StateMessage | StatusMessage;

/** True when `value` is one of the commands in {@link COMMANDS}. */
export function isCommand(value: unknown): value is Command {
  return typeof value === 'string' && (COMMANDS as readonly string[]).includes(value);
}

/**
 * Parses what a host sent. Returns `null` for anything that is not a
 * well-formed `init` or `action` envelope.
 */
export function parseHostMessage(data: unknown): HostMessage | null {
  if (!isRecord(data) || typeof data['id'] !== 'string' || data['id'].length === 0) return null;
  const payload = data['payload'];
  if (data['type'] === 'init') {
    if (data['id'] !== INIT_ID) return null;
    if (payload === false || payload === undefined || payload === null) {
      return { id: INIT_ID, type: 'init', payload: false };
    }
    if (!isRecord(payload) || typeof payload['protocol'] !== 'number') return null;
    const flag = payload['enable_channel_status_updates'];
    if (flag !== undefined && typeof flag !== 'boolean') return null;
    return {
      id: INIT_ID,
      type: 'init',
      payload:
        flag === undefined
          ? { protocol: payload['protocol'] }
          : { protocol: payload['protocol'], enable_channel_status_updates: flag },
    };
  }
  if (data['type'] === 'action') {
    if (!isRecord(payload) || typeof payload['command'] !== 'string') return null;
    const action: { -readonly [K in keyof ActionPayload]: ActionPayload[K] } = { command: payload['command'] };
    if (typeof payload['cpcFn'] === 'string') action.cpcFn = payload['cpcFn'];
    if (payload['interactionId'] !== undefined && payload['interactionId'] !== null) {
      if (typeof payload['interactionId'] !== 'string') return null;
      action.interactionId = payload['interactionId'];
    }
    if ('value' in payload) action.value = payload['value'];
    if (payload['limit'] !== undefined) {
      if (typeof payload['limit'] !== 'number') return null;
      action.limit = payload['limit'];
    }
    if (payload['queueId'] !== undefined) {
      if (typeof payload['queueId'] !== 'string') return null;
      action.queueId = payload['queueId'];
    }
    return { id: data['id'], type: 'action', payload: action };
  }
  return null;
}

/**
 * Parses what the panel sent. Returns `null` for anything malformed; event
 * payloads are checked for their `attribute` only, their values are the
 * panel's to get right.
 */
export function parsePanelMessage(data: unknown): PanelMessage | null {
  if (!isRecord(data)) return null;
  const payload = data['payload'];
  if (!isRecord(payload)) return null;
  switch (data['type']) {
    case 'init': {
      const value = payload['value'];
      if (data['id'] !== INIT_ID || !Array.isArray(value) || !value.every((v) => typeof v === 'string')) return null;
      return { id: INIT_ID, type: 'init', payload: { value } };
    }
    case 'response': {
      if (typeof data['id'] !== 'string' || !('value' in payload)) return null;
      if (payload['error'] === undefined)
        return { id: data['id'], type: 'response', payload: { value: payload['value'] } };
      const error = parseErrorPayload(payload['error']);
      if (!error) return null;
      return { id: data['id'], type: 'response', payload: { value: null, error } };
    }
    case 'state':
      if (!STATE_ATTRIBUTES.has(payload['attribute'] as string)) return null;
      return { type: 'state', payload: payload as unknown as StatePayload };
    case 'status':
      if (!STATUS_ATTRIBUTES.has(payload['attribute'] as string)) return null;
      return { type: 'status', payload: payload as unknown as StatusPayload };
    default:
      return null;
  }
}

const STATE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'activeInteraction',
  'status',
  'channel_status',
  'disposition',
  'call_quality',
  'customer',
  'note',
  'missed',
]);
const STATUS_ATTRIBUTES: ReadonlySet<string> = new Set([
  'work_status',
  'agent_state',
  'profile',
  'theme',
  'language',
  'connection',
]);

/**
 * Reads the `value` of an (ext) `authenticate` action. Returns `null` unless it
 * is exactly basic credentials or an OAuth token, with non-empty strings.
 */
export function parseCredentials(value: unknown): Credentials | null {
  if (!isRecord(value)) return null;
  const basic = value['basic'];
  if (isRecord(basic)) {
    const { userName, password } = basic;
    if (typeof userName !== 'string' || typeof password !== 'string' || !userName || !password) return null;
    return { basic: { userName, password } };
  }
  const oAuth = value['oAuth'];
  if (isRecord(oAuth) && typeof oAuth['token'] === 'string' && oAuth['token']) {
    return { oAuth: { token: oAuth['token'] } };
  }
  return null;
}
