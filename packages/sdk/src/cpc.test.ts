import type { HostMessage, Interaction, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { PanelClient } from './client.ts';
import { createCpc } from './cpc.ts';
import { createPanel } from './load.ts';
import type { Messenger } from './messenger.ts';

/** A panel that answers each action with what it was asked, or an error for `fail`. */
class FakeMessenger implements Messenger {
  #handler: ((data: unknown) => void) | null = null;
  post(message: HostMessage): void {
    if (message.type !== 'action') return;
    const { payload } = message;
    queueMicrotask(() =>
      this.#handler?.(
        payload.value === 'fail'
          ? {
              id: message.id,
              type: 'response',
              payload: { value: null, error: { code: 'invalid_state', message: 'no' } },
            }
          : {
              id: message.id,
              type: 'response',
              payload: { value: payload.command === 'detail' ? [{ type: 'chat' }, { type: 'phone' }] : payload },
            },
      ),
    );
  }
  listen(handler: (data: unknown) => void): () => void {
    this.#handler = handler;
    return () => undefined;
  }
  fromPanel(data: unknown): void {
    this.#handler?.(data);
  }
}

function setup() {
  const messenger = new FakeMessenger();
  const client = new PanelClient(messenger);
  client.connected();
  const panel = createPanel(client, {
    baseUrl: 'https://p.example/',
    frame: { remove: () => undefined } as HTMLIFrameElement,
    ready: Promise.resolve({} as User),
  });
  const cpc = createCpc(async () => panel);
  return { cpc, messenger };
}

describe('CPC facade members', () => {
  it('answer false before load, never throwing', async () => {
    const cpc = createCpc(async () => {
      throw new Error('no');
    });
    expect(await cpc.callOut('+49')).toBe(false);
    expect(await cpc.RI.request('rci', 'GET', '/queues')).toBe(false);
    expect(cpc.hasOngoingInteraction()).toBe(false);
    expect(cpc.ongoingInteractions()).toEqual(new Map());
    expect(await cpc.load({ tenantBaseUrl: 'https://p.example/', parentElement: 'x' })).toBe(false);
  });

  it('map each member to its protocol command and answer its result, or false on an error', async () => {
    const { cpc } = setup();
    expect(await cpc.load({ tenantBaseUrl: 'https://p.example/', parentElement: 'x' })).toBe(true);
    expect(await cpc.callOut('+4930', '+1555')).toEqual({
      command: 'outbound',
      value: { channel: 'phone', to: '+4930', from: '+1555' },
    });
    expect(await cpc.callState('hold', 'c'.repeat(32))).toEqual({
      command: 'callState',
      value: 'hold',
      interactionId: 'c'.repeat(32),
    });
    expect(await cpc.interaction('accept')).toEqual({ command: 'interaction', value: 'accept' });
    expect(await cpc.interaction('fail')).toBe(false);
    expect(await cpc.transfer('agent2')).toEqual({ command: 'transfer', value: { to: 'agent2' } });
    expect(await cpc.consult('support@demo')).toEqual({ command: 'consult', value: { to: 'support@demo' } });
    expect(await cpc.joinCalls()).toEqual({ command: 'join' });
    expect(await cpc.message('hi')).toEqual({ command: 'message', value: { content: 'hi' } });
    expect(await cpc.dtmf('5')).toEqual({ command: 'dtmf', value: { content: '5' } });
    expect(await cpc.sendSMS({ to: '+49' })).toEqual({ command: 'outbound', value: { to: '+49', channel: 'sms' } });
    expect(await cpc.sendEmail({ to: ['a@b.c'] })).toEqual({
      command: 'outbound',
      value: { to: ['a@b.c'], channel: 'email' },
    });
    expect(await cpc.startWhatsAppChat({ to: '+49' })).toEqual({
      command: 'outbound',
      value: { to: '+49', channel: 'whatsapp' },
    });
    expect(await cpc.picklist(3)).toEqual({ command: 'picklist', limit: 3 });
    expect(await cpc.setReady(true)).toEqual({ command: 'ready', value: { ready: true } });
    expect(await cpc.setProfile('Lunch')).toEqual({ command: 'presence', value: 'Lunch' });
    expect(await cpc.authenticate_token('t')).toEqual({ command: 'authenticate', value: { oAuth: { token: 't' } } });
    expect(await cpc.xdmSendAction({ command: 'detail', value: 'user' })).toBeTruthy();
    expect(await cpc.RI.request('rci', 'GET', '/queues')).toEqual({
      command: 'ri',
      value: { api: 'rci', method: 'GET', resource: '/queues' },
    });
    // Channel filters that actually work.
    expect(await cpc.getCurrentUserQueues('phone')).toEqual([{ type: 'phone' }]);
  });

  it('know the open interactions from the panel events', async () => {
    const { cpc, messenger } = setup();
    await cpc.load({ tenantBaseUrl: 'https://p.example/', parentElement: 'x' });
    const call = { id: 'c'.repeat(32), channel_type: 'phone' } as Interaction;
    messenger.fromPanel({ type: 'state', payload: { attribute: 'status', value: 'accepted', interaction: call } });
    messenger.fromPanel({ type: 'state', payload: { attribute: 'activeInteraction', value: call } });
    expect(cpc.hasOngoingInteractionOfType('phone')).toBe(true);
    expect(cpc.hasOngoingInteraction('chat')).toBe(false);
    expect(cpc.ongoingInteractions().get(call.id)).toEqual(call);
    expect(cpc.activeInteractionId).toBe(call.id);
  });
});
