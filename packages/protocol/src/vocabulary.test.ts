import { describe, expect, it } from 'vitest';
import { parseCustomerFrame, parsePhoneServerFrame } from './customer.ts';
import {
  AGENT_ACTIONS,
  INTERACTION_STATES,
  isAgentAction,
  isInteractionState,
  isTerminalState,
  OPEN_STATES,
  TERMINAL_STATES,
} from './vocabulary.ts';

describe('the interaction vocabulary', () => {
  it('splits every state into open or terminal, once', () => {
    expect([...OPEN_STATES, ...TERMINAL_STATES].sort()).toEqual([...INTERACTION_STATES].sort());
    expect(OPEN_STATES).toEqual(['incoming', 'outgoing', 'alerting', 'accepted', 'held', 'ended', 'wrap_up']);
    expect(INTERACTION_STATES.filter(isTerminalState)).toEqual(['handled', 'rejected', 'missed', 'failed']);
  });

  it('recognises states and actions, and nothing else', () => {
    expect(isInteractionState('wrap_up')).toBe(true);
    expect(isInteractionState('toString')).toBe(false);
    expect(AGENT_ACTIONS.every(isAgentAction)).toBe(true);
    expect(isAgentAction('pick')).toBe(false);
  });
});

describe('customer and phone frames', () => {
  it('reads pushed chat frames and refuses replies and garbage', () => {
    const hello = {
      seq: 1,
      type: 'hello',
      data: { conversation: { id: 'c', state: 'waiting', agent: null }, messages: [] },
    };
    expect(parseCustomerFrame(hello)).toEqual(hello);
    expect(parseCustomerFrame({ seq: 2, type: 'typing', data: {} })?.type).toBe('typing');
    expect(parseCustomerFrame({ re: '1', ok: true, data: {} })).toBeNull();
    expect(parseCustomerFrame({ type: 'hello', data: { conversation: 'x' } })).toBeNull();
    expect(parseCustomerFrame({ type: 'constructor', data: {} })).toBeNull();
  });

  it('reads phone frames only with their fields', () => {
    expect(parsePhoneServerFrame({ type: 'ended', call_id: 'a', reason: 'hangup' })?.type).toBe('ended');
    expect(parsePhoneServerFrame({ type: 'ended', call_id: 'a' })).toBeNull();
    expect(parsePhoneServerFrame({ type: 'toString' })).toBeNull();
    expect(parsePhoneServerFrame({ type: 'error', code: 'not_found', message: 'No such number.' })?.type).toBe('error');
  });
});

describe('channel traits', () => {
  it('describe every channel, and the external ones are those a provider or relay sends', async () => {
    const { CHANNEL_TYPES } = await import('./objects.ts');
    const { CHANNEL_TRAITS, EXTERNAL_CHANNELS, isExternalChannel } = await import('./channels.ts');
    expect(Object.keys(CHANNEL_TRAITS).sort()).toEqual([...CHANNEL_TYPES].sort());
    expect(EXTERNAL_CHANNELS).toEqual(
      ['email', 'sms', 'whatsapp']
        .filter((c) => CHANNEL_TYPES.includes(c as never))
        .sort((a, b) => CHANNEL_TYPES.indexOf(a as never) - CHANNEL_TYPES.indexOf(b as never)),
    );
    expect(isExternalChannel('chat')).toBe(false);
    expect(CHANNEL_TRAITS.chat.outbound).toBe(false);
  });
});
