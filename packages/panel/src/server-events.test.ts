import type { Interaction, Message, ServerEvent, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, type PanelState } from './panel-state.ts';
import { react, TYPING_SHOWN_MS } from './server-events.ts';

const CHAT = { id: 'c'.repeat(32), channel_type: 'chat', state: 'accepted' } as Interaction;
const CALL = { id: 'a'.repeat(32), channel_type: 'phone', state: 'accepted' } as Interaction;
const USER = { id: 'u'.repeat(32), username: 'ann' } as User;
const state = (patch: Partial<PanelState> = {}): PanelState => ({ ...INITIAL_STATE, ...patch });
const frame = (data: Extract<ServerEvent, { type: 'interaction' }>['data']): ServerEvent => ({
  seq: 1,
  type: 'interaction',
  data,
});

describe('react (what a server frame asks of the panel)', () => {
  it('keeps the queue lines the server pushes', () => {
    const queues = [
      {
        queue_id: 'q'.repeat(32),
        name: 'Sales',
        channel: 'phone',
        waiting: 2,
        oldest_waiting_since: '2026-12-03T12:00:00.000Z',
      },
    ];
    expect(react(state(), { seq: 3, type: 'queues', data: { queues } }, 0)).toEqual({ patch: { queueLoads: queues } });
  });

  it('replaces everything on hello, and sets the call audio up on the new connection', () => {
    const r = react(
      state(),
      { seq: 1, type: 'hello', data: { user: USER, server_time: '', interactions: [CALL], event_seq: 7 } },
      0,
    );
    expect(r).toEqual({
      user: USER,
      reset: { interactions: [CALL], eventSeq: 7 },
      attachVoice: true,
      followAudio: true,
    });
  });

  it('adds a message to its conversation and ends the customer\'s "typing…" when it is theirs', () => {
    const message = { id: 'm1', direction: 'in', content: 'hi' } as Message;
    const before = state({ typing: { [CHAT.id]: 99, other: 5 } });
    const r = react(before, frame({ event_seq: 2, event: 'message', interaction: CHAT, detail: { message } }), 0);
    expect(r.messages).toEqual({ interactionId: CHAT.id, messages: [message] });
    expect(r.patch).toEqual({ typing: { other: 5 } });
    expect(r.followAudio).toBeUndefined();
    const mine = react(
      before,
      frame({
        event_seq: 3,
        event: 'message_status',
        interaction: CHAT,
        detail: { message: { ...message, direction: 'out' } },
      }),
      0,
    );
    expect(mine.patch).toBeUndefined();
  });

  it('ignores a message detail that is not an object', () => {
    const r = react(
      state(),
      frame({ event_seq: 2, event: 'message', interaction: CHAT, detail: { message: 'x' as unknown as Message } }),
      0,
    );
    expect(r.messages).toBeUndefined();
  });

  it('keeps the last 32 keys a caller pressed, and has the audio follow calls', () => {
    const r = react(
      state({ tones: { [CALL.id]: '1'.repeat(31) } }),
      frame({ event_seq: 4, event: 'dtmf_received', interaction: CALL, detail: { digits: '#9' } }),
      0,
    );
    expect(r.patch?.tones?.[CALL.id]).toBe(`${'1'.repeat(30)}#9`);
    expect(r.followAudio).toBe(true);
  });

  it('shows the station on standby while another client of the agent carries the calls, and back', () => {
    expect(react(state(), { seq: 2, type: 'station', data: { active: false, reason: 'multi_login' } }, 0)).toEqual({
      patch: { audio: 'standby' },
    });
    expect(react(state({ audio: 'standby' }), { seq: 3, type: 'station', data: { active: true } }, 0)).toEqual({
      patch: { audio: 'connected' },
    });
  });

  it('shows typing for a while from now', () => {
    const r = react(state(), { seq: 5, type: 'typing', data: { interaction_id: CHAT.id } }, 1000);
    expect(r.patch).toEqual({ typing: { [CHAT.id]: 1000 + TYPING_SHOWN_MS } });
  });
});
