/**
 * The protocol core of the SDK: init, requests and events over a
 * {@link Messenger}. No DOM here, so it is unit-tested in Node.
 */
import type { Credentials, Interaction, PanelMessage, User } from '@parley/protocol';
import { Emitter, emitState, emitStatus, INIT_ID, PROTOCOL_VERSION, parsePanelMessage } from '@parley/protocol';
import { ParleyError } from './errors.ts';
import type { PanelEvents } from './events.ts';
import type { Messenger } from './messenger.ts';

/** Fields of an action besides `command`. */
export interface ActionFields {
  readonly interactionId?: string;
  readonly value?: unknown;
  readonly limit?: number;
  readonly queueId?: string;
  readonly cpcFn?: string;
}

export interface ClientOptions {
  /** Per-request timeout in ms (default 10,000). */
  readonly timeoutMs?: number;
  readonly enableChannelStatusUpdates?: boolean;
  /** Credentials to hand to the panel after each handshake; a function is called each time. */
  readonly auth?: Credentials | (() => Credentials | Promise<Credentials>);
  readonly debug?: (message: string) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: ParleyError): void;
  timer: ReturnType<typeof setTimeout>;
}

export class PanelClient extends Emitter<PanelEvents> {
  readonly #messenger: Messenger;
  readonly #opts: ClientOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #unlisten: () => void;
  #seq = 0;
  #connected = false;
  #initialized = false;
  #user: User | null = null;
  #auth: ClientOptions['auth'];
  /** Set while the host's own `logout()` runs, so that logout is not undone by a re-authentication. */
  loggingOut = false;
  /** The agent's open interactions, as the panel's events report them. */
  readonly interactions = new Map<string, Interaction>();
  /** The id of the interaction in view, or null. */
  activeId: string | null = null;

  constructor(messenger: Messenger, opts: ClientOptions = {}) {
    super();
    this.#messenger = messenger;
    this.#opts = opts;
    this.#auth = opts.auth;
    this.#unlisten = messenger.listen((data) => this.#receive(data));
  }

  /** True once the panel has answered `init` (an agent is logged in). */
  get initialized(): boolean {
    return this.#initialized;
  }

  /** The logged-in user, known from `ready` on; `null` before. */
  get currentUser(): User | null {
    return this.#user;
  }

  /**
   * Call when the panel document has (re)loaded: rejects what was pending on
   * the old document, sends `init`, then the credentials if any.
   */
  connected(): void {
    this.#dropPending();
    this.#connected = true;
    this.#initialized = false;
    this.emit('load');
    this.#messenger.post({
      id: INIT_ID,
      type: 'init',
      payload: {
        protocol: PROTOCOL_VERSION,
        enable_channel_status_updates: this.#opts.enableChannelStatusUpdates === true,
      },
    });
    if (this.#auth) void this.#authenticate();
  }

  /** Call when the panel is gone (iframe removed): pending requests fail with `panel_unavailable`. */
  disconnected(): void {
    this.#connected = false;
    this.#initialized = false;
    this.#dropPending();
  }

  /** Sends one command and resolves with the panel's answer as soon as it arrives. */
  request<T = unknown>(command: string, fields: ActionFields = {}): Promise<T> {
    if (!this.#connected) return Promise.reject(ParleyError.unavailable());
    this.#seq += 1;
    const id = `${fields.cpcFn ?? command}-action-${this.#seq}`;
    const timeoutMs = this.#opts.timeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(ParleyError.timeout(command, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.#messenger.post({ id, type: 'action', payload: { command, ...fields } });
    });
  }

  /** Stops listening and fails what is pending. */
  dispose(): void {
    this.disconnected();
    this.#unlisten();
  }

  async #authenticate(): Promise<void> {
    const auth = this.#auth;
    // Plain credentials are handed over once and then forgotten; a function is asked again after a reload.
    if (typeof auth !== 'function') this.#auth = undefined;
    try {
      const credentials = typeof auth === 'function' ? await auth() : auth;
      if (credentials) await this.request('authenticate', { value: credentials });
    } catch (err) {
      this.emit(
        'error',
        err instanceof ParleyError ? err : new ParleyError('unauthorized', 'The credentials could not be obtained.'),
      );
    }
  }

  #dropPending(): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(ParleyError.unavailable());
      this.#pending.delete(id);
    }
  }

  #receive(data: unknown): void {
    const message = parsePanelMessage(data);
    if (!message) {
      this.#opts.debug?.('ignored a malformed message from the panel');
      return;
    }
    this.emit('message', message);
    this.#dispatch(message);
  }

  #dispatch(message: PanelMessage): void {
    switch (message.type) {
      case 'response': {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        const error = message.payload.error;
        if (error) pending.reject(new ParleyError(error.code, error.message));
        else pending.resolve(message.payload.value);
        return;
      }
      case 'init':
        if (this.#initialized) return;
        this.#initialized = true;
        this.request<User>('detail', { value: 'user' }).then(
          (user) => {
            this.#user = user;
            this.emit('ready', user);
          },
          (err: ParleyError) => this.emit('error', err),
        );
        return;
      case 'status': {
        const p = message.payload;
        if (p.attribute === 'work_status') {
          if (this.#user) this.#user = { ...this.#user, work_status: p.value };
          // Logged out in the panel: `ready` fires again after the next login. An `auth` function (the
          // CRM's session governs) is asked for fresh credentials, unless the host itself logged out.
          if (p.value === 'offline' && this.#initialized) {
            this.#initialized = false;
            this.#user = null;
            if (typeof this.#auth === 'function' && !this.loggingOut) void this.#authenticate();
            this.loggingOut = false;
          }
        }
        emitStatus(this, p);
        return;
      }
      case 'state': {
        const p = message.payload;
        if ('interaction' in p) {
          if (p.value === 'handled' || p.value === 'rejected') this.interactions.delete(p.interaction.id);
          else this.interactions.set(p.interaction.id, p.interaction);
        }
        if (p.attribute === 'activeInteraction') this.activeId = p.value?.id ?? null;
        emitState(this, p);
        return;
      }
    }
  }
}
