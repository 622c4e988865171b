import type { HostMessage } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PanelClient } from './client.ts';
import { ParleyError } from './errors.ts';
import type { Messenger } from './messenger.ts';

class FakeMessenger implements Messenger {
  sent: HostMessage[] = [];
  #handler: ((data: unknown) => void) | null = null;
  post(message: HostMessage): void {
    this.sent.push(message);
  }
  listen(handler: (data: unknown) => void): () => void {
    this.#handler = handler;
    return () => {
      this.#handler = null;
    };
  }
  /** Delivers a message as if the panel had posted it. */
  fromPanel(data: unknown): void {
    this.#handler?.(data);
  }
  get listening(): boolean {
    return this.#handler !== null;
  }
  lastAction() {
    const last = this.sent.at(-1);
    if (!last || last.type !== 'action') throw new Error('no action sent');
    return last;
  }
}

const USER = { id: 'a'.repeat(32), username: 'agent1', work_status: 'not_ready' };

let messenger: FakeMessenger;
beforeEach(() => {
  messenger = new FakeMessenger();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PanelClient', () => {
  it('sends a protocol-2 init on connect and emits load', () => {
    const client = new PanelClient(messenger, { enableChannelStatusUpdates: true });
    const load = vi.fn();
    client.on('load', load);
    client.connected();
    expect(load).toHaveBeenCalledOnce();
    expect(messenger.sent).toEqual([
      { id: 'initRequest', type: 'init', payload: { protocol: 2, enable_channel_status_updates: true } },
    ]);
  });

  it('on init fetches the user, then emits ready with it', async () => {
    const client = new PanelClient(messenger);
    client.connected();
    const ready = new Promise((resolve) => client.on('ready', resolve));
    messenger.fromPanel({ id: 'initRequest', type: 'init', payload: { value: [] } });
    expect(client.initialized).toBe(true);
    const detail = messenger.lastAction();
    expect(detail.payload).toEqual({ command: 'detail', value: 'user' });
    messenger.fromPanel({ id: detail.id, type: 'response', payload: { value: USER } });
    expect(await ready).toEqual(USER);
    expect(client.currentUser).toEqual(USER);
  });

  it('resolves a request as soon as its response arrives, matching by id', async () => {
    const client = new PanelClient(messenger);
    client.connected();
    const first = client.request('detail', { value: 'user' });
    const second = client.request('detail', { value: 'interactions' });
    const [a, b] = messenger.sent.slice(1) as [HostMessage, HostMessage];
    expect(a.id).not.toBe(b.id);
    messenger.fromPanel({ id: b.id, type: 'response', payload: { value: [] } });
    messenger.fromPanel({ id: a.id, type: 'response', payload: { value: USER } });
    await expect(first).resolves.toEqual(USER);
    await expect(second).resolves.toEqual([]);
  });

  it('rejects with a ParleyError carrying the panel error code', async () => {
    const client = new PanelClient(messenger);
    client.connected();
    const pending = client.request('detail', { value: 'queues' });
    messenger.fromPanel({
      id: messenger.lastAction().id,
      type: 'response',
      payload: { value: null, error: { code: 'not_logged_in', message: 'No agent' } },
    });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ code: 'not_logged_in', message: 'No agent' });
  });

  it('times out with code timeout', async () => {
    vi.useFakeTimers();
    const client = new PanelClient(messenger, { timeoutMs: 500 });
    client.connected();
    const pending = client.request('detail', { value: 'user' }).catch((e: unknown) => e);
    vi.advanceTimersByTime(501);
    expect(await pending).toMatchObject({ code: 'timeout' });
  });

  it('rejects pending requests with panel_unavailable when the panel reloads, then re-handshakes', async () => {
    const client = new PanelClient(messenger);
    client.connected();
    const pending = client.request('detail', { value: 'user' }).catch((e: unknown) => e);
    client.connected();
    expect(await pending).toMatchObject({ code: 'panel_unavailable' });
    expect(messenger.sent.filter((m) => m.type === 'init')).toHaveLength(2);
  });

  it('rejects requests before the panel loaded and after dispose', async () => {
    const client = new PanelClient(messenger);
    await expect(client.request('detail')).rejects.toMatchObject({ code: 'panel_unavailable' });
    client.connected();
    client.dispose();
    expect(messenger.listening).toBe(false);
    await expect(client.request('detail')).rejects.toMatchObject({ code: 'panel_unavailable' });
  });

  it('hands plain credentials to the panel once, and asks a function again on every load', async () => {
    const once = new PanelClient(messenger, { auth: { basic: { userName: 'agent1', password: 'pw' } } });
    once.connected();
    expect(messenger.lastAction().payload).toEqual({
      command: 'authenticate',
      value: { basic: { userName: 'agent1', password: 'pw' } },
    });
    once.connected();
    expect(messenger.sent.filter((m) => m.type === 'action' && m.payload.command === 'authenticate')).toHaveLength(1);
    once.dispose();

    const m2 = new FakeMessenger();
    const tokens = vi.fn(() => ({ oAuth: { token: `t${tokens.mock.calls.length}` } }));
    const fresh = new PanelClient(m2, { auth: tokens });
    fresh.connected();
    fresh.connected();
    await Promise.resolve();
    expect(tokens).toHaveBeenCalledTimes(2);
  });

  it('asks an auth function again when the panel is logged out, and fires ready again after the new login', async () => {
    const tokens = vi.fn(() => ({ oAuth: { token: `t${tokens.mock.calls.length}` } }));
    const client = new PanelClient(messenger, { auth: tokens });
    const ready = vi.fn();
    client.on('ready', ready);
    client.connected();
    await Promise.resolve();
    const answerUser = async () => {
      messenger.fromPanel({ id: 'initRequest', type: 'init', payload: { value: [] } });
      const detail = messenger.lastAction();
      messenger.fromPanel({ id: detail.id, type: 'response', payload: { value: USER } });
      await Promise.resolve();
      await Promise.resolve();
    };
    await answerUser();
    expect(ready).toHaveBeenCalledTimes(1);
    expect(client.initialized).toBe(true);
    // The session ended in the panel (expired, or a supervisor logged the agent out).
    messenger.fromPanel({ type: 'status', payload: { attribute: 'work_status', value: 'offline' } });
    await Promise.resolve();
    expect(client.initialized).toBe(false);
    expect(client.currentUser).toBeNull();
    expect(tokens).toHaveBeenCalledTimes(2);
    expect(messenger.lastAction().payload).toEqual({ command: 'authenticate', value: { oAuth: { token: 't2' } } });
    await answerUser();
    expect(ready).toHaveBeenCalledTimes(2);
    // The host's own logout is not undone.
    await answerUser();
    client.loggingOut = true;
    messenger.fromPanel({ type: 'status', payload: { attribute: 'work_status', value: 'offline' } });
    await Promise.resolve();
    expect(tokens).toHaveBeenCalledTimes(2);
  });

  it('maps wire events to typed events', () => {
    const client = new PanelClient(messenger);
    client.connected();
    const seen: unknown[] = [];
    client.onAny((name, ...args) => {
      if (name !== 'message') seen.push([name, ...args]);
    });
    const interaction = { id: 'b'.repeat(32) };
    messenger.fromPanel({ type: 'status', payload: { attribute: 'work_status', value: 'ready' } });
    messenger.fromPanel({ type: 'status', payload: { attribute: 'connection', value: 'reconnecting' } });
    messenger.fromPanel({ type: 'state', payload: { attribute: 'status', value: 'incoming', interaction } });
    messenger.fromPanel({
      type: 'state',
      payload: { attribute: 'channel_status', value: { held: true, muted: false, recording: false }, interaction },
    });
    messenger.fromPanel({ type: 'state', payload: { attribute: 'activeInteraction', value: null } });
    expect(seen).toEqual([
      ['agent:workStatus', 'ready'],
      ['connection', 'reconnecting'],
      ['interaction:status', { status: 'incoming', interaction }],
      ['interaction:channel', { held: true, muted: false, recording: false, interaction }],
      ['interaction:active', null],
    ]);
  });

  it('ignores malformed messages and survives a throwing listener', () => {
    vi.useFakeTimers();
    const client = new PanelClient(messenger);
    client.connected();
    const good = vi.fn();
    client.on('agent:workStatus', () => {
      throw new Error('host bug');
    });
    client.on('agent:workStatus', good);
    for (const junk of [
      null,
      'x',
      42,
      { type: 'status' },
      { type: 'response', id: 'nope', payload: { value: 1 } },
      { type: 'init', payload: {} },
    ]) {
      expect(() => messenger.fromPanel(junk)).not.toThrow();
    }
    messenger.fromPanel({ type: 'status', payload: { attribute: 'work_status', value: 'busy' } });
    expect(good).toHaveBeenCalledWith('busy');
    expect(() => vi.runAllTimers()).toThrow('host bug');
  });

  it('on() returns an unsubscribe function and once() fires once', () => {
    const client = new PanelClient(messenger);
    const onLoad = vi.fn();
    const onceLoad = vi.fn();
    const off = client.on('load', onLoad);
    client.once('load', onceLoad);
    client.connected();
    off();
    client.connected();
    expect(onLoad).toHaveBeenCalledTimes(1);
    expect(onceLoad).toHaveBeenCalledTimes(1);
  });
});
