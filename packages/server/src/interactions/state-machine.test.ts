import { CHANNEL_TYPES } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  INTERACTION_ACTIONS,
  INTERACTION_STATES,
  initialState,
  InteractionError,
  TERMINAL_STATES,
  transition,
  type Direction,
  type InteractionAction,
  type InteractionState,
} from './state-machine.ts';

const call = (state: InteractionState, direction: Direction = 'inbound') => ({
  id: 'i1',
  channel: 'phone' as const,
  direction,
  state,
});
const chat = (state: InteractionState, direction: Direction = 'inbound') => ({
  id: 'i2',
  channel: 'chat' as const,
  direction,
  state,
});

describe('interaction state machine', () => {
  it.each<[string, Array<InteractionAction>, InteractionState]>([
    [
      'an answered inbound call, held, wrapped up',
      ['alert', 'accept', 'hold', 'unhold', 'hangup', 'wrapup', 'handle'],
      'handled',
    ],
    [
      'an inbound offer rejected goes back to the queue, then is answered',
      ['alert', 'reject', 'alert', 'accept', 'hangup', 'handle'],
      'handled',
    ],
    ['an inbound offer that times out goes back to the queue', ['alert', 'timeout'], 'incoming'],
    ['a caller who hangs up while queued is missed', ['abandon'], 'missed'],
    ['a caller who hangs up while ringing is missed', ['alert', 'abandon'], 'missed'],
    ['a held call can be ended', ['alert', 'accept', 'hold', 'hangup'], 'ended'],
  ])('inbound phone: %s', (_name, actions, final) => {
    let state = initialState('inbound');
    for (const action of actions) state = transition(call(state), action);
    expect(state).toBe(final);
  });

  it.each<[string, Array<InteractionAction>, InteractionState]>([
    ['answered', ['alert', 'accept', 'hangup', 'wrapup', 'handle'], 'handled'],
    ['declined by the far end', ['alert', 'reject'], 'rejected'],
    ['not answered', ['alert', 'timeout'], 'missed'],
    ['to an unreachable number', ['fail'], 'failed'],
    ['cancelled by the agent while ringing', ['alert', 'hangup', 'handle'], 'handled'],
  ])('outbound phone: %s', (_name, actions, final) => {
    let state = initialState('outbound');
    for (const action of actions) state = transition(call(state, 'outbound'), action);
    expect(state).toBe(final);
  });

  it.each([
    ['hold on a chat', chat('accepted'), 'hold'],
    ['accept on an ended call', call('ended'), 'accept'],
    ['hold on a ringing call', call('alerting'), 'hold'],
    ['unhold on a call that is not held', call('accepted'), 'unhold'],
    ['wrap-up before the end', call('accepted'), 'wrapup'],
    ['anything on a handled call', call('handled'), 'hangup'],
  ] as const)('refuses %s with invalid_state naming the state', (_name, interaction, action) => {
    let error: unknown;
    try {
      transition(interaction, action);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InteractionError);
    expect(error).toMatchObject({ code: 'invalid_state', from: interaction.state, action });
    expect((error as Error).message).toBe(
      `Interaction ${interaction.id} is ${interaction.state}; ${action} is not possible in that state.`,
    );
  });

  it('has no way out of a terminal state, and hold only on phone', () => {
    for (const channel of CHANNEL_TYPES) {
      for (const direction of ['inbound', 'outbound'] as const) {
        for (const state of TERMINAL_STATES) expect(allowedActions(channel, direction, state)).toEqual([]);
        expect(allowedActions(channel, direction, 'accepted').includes('hold')).toBe(channel === 'phone');
      }
    }
  });

  it('every transition leads to a known state', () => {
    for (const channel of CHANNEL_TYPES) {
      for (const direction of ['inbound', 'outbound'] as const) {
        for (const state of INTERACTION_STATES) {
          for (const action of allowedActions(channel, direction, state)) {
            expect(INTERACTION_ACTIONS).toContain(action);
            expect(INTERACTION_STATES).toContain(transition({ id: 'x', channel, direction, state }, action));
          }
        }
      }
    }
  });
});
