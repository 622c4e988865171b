import type { PanelMessage } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { CommandError, HostBridge } from './bridge.ts';
import { resolveHostOrigin } from './origin.ts';
import type { HostTransport } from './transport.ts';

class FakeTransport implements HostTransport {
  sent: PanelMessage[] = [];
  handler: ((data: unknown, port: MessagePort | null) => void) | null = null;
  post(message: PanelMessage): void {
    this.sent.push(message);
  }
  listen(handler: (data: unknown, port: MessagePort | null) => void): () => void {
    this.handler = handler;
    return () => (this.handler = null);
  }
  fromHost(data: unknown): void {
    this.handler?.(data, null);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const INIT = { id: 'initRequest', type: 'init', payload: false };

describe('HostBridge', () => {
  it('answers init only once an agent is logged in', () => {
    const t = new FakeTransport();
    const bridge = new HostBridge(t, { handle: async () => null });
    t.fromHost(INIT);
    expect(t.sent).toEqual([]);
    bridge.setLoggedIn(true);
    expect(t.sent).toEqual([{ id: 'initRequest', type: 'init', payload: { value: [] } }]);
  });

  it('answers init at once when already logged in, and remembers channel status opt-in', () => {
    const t = new FakeTransport();
    const bridge = new HostBridge(t, { handle: async () => null });
    bridge.setLoggedIn(true);
    t.fromHost({ id: 'initRequest', type: 'init', payload: { protocol: 2, enable_channel_status_updates: true } });
    expect(t.sent).toHaveLength(1);
    expect(bridge.channelStatusUpdates).toBe(true);
  });

  it('runs actions and answers with the same id', async () => {
    const t = new FakeTransport();
    const handle = vi.fn(async () => ({ username: 'agent1' }));
    new HostBridge(t, { handle });
    t.fromHost({ id: 'getDetails-action-1', type: 'action', payload: { command: 'detail', value: 'user' } });
    await flush();
    expect(handle).toHaveBeenCalledWith({ command: 'detail', value: 'user' });
    expect(t.sent).toEqual([
      { id: 'getDetails-action-1', type: 'response', payload: { value: { username: 'agent1' } } },
    ]);
  });

  it('answers failures with the error code, and hides unexpected errors as internal', async () => {
    const t = new FakeTransport();
    const handle = vi.fn(async (action: { command: string }) => {
      if (action.command === 'a') throw new CommandError('forbidden', 'not yours');
      throw new Error('secret internals');
    });
    new HostBridge(t, { handle });
    t.fromHost({ id: '1', type: 'action', payload: { command: 'a' } });
    t.fromHost({ id: '2', type: 'action', payload: { command: 'b' } });
    await flush();
    expect(t.sent).toEqual([
      { id: '1', type: 'response', payload: { value: null, error: { code: 'forbidden', message: 'not yours' } } },
      {
        id: '2',
        type: 'response',
        payload: { value: null, error: { code: 'internal', message: 'Something went wrong on our side.' } },
      },
    ]);
  });

  it('ignores malformed messages without throwing', async () => {
    const t = new FakeTransport();
    const handle = vi.fn(async () => null);
    new HostBridge(t, { handle });
    for (const junk of [
      null,
      1,
      'init',
      { type: 'init' },
      { id: 'x', type: 'action' },
      { id: 'x', type: 'action', payload: { command: 5 } },
    ]) {
      expect(() => t.fromHost(junk)).not.toThrow();
    }
    await flush();
    expect(handle).not.toHaveBeenCalled();
    expect(t.sent).toEqual([]);
  });

  it('sends events only after init, and channel status only when asked for', () => {
    const t = new FakeTransport();
    const bridge = new HostBridge(t, { handle: async () => null });
    bridge.emitStatus({ attribute: 'work_status', value: 'ready' });
    expect(t.sent).toEqual([]);
    bridge.setLoggedIn(true);
    t.fromHost(INIT);
    bridge.emitStatus({ attribute: 'work_status', value: 'ready' });
    const interaction = {} as never;
    bridge.emitState({
      attribute: 'channel_status',
      value: { held: true, muted: false, recording: false },
      interaction,
    });
    expect(t.sent.map((m) => m.type)).toEqual(['init', 'status']);
  });
});

describe('resolveHostOrigin', () => {
  const allow = ['https://crm.example.com'];
  it.each([
    ['not framed', { framed: false, ancestorOrigins: undefined, referrer: '', hostParam: null }, { kind: 'none' }],
    [
      'ancestorOrigins wins over a forged host=',
      { framed: true, ancestorOrigins: ['https://evil.example'], referrer: '', hostParam: 'https://crm.example.com' },
      { kind: 'refused', origin: 'https://evil.example' },
    ],
    [
      'allowed ancestor',
      { framed: true, ancestorOrigins: ['https://crm.example.com'], referrer: '', hostParam: null },
      { kind: 'allowed', origin: 'https://crm.example.com' },
    ],
    [
      'referrer when ancestorOrigins is missing',
      { framed: true, ancestorOrigins: undefined, referrer: 'https://crm.example.com/app/page?x=1', hostParam: null },
      { kind: 'allowed', origin: 'https://crm.example.com' },
    ],
    [
      'host= as the last resort',
      { framed: true, ancestorOrigins: undefined, referrer: '', hostParam: 'https://crm.example.com' },
      { kind: 'allowed', origin: 'https://crm.example.com' },
    ],
    [
      'nothing known',
      { framed: true, ancestorOrigins: undefined, referrer: '', hostParam: 'garbage' },
      { kind: 'refused', origin: null },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(resolveHostOrigin(facts, allow)).toEqual(expected);
  });
});

describe('HostBridge over a transferred MessagePort (ext)', () => {
  it('adopts the port of a protocol-2 init and answers through it', async () => {
    const t = new FakeTransport();
    const bridge = new HostBridge(t, { handle: async () => ({ username: 'agent1' }) });
    bridge.setLoggedIn(true);
    const channel = new MessageChannel();
    const received: unknown[] = [];
    channel.port1.onmessage = (event) => received.push(event.data);
    t.handler?.({ id: 'initRequest', type: 'init', payload: { protocol: 2 } }, channel.port2);
    channel.port1.postMessage({ id: 'p-1', type: 'action', payload: { command: 'detail', value: 'user' } });
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual([
      { id: 'initRequest', type: 'init', payload: { value: [] } },
      { id: 'p-1', type: 'response', payload: { value: { username: 'agent1' } } },
    ]);
    expect(t.sent).toEqual([]);
    bridge.dispose();
    channel.port1.close();
  });

  it('ignores a port sent with a CPC init (payload false) and keeps using the window', () => {
    const t = new FakeTransport();
    const bridge = new HostBridge(t, { handle: async () => null });
    bridge.setLoggedIn(true);
    const channel = new MessageChannel();
    t.handler?.({ id: 'initRequest', type: 'init', payload: false }, channel.port2);
    expect(t.sent).toEqual([{ id: 'initRequest', type: 'init', payload: { value: [] } }]);
    channel.port1.close();
    channel.port2.close();
  });
});
