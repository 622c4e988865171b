import type { Interaction, ServerEvent, StatePayload, StatusPayload, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { AgentSession } from './session.ts';
import type { SocketHandlers } from './socket.ts';

const ME = 'a'.repeat(32);
const user = (patch: Partial<User> = {}): User =>
  ({
    id: ME,
    username: 'agent1',
    display_name: 'Ada',
    email: 'a@x.test',
    presence: 'p',
    presence_profiles: [],
    work_status: 'not_ready',
    language: 'en',
    theme: { dark: false, primary: '#2563eb' },
    rights: ['agent'],
    ...patch,
  }) as User;
const call = (patch: Partial<Interaction> = {}): Interaction =>
  ({
    id: 'c'.repeat(32),
    channel_type: 'phone',
    direction: 'inbound',
    state: 'alerting',
    queue_id: null,
    queue_name: null,
    remote_address: '+1',
    local_address: '+2',
    created: '2026-12-02T05:00:00.000Z',
    held: false,
    muted: false,
    recording: false,
    agent_id: ME,
    ...patch,
  }) as Interaction;

function harness(channelStatus = true) {
  const log: string[] = [];
  let handlers: SocketHandlers | null = null;
  const session = new AgentSession(
    (h) => {
      handlers = h;
      return { connect: () => log.push('connect'), close: () => log.push('close') };
    },
    {
      states: (ps: readonly StatePayload[]) => ps.forEach((p) => log.push(`state ${p.attribute}`)),
      statuses: (cs: readonly StatusPayload[]) => cs.forEach((c) => log.push(`status ${c.attribute}`)),
      user: (u) => log.push(`user ${u.work_status}`),
      update: (u) => log.push(`update ${u.event}`),
      frame: (e) => log.push(`frame ${e.type}`),
      connection: (s) => log.push(`connection ${s}`),
      ended: () => log.push('ended'),
    },
    () => channelStatus,
  );
  const send = (e: ServerEvent) => handlers?.onEvent(e);
  return { session, log, send, handlers: () => handlers! };
}

describe('AgentSession (the agent client core the panel and Agent share)', () => {
  it('greets, diffs the user, feeds the store, and tells the client in order', () => {
    const { session, log, send, handlers } = harness();
    session.start(user());
    handlers().onState('online');
    send({
      seq: 1,
      type: 'hello',
      data: { user: user({ work_status: 'ready' }), server_time: '', interactions: [call()], event_seq: 4 },
    });
    expect(log).toEqual([
      'user not_ready',
      'connect',
      'connection online',
      'status work_status',
      'status agent_state',
      'user ready',
      'update snapshot',
      'state status',
      'state activeInteraction',
      'frame hello',
    ]);
    log.length = 0;
    send({
      seq: 2,
      type: 'interaction',
      data: { event_seq: 5, event: 'accepted', interaction: call({ state: 'accepted' }) },
    });
    // An old or repeated frame changes nothing.
    send({
      seq: 3,
      type: 'interaction',
      data: { event_seq: 5, event: 'accepted', interaction: call({ state: 'accepted' }) },
    });
    expect(log).toEqual(['update accepted', 'state status', 'frame interaction', 'frame interaction']);
    expect(session.conversations.list().map((i) => i.state)).toEqual(['accepted']);
  });

  it('hears the session end, and forgets everything on close', () => {
    const { session, log, handlers } = harness();
    session.start(user());
    handlers().onSessionEnded({ reason: 'ended', detail: 'session ended' });
    expect(log).toContain('ended');
    session.close();
    expect(session.user).toBeNull();
    expect(session.conversations.list()).toEqual([]);
    // A later login as someone else is not a change of the old user.
    log.length = 0;
    session.setUser(user({ username: 'agent2', work_status: 'ready' }));
    expect(log.filter((l) => l.startsWith('status'))).toEqual([]);
  });

  it('reports hold only to hosts that asked for channel status', () => {
    for (const wanted of [true, false]) {
      const { session, log, send } = harness(wanted);
      session.start(user());
      send({
        seq: 1,
        type: 'hello',
        data: { user: user(), server_time: '', interactions: [call({ state: 'accepted' })], event_seq: 1 },
      });
      log.length = 0;
      send({
        seq: 2,
        type: 'interaction',
        data: { event_seq: 2, event: 'held', interaction: call({ state: 'held', held: true }) },
      });
      expect(log.includes('state channel_status')).toBe(wanted);
    }
  });
});
