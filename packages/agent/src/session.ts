/**
 * The agent's live session, shared by the headless `Agent` and the panel's
 * controller: the agent socket opened for a signed-in user, the user as the
 * server reports it (diffed into the host's agent news), and the
 * interaction store fed by every frame (turned into the host's interaction
 * news). Each client adds what is its own — token renewal and the audio for
 * `Agent`, login forms, messages and typing for the panel — through the
 * hooks, so there is one agent client, not two.
 */
import type { Interaction, ServerEvent, SessionEnd, StatePayload, StatusPayload, User } from '@parley/protocol';
import { Conversations } from './conversations.ts';
import type { ConnectionState, SocketHandlers } from './socket.ts';
import { userChanges } from './user-changes.ts';

/** What a session needs of the agent socket. */
export interface SessionSocket {
  connect(): void;
  close(): void;
  request?(type: string, data: unknown): Promise<unknown>;
}

export interface SessionHooks {
  /** Interaction news for the host, in order (status, channel status, disposition, the one in view). */
  states(payloads: readonly StatePayload[]): void;
  /** Agent news for the host (work status, profile, theme, language), in order. */
  statuses(changes: readonly StatusPayload[]): void;
  /** The user object changed in any way. */
  user?(user: User, before: User | null): void;
  /** A change of one of the agent's interactions, before the news it means (`snapshot` after a reconnect). */
  update?(update: { event: string; interaction: Interaction }): void;
  /** Every server frame, after the session applied it. */
  frame?(event: ServerEvent): void;
  connection(state: ConnectionState): void;
  /** The server ended the session (4001: logout elsewhere, expiry, a forced logout). */
  ended(end: SessionEnd): void;
}

export class AgentSession<S extends SessionSocket = SessionSocket> {
  readonly conversations: Conversations;
  #user: User | null = null;
  #socket: S | null = null;
  #connection: ConnectionState = 'offline';
  readonly #open: (handlers: SocketHandlers) => S;
  readonly #hooks: SessionHooks;
  readonly #channelStatus: () => boolean;

  /**
   * `open` makes the socket; `channelStatus` says whether hold, mute and
   * recording changes are news for this host (the panel-mode SDK opts in).
   */
  constructor(open: (handlers: SocketHandlers) => S, hooks: SessionHooks, channelStatus: () => boolean = () => true) {
    this.#open = open;
    this.#hooks = hooks;
    this.#channelStatus = channelStatus;
    this.conversations = new Conversations(() => this.#user?.id ?? null);
  }

  get user(): User | null {
    return this.#user;
  }
  get connection(): ConnectionState {
    return this.#connection;
  }
  get socket(): S | null {
    return this.#socket;
  }

  /** Signed in as `user`: opens a fresh socket (its hello brings the state). */
  start(user: User): void {
    this.setUser(user);
    this.#socket?.close();
    this.#socket = this.#open({
      onEvent: (event) => this.#onEvent(event),
      onState: (state) => {
        if (state === this.#connection) return;
        this.#connection = state;
        this.#hooks.connection(state);
      },
      onSessionEnded: (end) => this.#hooks.ended(end),
    });
    this.#socket.connect();
  }

  /** Opens the socket again (a new token): its hello replaces the state, so nothing is lost. */
  reconnect(): void {
    this.#socket?.close();
    this.#socket?.connect();
  }

  /** The user as the server answered or pushed it; the host hears each change once, whichever came first. */
  setUser(user: User): void {
    const before = this.#user;
    const changes = userChanges(before, user);
    this.#user = user;
    this.#hooks.statuses(changes);
    if (JSON.stringify(before) !== JSON.stringify(user)) this.#hooks.user?.(user, before);
  }

  /** Puts an interaction in view. */
  show(id: string | null): void {
    this.#hooks.states(this.conversations.show(id));
  }

  /** Closes the socket and forgets the user and the interactions (logout, or the client closing). */
  close(): void {
    this.#socket?.close();
    this.#socket = null;
    this.#user = null;
    this.conversations.reset([], 0);
  }

  /** Carries the voice station's SDP offer to the server; its answer comes back. */
  async offerMedia(sdp: string): Promise<string> {
    const request = this.#socket?.request?.bind(this.#socket);
    if (!request) throw new Error('the agent socket is not open');
    const answer = (await request('media.offer', { sdp })) as { sdp?: unknown } | null;
    if (typeof answer?.sdp !== 'string') throw new Error('the server sent no answer');
    return answer.sdp;
  }

  #onEvent(event: ServerEvent): void {
    switch (event.type) {
      case 'hello':
        this.setUser(event.data.user);
        this.#reset(event.data.interactions, event.data.event_seq);
        break;
      case 'user':
        this.setUser(event.data.user);
        break;
      case 'interactions':
        this.#reset(event.data.interactions, event.data.event_seq);
        break;
      case 'interaction': {
        const i = event.data.interaction;
        const known = this.conversations.get(i.id) !== null;
        const fresh = event.data.event_seq > this.conversations.eventSeq;
        const states = this.conversations.apply(event.data, { channelStatus: this.#channelStatus() });
        if (fresh && (known || i.agent_id === this.#user?.id))
          this.#hooks.update?.({ event: event.data.event, interaction: i });
        this.#hooks.states(states);
        break;
      }
      default:
        break;
    }
    this.#hooks.frame?.(event);
  }

  #reset(interactions: readonly Interaction[], eventSeq: number): void {
    const states = this.conversations.reset(interactions, eventSeq);
    for (const interaction of interactions) this.#hooks.update?.({ event: 'snapshot', interaction });
    this.#hooks.states(states);
  }
}
