import type { InteractionFrame, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { addNotice, frameNotice, sessionNotice, userNotice, type Notice } from './notices.ts';

const USER = {
  id: 'a'.repeat(32),
  username: 'agent1',
  display_name: 'Ada Agent',
  work_status: 'ready',
  ready: true,
  state_changed_at: '2026-12-02T10:00:00.000Z',
  state_changed_by: null,
  not_ready_reason: null,
  not_ready_reason_code: null,
} as unknown as User;

describe('notices', () => {
  it('tells the agent a supervisor set them not ready, naming the supervisor and the reason', () => {
    const after = {
      ...USER,
      work_status: 'not_ready',
      ready: false,
      state_changed_at: '2026-12-02T10:05:00.000Z',
      state_changed_by: 'b'.repeat(32),
      state_changed_by_name: 'Sam Supervisor',
      not_ready_reason_label: 'Meeting',
    } as User;
    expect(userNotice(USER, after)).toEqual({
      kind: 'forced_state',
      params: { by: 'Sam Supervisor', status: 'not_ready', reason: 'Meeting' },
    });
  });

  it('says nothing about the agent’s own changes, or on the first copy of the user', () => {
    expect(userNotice(null, USER)).toBeNull();
    expect(userNotice(USER, { ...USER, ready: false, state_changed_at: '2026-12-02T11:00:00.000Z' })).toBeNull();
  });

  it('explains a not-ready after missed offers once', () => {
    const missed = { ...USER, ready: false, not_ready_reason_code: 'missed_offers' } as User;
    expect(userNotice(USER, missed)).toEqual({ kind: 'missed_offers', params: {} });
    expect(userNotice(missed, missed)).toBeNull();
  });

  it('tells the transferring agent a transfer was not taken, and a forced logout who did it', () => {
    const frame = {
      event_seq: 9,
      event: 'transfer_failed',
      interaction: { id: 'c'.repeat(32), remote_address: '+4930123' },
      detail: {
        reason: 'timeout',
        agent_id: 'd'.repeat(32),
        agent_name: 'Ben Agent',
        outcome: 'queued',
        queue_name: 'Sales',
        transferred_to: 'e'.repeat(32),
      },
    } as unknown as InteractionFrame;
    expect(frameNotice(frame)).toEqual({
      kind: 'transfer_failed',
      params: { agent: 'Ben Agent', customer: '+4930123', reason: 'timeout', queue: 'Sales', outcome: 'queued' },
    });
    expect(frameNotice({ ...frame, event: 'accepted' } as InteractionFrame)).toBeNull();
    expect(sessionNotice({ reason: 'forced_logout', by: 'Sam' })).toEqual({
      kind: 'forced_logout',
      params: { by: 'Sam' },
    });
    expect(sessionNotice({ reason: 'ended', detail: 'expired' })).toBeNull();
  });

  it('keeps one line about the state: a newer state or a forced logout replaces the older ones', () => {
    const n = (id: number, kind: Notice['kind']): Notice => ({ id, kind, params: {} });
    let list = addNotice([], n(1, 'transfer_failed'));
    list = addNotice(list, n(2, 'forced_state'));
    list = addNotice(list, n(3, 'missed_offers'));
    list = addNotice(list, n(4, 'forced_state'));
    expect(list.map((x) => x.id)).toEqual([1, 4]);
    list = addNotice(list, n(5, 'forced_logout'));
    expect(list.map((x) => `${x.id}:${x.kind}`)).toEqual(['1:transfer_failed', '5:forced_logout']);
    for (let id = 6; id < 12; id++) list = addNotice(list, n(id, 'transfer_failed'));
    expect(list.map((x) => x.id)).toEqual([7, 8, 9, 10, 11]);
  });

  it('tells the agent a supervisor is on their call, one line per supervisor, when the tenant lets it through', () => {
    const frame = (mode: string | null) =>
      ({
        event: 'monitor',
        event_seq: 9,
        detail: { supervisor_id: 's'.repeat(32), supervisor_name: 'Sam Supervisor', mode },
        interaction: { id: 'i'.repeat(32), remote_address: '+4930123' },
      }) as unknown as InteractionFrame;
    expect(frameNotice(frame('whisper'))).toEqual({
      kind: 'monitored',
      params: { by: 'Sam Supervisor', mode: 'whisper', customer: '+4930123' },
    });
    const listening = frameNotice(frame('monitor'));
    const left = frameNotice(frame(null));
    expect(left?.params['mode']).toBe('left');
    const list = addNotice([{ id: 1, ...listening! }], { id: 2, ...left! });
    expect(list.map((n) => `${n.id}:${n.params['mode']}`)).toEqual(['2:left']);
  });
});
