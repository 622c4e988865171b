/**
 * The customer's side of a web chat, without any UI: start a conversation,
 * keep one socket open (reconnecting with backoff), send with client ids so
 * a resend after a drop is stored once, and report messages and state.
 */
import { isRecord, parseCustomerFrame, type CustomerFrame, type CustomerState, type Message } from '@parley/protocol';

export type ChatState = CustomerState;
/** A message as the customer sees it: the protocol's message. */
export type ChatMessage = Message;
/** A frame the server pushes on the customer socket. */
export type ChatFrame = CustomerFrame;

export interface ChatEvents {
  /** A new message, or a newer copy of one already shown (its status changed). */
  onMessage(message: ChatMessage, update: boolean): void;
  onState(state: ChatState, agent: string | null, position?: number, waitSeconds?: number): void;
  onConnection(online: boolean): void;
  onTyping?(): void;
}

export class ChatConversation {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #closed = false;
  #next = 0;
  /** Sends not yet acknowledged, by client id: sent again after a reconnect. */
  readonly #pending = new Map<string, { content: string; attachment_ids: string[] }>();
  readonly #seen = new Map<string, string | undefined>();
  #typedAt = 0;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
    private readonly events: ChatEvents,
  ) {}

  /** Starts a conversation and returns its token (kept by the caller to come back after a reload). */
  static async start(
    baseUrl: string,
    body: { name: string; email?: string; address?: string; fields?: Record<string, string> },
  ): Promise<string> {
    const res = await fetch(`${baseUrl}api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return String(((await answer(res)) as { token: string }).token);
  }

  /** Whether an agent is online for the queue, and whether a message can be left instead. */
  static async availability(
    baseUrl: string,
    address?: string,
  ): Promise<{ available: boolean; leave_message: boolean }> {
    const query = address ? `?address=${encodeURIComponent(address)}` : '';
    return (await answer(await fetch(`${baseUrl}api/v1/chat/availability${query}`))) as {
      available: boolean;
      leave_message: boolean;
    };
  }

  /** Leaves a message for when the team is back (it is answered by email). */
  static async leaveMessage(
    baseUrl: string,
    body: { name: string; email: string; message: string; address?: string },
  ): Promise<void> {
    await answer(
      await fetch(`${baseUrl}api/v1/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
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
      for (const [clientId, m] of this.#pending) this.#request('send', { ...m, client_message_id: clientId });
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
      const f = parseCustomerFrame(frame);
      if (!f) return;
      if (f.type === 'hello') {
        for (const m of f.data.messages) this.#deliver(m);
        const c = f.data.conversation;
        this.events.onState(c.state, c.agent, c.position, c.estimated_wait_s);
      } else if (f.type === 'message') this.#deliver(f.data);
      else if (f.type === 'state')
        this.events.onState(f.data.state, f.data.agent, f.data.position, f.data.estimated_wait_s);
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

  /** Sends a message (with uploaded files); it is stored once even if the connection drops and it is sent again. */
  send(content: string, attachmentIds: string[] = []): void {
    const clientId = `w-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const m = { content, attachment_ids: attachmentIds };
    this.#pending.set(clientId, m);
    if (this.#ws?.readyState === WebSocket.OPEN) this.#request('send', { ...m, client_message_id: clientId });
  }

  /** Uploads a file to the conversation; send its id with a message. */
  async upload(file: File): Promise<string> {
    const res = await fetch(`${this.baseUrl}api/v1/chat/attachments?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream', 'x-parley-conversation': this.token },
      body: file,
    });
    return String(((await answer(res)) as { id: string }).id);
  }

  /** A file of the conversation, for a download link. */
  async download(id: string): Promise<Blob> {
    const res = await fetch(`${this.baseUrl}api/v1/chat/attachments/${id}`, {
      headers: { 'x-parley-conversation': this.token },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.blob();
  }

  /** Mails a confirmation link to the address given at the start; the transcript follows once it is opened. */
  async transcript(): Promise<string> {
    const res = await fetch(`${this.baseUrl}api/v1/chat/transcript`, {
      method: 'POST',
      headers: { 'x-parley-conversation': this.token },
    });
    return String(((await answer(res)) as { confirm_sent_to: string }).confirm_sent_to);
  }

  /** The customer has seen the agent's messages up to this one. */
  read(messageId: string): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#request('read', { message_id: messageId });
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
    const known = this.#seen.has(message.id);
    if (known && this.#seen.get(message.id) === message.status) return;
    this.#seen.set(message.id, message.status);
    this.events.onMessage(message, known);
  }

  #request(type: string, data: unknown): void {
    this.#ws?.send(JSON.stringify({ id: `r${++this.#next}`, type, data }));
  }
}

/** A JSON answer, or an Error with the server's message. */
async function answer(res: Response): Promise<unknown> {
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok)
    throw new Error(
      isRecord(json) && isRecord(json['error']) ? String(json['error']['message']) : `HTTP ${res.status}`,
    );
  return json;
}
