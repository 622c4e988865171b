import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatConversation, type ChatEvents, type ChatMessage } from './conversation.ts';

/** A WebSocket the test drives: it records what the widget sends and lets the test open, push and close. */
class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readonly OPEN = 1;
  readyState = 0;
  readonly sent: Array<{ id: string; type: string; data: Record<string, unknown> | null }> = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.drop(1000);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  push(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const message = (patch: Partial<ChatMessage> = {}): ChatMessage =>
  ({
    id: 'm1',
    conversation_id: 'c1',
    interaction_id: 'i1',
    direction: 'out',
    author: 'Ada',
    content: 'Hello',
    status: 'sent',
    created: '2026-12-01T10:00:00.000Z',
    ...patch,
  }) as ChatMessage;

describe('the customer side of a chat', () => {
  let events: {
    onMessage: ReturnType<typeof vi.fn<ChatEvents['onMessage']>>;
    onState: ReturnType<typeof vi.fn<ChatEvents['onState']>>;
    onConnection: ReturnType<typeof vi.fn<ChatEvents['onConnection']>>;
    onTyping: ReturnType<typeof vi.fn<() => void>>;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    (globalThis as unknown as { WebSocket: unknown }).WebSocket = FakeSocket;
    events = {
      onMessage: vi.fn<ChatEvents['onMessage']>(),
      onState: vi.fn<ChatEvents['onState']>(),
      onConnection: vi.fn<ChatEvents['onConnection']>(),
      onTyping: vi.fn<() => void>(),
    };
  });
  afterEach(() => {
    vi.useRealTimers();
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
  });

  it('opens the socket with its token in a subprotocol, never in the URL', () => {
    new ChatConversation('https://cc.example/', 'tok123', events).connect();
    const [ws] = FakeSocket.all;
    expect(ws?.url).toBe('wss://cc.example/ws/customer');
    expect(ws?.protocols).toEqual(['parley.v1', 'parley.customer.tok123']);
  });

  it('sends a message again with the same client id after a drop, until it is acknowledged', () => {
    const chat = new ChatConversation('http://cc.test/', 't', events);
    chat.connect();
    FakeSocket.all[0]!.open();
    chat.send('Where is my parcel?');
    const first = FakeSocket.all[0]!.sent.find((f) => f.type === 'send');
    const clientId = first?.data?.['client_message_id'];
    expect(typeof clientId).toBe('string');

    FakeSocket.all[0]!.drop();
    expect(events.onConnection).toHaveBeenLastCalledWith(false);
    vi.advanceTimersByTime(10_000);
    const second = FakeSocket.all[1]!;
    second.open();
    expect(second.sent.filter((f) => f.type === 'send').map((f) => f.data?.['client_message_id'])).toEqual([clientId]);

    second.push({
      re: second.sent[0]!.id,
      ok: true,
      data: message({ id: 'm9', direction: 'in', client_message_id: clientId as string }),
    });
    expect(events.onMessage).toHaveBeenCalledTimes(1);
    second.drop();
    vi.advanceTimersByTime(10_000);
    FakeSocket.all[2]!.open();
    expect(FakeSocket.all[2]!.sent.filter((f) => f.type === 'send')).toEqual([]);
  });

  it('shows each message once, and again only when its receipt changes', () => {
    const chat = new ChatConversation('http://cc.test/', 't', events);
    chat.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.push({
      seq: 1,
      type: 'hello',
      data: { conversation: { id: 'c1', state: 'connected', agent: 'Ada' }, messages: [message()] },
    });
    ws.push({ seq: 2, type: 'message', data: message() });
    ws.push({ seq: 3, type: 'message', data: message({ status: 'read' }) });
    expect(events.onMessage.mock.calls.map(([m, update]) => [m.status, update])).toEqual([
      ['sent', false],
      ['read', true],
    ]);
    expect(events.onState).toHaveBeenCalledWith('connected', 'Ada', undefined, undefined);
    ws.push({ seq: 4, type: 'state', data: { state: 'waiting', agent: null, position: 2, estimated_wait_s: 60 } });
    expect(events.onState).toHaveBeenLastCalledWith('waiting', null, 2, 60);
  });

  it('ignores frames that are not the protocol’s, and stops for good when the token is refused', () => {
    const chat = new ChatConversation('http://cc.test/', 't', events);
    chat.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.onmessage?.({ data: 'not json' });
    ws.push({ type: 'hello', data: { conversation: 'broken' } });
    ws.push({ type: 'constructor', data: {} });
    expect(events.onMessage).not.toHaveBeenCalled();
    expect(events.onState).not.toHaveBeenCalled();
    ws.drop(4001);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
