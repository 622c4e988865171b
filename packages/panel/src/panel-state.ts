/** The panel's state as its views see it, and what the controller is built with (REST, socket, voice clients). */
import type {
  AgentPreferences,
  ConferenceParty,
  Contact,
  Interaction,
  Message,
  Queue,
  QueueLoad,
  User,
} from '@parley/protocol';
import type { ActionRequest, MessageRequest, OutboundRequest } from '@parley/protocol/rest';
import type { ConnectionState, SocketHandlers, DirectoryEntry, ReasonCode, VoiceLike } from '@parley/agent';
import type { Draft } from './commands.ts';
import type { Notice } from './notices.ts';
import { INITIAL_WORKSPACE, type AlertsLike, type WorkspaceRest, type WorkspaceState } from './workspace.ts';

export type Phase = 'loading' | 'login' | 'ready';

export interface PanelState extends WorkspaceState {
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
  /**
   * Call audio: connected, not (yet) set up, unavailable (no microphone, no
   * WebRTC), or on standby (another client of the agent carries the calls).
   */
  readonly audio: 'off' | 'connected' | 'unavailable' | 'standby';
  /** Keys the far party pressed, by call (from `dtmf_received` events). */
  readonly tones: Readonly<Record<string, string>>;
  /** What the agent is told about changes they did not make (newest last), until they dismiss it. */
  readonly notices: readonly Notice[];
  /** The queues the agent serves and who waits in them, as the server pushes it. */
  readonly queueLoads: readonly QueueLoad[];
}

/** What the controller needs from the REST client. */
export interface RestLike extends WorkspaceRest {
  me(): Promise<User | null>;
  login(username: string, password: string): Promise<User>;
  loginWithToken(token: string): Promise<User>;
  logout(): Promise<void>;
  setReady(ready: boolean, reason?: string): Promise<User>;
  setPresence(profile: string): Promise<User>;
  updateMe(patch: {
    language?: string;
    theme?: { dark: boolean; primary: string };
    preferences?: AgentPreferences;
  }): Promise<User>;
  myQueues(): Promise<Queue[]>;
  popoutToken(): Promise<string>;
  endSession(token: string): Promise<void>;
  ri(api: string, method: string, resource: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  interactions(): Promise<Interaction[]>;
  messages(id: string): Promise<Message[]>;
  sendMessage(id: string, body: MessageRequest): Promise<Message>;
  markRead(id: string, messageId: string): Promise<void>;
  readonly baseUrl: string;
  templates(): Promise<Array<{ id: string; name: string; body: string }>>;
  directory(): Promise<DirectoryEntry[]>;
  allQueues(): Promise<Queue[]>;
  reasonCodes(kind: 'not_ready' | 'wrap_up'): Promise<ReasonCode[]>;
  interaction(id: string): Promise<Interaction>;
  act(id: string, body: ActionRequest): Promise<Interaction>;
  outbound(body: OutboundRequest): Promise<Interaction>;
  picklist(limit: number, queueIds?: string): Promise<Contact[]>;
  pick(id: string): Promise<Interaction>;
  parties(id: string): Promise<ConferenceParty[]>;
}

/** What the controller needs from the WebSocket client. */
export interface SocketLike {
  connect(): void;
  close(): void;
  typing?(interactionId: string): void;
  /** A request answered by the server (the media offer). */
  request?(type: string, data: unknown): Promise<unknown>;
}

export interface ControllerDeps {
  readonly rest: RestLike;
  readonly openSocket: (handlers: SocketHandlers) => SocketLike;
  /** Call audio; left out where there is none (Node tests, browsers without WebRTC). */
  readonly voice?: VoiceLike;
  /** Sounds, desktop notifications and the tab title; left out in Node tests. */
  readonly alerts?: AlertsLike;
  /** Whether the agent can see the panel now; always, by default. */
  readonly visible?: () => boolean;
}

/** Before anything is known: loading, logged out, offline. */
export const INITIAL_STATE: PanelState = {
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
  notices: [],
  queueLoads: [],
  ...INITIAL_WORKSPACE,
};
