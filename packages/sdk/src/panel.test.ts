import type { HostMessage, Interaction, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { PanelClient } from './client.ts';
import { createPanel } from './load.ts';
import type { Messenger } from './messenger.ts';

class FakeMessenger implements Messenger {
  sent: HostMessage[] = [];
  #handler: ((data: unknown) => void) | null = null;
  post(message: HostMessage): void {
    this.sent.push(message);
    // The panel answers every action at once with what it was asked.
    if (message.type === 'action' && message.payload.command !== 'detail') {
      queueMicrotask(() =>
        this.#handler?.({ id: message.id, type: 'response', payload: { value: { asked: message.payload } } }),
      );
    }
  }
  listen(handler: (data: unknown) => void): () => void {
    this.#handler = handler;
    return () => {
      this.#handler = null;
    };
  }
  fromPanel(data: unknown): void {
    this.#handler?.(data);
  }
}

const ID = 'c'.repeat(32);
const CHAT = { id: ID, channel_type: 'chat', state: 'alerting' } as unknown as Interaction;

function setup() {
  const messenger = new FakeMessenger();
  const client = new PanelClient(messenger);
  client.connected();
  const panel = createPanel(client, {
    baseUrl: 'https://p.example/',
    frame: {} as HTMLIFrameElement,
    ready: Promise.resolve({} as User),
  });
  const asked = async (run: Promise<unknown>) => ((await run) as { asked: unknown }).asked;
  return { messenger, panel, asked };
}

describe('Panel methods', () => {
  it.each<[string, (p: ReturnType<typeof setup>['panel']) => Promise<unknown>, object]>([
    ['accept', (p) => p.accept(), { command: 'interaction', value: 'accept' }],
    ['reject by id', (p) => p.reject(ID), { command: 'interaction', value: 'reject', interactionId: ID }],
    ['hangup', (p) => p.hangup(), { command: 'interaction', value: 'hangup' }],
    ['handle', (p) => p.handle(ID), { command: 'interaction', value: 'handle', interactionId: ID }],
    ['pick', (p) => p.pick(ID), { command: 'interaction', value: 'pick', interactionId: ID }],
    ['cancelConsult', (p) => p.cancelConsult(), { command: 'interaction', value: 'cancel_consult' }],
    ['conference', (p) => p.conference(), { command: 'interaction', value: 'conference' }],
    ['hold', (p) => p.hold(), { command: 'callState', value: 'hold' }],
    [
      'startRecording',
      (p) => p.startRecording(ID),
      { command: 'callState', value: 'startRecording', interactionId: ID },
    ],
    ['callState', (p) => p.callState('mute'), { command: 'callState', value: 'mute' }],
    ['consult', (p) => p.consult('support@demo'), { command: 'consult', value: { to: 'support@demo' } }],
    ['transfer', (p) => p.transfer('agent2', ID), { command: 'transfer', value: { to: 'agent2' }, interactionId: ID }],
    ['joinCalls', (p) => p.joinCalls(), { command: 'join' }],
    ['dtmf', (p) => p.dtmf('12#'), { command: 'dtmf', value: { content: '12#' } }],
    ['message', (p) => p.message('hello'), { command: 'message', value: { content: 'hello' } }],
    ['wrapUp', (p) => p.wrapUp({ code: 'resolved' }), { command: 'wrapup', value: { code: 'resolved' } }],
    [
      'callOut',
      (p) => p.callOut('+4930', '+1555'),
      { command: 'outbound', value: { channel: 'phone', to: '+4930', from: '+1555' } },
    ],
    ['sendSMS', (p) => p.sendSMS({ to: '+49' }), { command: 'outbound', value: { to: '+49', channel: 'sms' } }],
    [
      'startWhatsAppChat',
      (p) => p.startWhatsAppChat({ to: '+49' }),
      { command: 'outbound', value: { to: '+49', channel: 'whatsapp' } },
    ],
    [
      'sendEmail',
      (p) => p.sendEmail({ to: ['a@b.c'] }),
      { command: 'outbound', value: { to: ['a@b.c'], channel: 'email' } },
    ],
    ['picklist', (p) => p.picklist(5, 'q'.repeat(32)), { command: 'picklist', limit: 5, queueId: 'q'.repeat(32) }],
  ])('%s sends the protocol command', async (_name, run, payload) => {
    const { panel, asked } = setup();
    expect(await asked(run(panel))).toEqual(payload);
  });

  it('knows the open interactions and the one in view from the panel’s events', () => {
    const { messenger, panel } = setup();
    messenger.fromPanel({ type: 'init', id: 'initRequest', payload: { value: [] } });
    messenger.fromPanel({ type: 'state', payload: { attribute: 'status', value: 'incoming', interaction: CHAT } });
    messenger.fromPanel({ type: 'state', payload: { attribute: 'activeInteraction', value: CHAT } });
    expect(panel.ongoingInteractions()).toEqual([CHAT]);
    expect(panel.hasOngoingInteraction('chat')).toBe(true);
    expect(panel.hasOngoingInteraction('phone')).toBe(false);
    expect(panel.activeInteractionId).toBe(ID);
    messenger.fromPanel({ type: 'state', payload: { attribute: 'status', value: 'handled', interaction: CHAT } });
    messenger.fromPanel({ type: 'state', payload: { attribute: 'activeInteraction', value: null } });
    expect(panel.ongoingInteractions()).toEqual([]);
    expect(panel.activeInteractionId).toBeNull();
  });
});
