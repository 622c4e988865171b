/**
 * The customer's side of a web chat, without any UI: start a conversation,
 * keep one socket open (reconnecting with backoff), send with client ids so
 * a resend after a drop is stored once, and report messages and state.
 */
export type ChatState = 'waiting' | 'connected' | 'closed';

export interface ChatMessage {
  readonly id: string;
  readonly direction: 'in' | 'out';
  readonly author: string;
  readonly content: string;
  readonly created: string;
  readonly client_message_id?: string;
}

export type ChatFrame =
  | {
      type: 'hello';
      data: {
        conversation: { id: string; state: ChatState; agent: string | null; position?: number };
        messages: ChatMessage[];
      };
    }
  | { type: 'message'; data: ChatMessage }
  | { type: 'typing'; data: Record<string, never> }
  | { type: 'state'; data: { state: ChatState; agent: string | null; position?: number } };

export interface ChatEvents {
  onMessage(message: ChatMessage): void;
  onState(state: ChatState, agent: string | null, position?: number): void;
  onConnection(online: boolean): void;
  onTyping?(): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ChatConversation {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #closed = false;
  #next = 0;
  /** Sends not yet acknowledged, by client id: sent again after a reconnect. */
  readonly #pending = new Map<string, string>();
  readonly #seen = new Set<string>();
  #typedAt = 0;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
    private readonly events: ChatEvents,
  ) {}

  /** Starts a conversation and returns its token (kept by the caller to come back after a reload). */
  static async start(baseUrl: string, body: { name: string; email?: string; address?: string }): Promise<string> {
    const res = await fetch(`${baseUrl}api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const message =
        isRecord(json) && isRecord(json['error']) ? String(json['error']['message']) : `HTTP ${res.status}`;
      throw new Error(message);
    }
    return String((json as { token: string }).token);
  }

  connect(): void {
    this.#closed = false;
    const ws = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}ws/customer`, [
      'parley.v1',
      `parley.customer.${this.token}`,
    ]);
    this.#ws = ws;
    ws.onopen = () => {
      this.#attempt = 0;
      this.events.onConnection(true);
      for (const [clientId, content] of this.#pending) this.#request('send', { content, client_message_id: clientId });
    };
    ws.onmessage = (event) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!isRecord(frame)) return;
      if (typeof frame['re'] === 'string') {
        const data = frame['data'];
        if (frame['ok'] === true && isRecord(data) && typeof data['client_message_id'] === 'string') {
          this.#pending.delete(data['client_message_id']);
          this.#deliver(data as unknown as ChatMessage);
        }
        return;
      }
      const f = frame as unknown as ChatFrame;
      if (f.type === 'hello') {
        for (const m of f.data.messages) this.#deliver(m);
        this.events.onState(f.data.conversation.state, f.data.conversation.agent, f.data.conversation.position);
      } else if (f.type === 'message') this.#deliver(f.data);
      else if (f.type === 'state') this.events.onState(f.data.state, f.data.agent, f.data.position);
      else if (f.type === 'typing') this.events.onTyping?.();
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.events.onConnection(false);
      if (this.#closed || event.code === 4001) return;
      const delay = Math.min(10_000, 250 * 2 ** this.#attempt++) * (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    };
  }

  /** Sends a message; it is stored once even if the connection drops and it is sent again. */
  send(content: string): void {
    const clientId = `w-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    this.#pending.set(clientId, content);
    if (this.#ws?.readyState === WebSocket.OPEN) this.#request('send', { content, client_message_id: clientId });
  }

  /** Tells the agent the customer is typing, at most every 2 s. */
  typing(): void {
    const now = Date.now();
    if (now - this.#typedAt < 2000) return;
    this.#typedAt = now;
    if (this.#ws?.readyState === WebSocket.OPEN) this.#request('typing', null);
  }

  /** The customer leaves the chat. */
  end(): void {
    this.#request('end', null);
  }

  close(): void {
    this.#closed = true;
    this.#ws?.close();
  }

  #deliver(message: ChatMessage): void {
    if (this.#seen.has(message.id)) return;
    this.#seen.add(message.id);
    this.events.onMessage(message);
  }

  #request(type: string, data: unknown): void {
    this.#ws?.send(JSON.stringify({ id: `r${++this.#next}`, type, data }));
  }
}
