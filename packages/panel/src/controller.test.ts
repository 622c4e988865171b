import type { Interaction, Message, PanelMessage, User } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import type { SocketHandlers, VoiceLike } from '@parley/agent';
import { CommandError, HostBridge, type HostTransport } from './bridge/index.ts';
import { PanelController, QUALITY_EVERY_MS, type RestLike } from './controller.ts';

const USER = {
  id: 'a'.repeat(32),
  username: 'agent1',
  display_name: 'Ada Agent',
  work_status: 'not_ready',
  language: 'en',
  theme: { dark: false, primary: '#2563eb' },
  presence: 'p1',
  presence_profiles: [
    { id: 'p1', name: 'Available', ready: true },
    { id: 'p2', name: 'Lunch', ready: false },
  ],
} as unknown as User;

const CALL = {
  id: 'c'.repeat(32),
  channel_type: 'phone',
  direction: 'inbound',
  state: 'alerting',
  queue_id: 'q'.repeat(32),
  queue_name: 'Sales',
  remote_address: '+4930123',
  local_address: '+1555',
  created: '2026-11-21T12:00:00.000Z',
  held: false,
  muted: false,
  recording: false,
  agent_id: USER.id,
} as unknown as Interaction;

const CUSTOMER = {
  id: 'c'.repeat(32),
  name: 'Hedy Customer',
  email: null,
  phone: '+4930123',
  identities: [{ kind: 'phone' as const, value: '+4930123' }],
  created: '2026-11-21T11:00:00.000Z',
  updated: '2026-11-21T11:00:00.000Z',
};
const NOTE = {
  id: 'n'.repeat(32),
  interaction_id: '',
  author_id: USER.id,
  author_name: USER.display_name,
  body: '',
  created: '2026-11-21T12:00:02.000Z',
};

function setup(session: User | null = null, voice?: VoiceLike) {
  // What the server holds for the user, as PATCH api/v1/me changes it.
  let profile: User = USER;
  const rest: RestLike = {
    me: vi.fn(async () => session),
    login: vi.fn(async (username: string, password: string) => {
      if (password !== 'right') throw new CommandError('unauthorized', 'Invalid username or password.');
      return { ...USER, username };
    }),
    loginWithToken: vi.fn(async () => USER),
    logout: vi.fn(async () => undefined),
    setReady: vi.fn(async (ready: boolean) => ({ ...USER, work_status: ready ? 'ready' : 'not_ready' }) as User),
    setPresence: vi.fn(async (profile: string) => ({ ...USER, presence: profile }) as User),
    updateMe: vi.fn(async (patch: object) => (profile = { ...profile, ...patch } as User)),
    myQueues: vi.fn(
      async () => [{ id: 'q'.repeat(32), name: 'Sales', type: 'phone', addresses: [{ address: '+1555' }] }] as never,
    ),
    ri: vi.fn(async (_api: string, method: string, resource: string) => ({ status: 200, body: { method, resource } })),
    interactions: vi.fn(async () => []),
    messages: vi.fn(async () => []),
    sendMessage: vi.fn(
      async (id: string, body: Record<string, unknown>) =>
        ({
          id: `m-${String(body['content'])}`,
          interaction_id: id,
          content: body['content'],
          direction: 'out',
          status: 'sent',
          created: '2026-11-21T12:00:01.000Z',
        }) as never,
    ),
    markRead: vi.fn(async () => undefined),
    customerCard: vi.fn(async (id: string) => ({
      interaction_id: id,
      customer: CUSTOMER,
      attributes: {},
      history: [],
    })),
    notes: vi.fn(async () => []),
    addNote: vi.fn(async (id: string, body: string) => ({ ...NOTE, interaction_id: id, body })),
    cannedResponses: vi.fn(async () => []),
    missed: vi.fn(async () => []),
    parties: vi.fn(async () => []),
    baseUrl: 'http://parley.test/',
    templates: vi.fn(async () => [{ id: 'welcome', name: 'Welcome', body: 'Hello!' }]),
    popoutToken: vi.fn(async () => 'popout-token'),
    endSession: vi.fn(async () => undefined),
    directory: vi.fn(async () => []),
    allQueues: vi.fn(async () => []),
    reasonCodes: vi.fn(async () => []),
    interaction: vi.fn(async (id: string) => ({ ...CALL, id }) as Interaction),
    act: vi.fn(
      async (id: string, body: Record<string, unknown>) =>
        ({ ...CALL, id, state: String(body['action']) }) as Interaction,
    ),
    outbound: vi.fn(
      async (body: Record<string, unknown>) =>
        ({ ...CALL, direction: 'outbound', remote_address: String(body['to']) }) as Interaction,
    ),
    picklist: vi.fn(async () => []),
    pick: vi.fn(async (id: string) => ({ ...CALL, id, state: 'accepted' }) as Interaction),
  };
  let handlers: SocketHandlers | null = null;
  const socket = {
    connect: vi.fn(),
    close: vi.fn(),
    request: vi.fn(async (type: string, data: unknown) => ({
      type,
      sdp: `answer to ${(data as { sdp: string }).sdp}`,
    })),
  };
  const controller = new PanelController({
    rest,
    openSocket: (h) => {
      handlers = h;
      return socket;
    },
    ...(voice ? { voice } : {}),
  });
  const sent: PanelMessage[] = [];
  let deliver: (data: unknown, port: MessagePort | null) => void = () => undefined;
  const transport: HostTransport = {
    post: (m) => sent.push(m),
    listen: (h) => {
      deliver = h;
      return () => undefined;
    },
  };
  const bridge = new HostBridge(transport, { handle: controller.handle });
  controller.attachBridge(bridge);
  return { controller, rest, socket, sent, host: (data: unknown) => deliver(data, null), server: () => handlers! };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PanelController', () => {
  it('resumes an existing session, connects the socket and answers init', async () => {
    const { controller, socket, sent, host } = setup(USER);
    host({ id: 'initRequest', type: 'init', payload: false });
    expect(sent).toEqual([]);
    await controller.start();
    expect(controller.state.phase).toBe('ready');
    expect(socket.connect).toHaveBeenCalledOnce();
    expect(sent).toEqual([{ id: 'initRequest', type: 'init', payload: { value: [] } }]);
  });

  it('shows the form without a session; a failed login keeps the message and does not throw', async () => {
    const { controller } = setup();
    await controller.start();
    expect(controller.state.phase).toBe('login');
    await controller.submitLogin('agent1', 'wrong');
    expect(controller.state).toMatchObject({
      phase: 'login',
      loginError: 'Invalid username or password.',
      busy: false,
    });
    await controller.submitLogin('agent1', 'right');
    expect(controller.state).toMatchObject({ phase: 'ready', loginError: null });
  });

  it('refuses commands before login with not_logged_in, but takes credentials', async () => {
    const { controller, sent, host } = setup();
    await controller.start();
    host({ id: 'initRequest', type: 'init', payload: false });
    host({ id: 'd1', type: 'action', payload: { command: 'detail', value: 'user' } });
    await flush();
    expect(sent).toEqual([
      {
        id: 'd1',
        type: 'response',
        payload: { value: null, error: { code: 'not_logged_in', message: 'No agent is logged in to the panel yet.' } },
      },
    ]);
    host({
      id: 'a1',
      type: 'action',
      payload: { command: 'authenticate', value: { basic: { userName: 'agent2', password: 'right' } } },
    });
    await flush();
    // Logging in answers the pending init first, then the authenticate request.
    expect(sent.slice(1).map((m) => m.type)).toEqual(['init', 'response']);
    expect(sent[2]).toMatchObject({ id: 'a1', payload: { value: { username: 'agent2' } } });
  });

  it('answers detail user and refuses unknown subjects and commands clearly', async () => {
    const { controller } = setup(USER);
    await controller.start();
    await expect(controller.handle({ command: 'detail', value: 'user' })).resolves.toEqual(USER);
    await expect(controller.handle({ command: 'detail', value: 'interactions' })).resolves.toEqual([]);
    await expect(controller.handle({ command: 'detail', value: 'bogus' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'rm -rf' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(controller.handle({ command: 'authenticate', value: { basic: {} } })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'outbound', value: {} })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'dtmf', value: { content: 'x' } })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'message', value: {} })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'detail', value: 'transcript' })).resolves.toEqual([]);
    // No call audio here, so no extension.
    await expect(controller.handle({ command: 'detail', value: 'activeExtension' })).resolves.toBe('');
  });

  it('forwards work status, presence and connection changes to the host', async () => {
    const { controller, sent, host, server } = setup(USER);
    await controller.start();
    host({ id: 'initRequest', type: 'init', payload: false });
    server().onState('online');
    server().onEvent({ seq: 2, type: 'user', data: { user: { ...USER, work_status: 'ready', presence: 'p2' } } });
    server().onState('reconnecting');
    expect(sent.slice(1)).toEqual([
      { type: 'status', payload: { attribute: 'connection', value: 'online' } },
      { type: 'status', payload: { attribute: 'work_status', value: 'ready' } },
      {
        type: 'status',
        payload: {
          attribute: 'agent_state',
          value: { work_status: 'ready', reason: null, changed_by: null, changed_at: null },
        },
      },
      { type: 'status', payload: { attribute: 'profile', value: { id: 'p2', name: 'Lunch', ready: false } } },
      { type: 'status', payload: { attribute: 'connection', value: 'reconnecting' } },
    ]);
  });

  it('returns to the form when the server ends the session', async () => {
    const { controller, server, sent, host } = setup(USER);
    await controller.start();
    host({ id: 'initRequest', type: 'init', payload: false });
    server().onSessionEnded({ reason: 'forced_logout', by: 'Sam Supervisor' });
    expect(controller.state.phase).toBe('login');
    expect(sent.at(-1)).toEqual({ type: 'status', payload: { attribute: 'work_status', value: 'offline' } });
    // The login form says who signed the agent out.
    expect(controller.state.notices).toEqual([{ id: 1, kind: 'forced_logout', params: { by: 'Sam Supervisor' } }]);
  });

  it('sets the agent ready and tells the host exactly once, though the socket repeats it', async () => {
    const { controller, sent, host, server } = setup(USER);
    await controller.start();
    host({ id: 'initRequest', type: 'init', payload: false });
    host({ id: 'r1', type: 'action', payload: { command: 'ready', value: { ready: true } } });
    await flush();
    server().onEvent({ seq: 2, type: 'user', data: { user: { ...USER, work_status: 'ready' } } });
    const statusEvents = sent.filter((m) => m.type === 'status');
    expect(statusEvents).toEqual([
      { type: 'status', payload: { attribute: 'work_status', value: 'ready' } },
      {
        type: 'status',
        payload: {
          attribute: 'agent_state',
          value: { work_status: 'ready', reason: null, changed_by: null, changed_at: null },
        },
      },
    ]);
    expect(sent.find((m) => m.type === 'response')).toMatchObject({
      id: 'r1',
      payload: { value: { work_status: 'ready' } },
    });
  });

  it('validates ready, presence and ri values, and passes good ones on', async () => {
    const { controller, rest } = setup(USER);
    await controller.start();
    await expect(controller.handle({ command: 'ready', value: { ready: 'yes' } })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'presence', value: 5 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'presence', value: 'p2' })).resolves.toMatchObject({ presence: 'p2' });
    await expect(
      controller.handle({ command: 'ri', value: { api: 'admin', method: 'GET', resource: '/x' } }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      controller.handle({ command: 'ri', value: { api: 'rci', method: 'TRACE', resource: '/x' } }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      controller.handle({ command: 'ri', value: { api: 'rci', method: 'get', resource: '../../api/v1/tenant' } }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      controller.handle({ command: 'ri', value: { api: 'rci', method: 'get', resource: '/queues' } }),
    ).resolves.toEqual({ status: 200, body: { method: 'GET', resource: '/queues' } });
    expect(rest.ri).toHaveBeenCalledTimes(1);
    await expect(controller.handle({ command: 'detail', value: 'queues' })).resolves.toMatchObject([{ name: 'Sales' }]);
    await expect(controller.handle({ command: 'detail', value: 'queue' })).resolves.toBeNull();
  });

  it('tells the host of an offer, runs interaction commands on the one in view, and reports each transition once', async () => {
    const { controller, rest, sent, host, server } = setup(USER);
    await controller.start();
    host({ id: 'initRequest', type: 'init', payload: { protocol: 2, enable_channel_status_updates: true } });
    server().onState('online');
    server().onEvent({ seq: 1, type: 'hello', data: { user: USER, server_time: '', interactions: [], event_seq: 5 } });
    server().onEvent({ seq: 2, type: 'interaction', data: { event_seq: 6, event: 'offered', interaction: CALL } });
    const states = () =>
      sent.filter((m) => m.type === 'state').map((m) => m.payload as { attribute: string; value: unknown });
    expect(states()).toEqual([
      { attribute: 'status', value: 'incoming', interaction: CALL },
      { attribute: 'activeInteraction', value: CALL },
    ]);
    await expect(controller.handle({ command: 'detail', value: 'activeInteraction' })).resolves.toEqual(CALL);
    await expect(controller.handle({ command: 'detail', value: CALL.id })).resolves.toEqual(CALL);

    await controller.handle({ command: 'interaction', value: 'accept' });
    expect(rest.act).toHaveBeenLastCalledWith(CALL.id, { action: 'accept', request_id: expect.stringMatching(/^p-/) });
    const accepted = { ...CALL, state: 'accepted' } as Interaction;
    server().onEvent({ seq: 3, type: 'interaction', data: { event_seq: 7, event: 'accepted', interaction: accepted } });
    // The same event again (a replay after a reconnect) changes nothing.
    server().onEvent({ seq: 4, type: 'interaction', data: { event_seq: 7, event: 'accepted', interaction: accepted } });
    await controller.handle({ command: 'callState', interactionId: CALL.id, value: 'startRecording' });
    expect(rest.act).toHaveBeenLastCalledWith(CALL.id, { action: 'start_recording', request_id: expect.any(String) });
    const recording = { ...accepted, recording: true } as Interaction;
    server().onEvent({
      seq: 5,
      type: 'interaction',
      data: { event_seq: 8, event: 'start_recording', interaction: recording },
    });
    expect(states().slice(2)).toEqual([
      { attribute: 'status', value: 'accepted', interaction: accepted },
      { attribute: 'channel_status', value: { held: false, muted: false, recording: true }, interaction: recording },
    ]);

    await controller.handle({ command: 'transfer', value: { to: 'support@demo' } });
    expect(rest.act).toHaveBeenLastCalledWith(CALL.id, {
      action: 'transfer',
      to: { address: 'support@demo' },
      request_id: expect.any(String),
    });
    await controller.handle({ command: 'consult', value: { to: { queue_id: 'q'.repeat(32) } } });
    expect(rest.act).toHaveBeenLastCalledWith(CALL.id, {
      action: 'consult',
      to: { queue_id: 'q'.repeat(32) },
      request_id: expect.any(String),
    });
    await controller.handle({ command: 'join' });
    expect(rest.act).toHaveBeenLastCalledWith(CALL.id, { action: 'join', request_id: expect.any(String) });
    await controller.handle({ command: 'dtmf', value: { content: '12#' } });
    expect(rest.act).toHaveBeenLastCalledWith(CALL.id, {
      action: 'dtmf',
      digits: '12#',
      request_id: expect.any(String),
    });
    await controller.handle({ command: 'wrapup', value: { code: 'resolved', notes: 'ok' } });
    expect(rest.act).toHaveBeenLastCalledWith(CALL.id, {
      action: 'wrapup',
      code: 'resolved',
      notes: 'ok',
      request_id: expect.any(String),
    });
    const handled = { ...CALL, state: 'handled' } as Interaction;
    server().onEvent({ seq: 6, type: 'interaction', data: { event_seq: 9, event: 'handled', interaction: handled } });
    expect(states().slice(-2)).toEqual([
      { attribute: 'status', value: 'handled', interaction: handled },
      { attribute: 'activeInteraction', value: null },
    ]);
    await expect(controller.handle({ command: 'detail', value: 'interactions' })).resolves.toEqual([]);
  });

  it('refuses interaction commands it cannot run, with the reason', async () => {
    const { controller, server, rest } = setup(USER);
    await controller.start();
    server().onState('online');
    await expect(controller.handle({ command: 'interaction', value: 'accept' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No interaction is in view; pass interactionId.',
    });
    await expect(controller.handle({ command: 'interaction', value: 'explode' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(
      controller.handle({ command: 'callState', interactionId: 'nope', value: 'hold' }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(controller.handle({ command: 'transfer', interactionId: CALL.id, value: {} })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(controller.handle({ command: 'picklist', limit: 0 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    // direct: true sends at once and needs what it sends; direct: false prefills a draft instead.
    await expect(
      controller.handle({ command: 'outbound', value: { channel: 'sms', to: '+49', direct: true, content: 'hi' } }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('from') });
    await expect(
      controller.handle({
        command: 'outbound',
        value: { channel: 'email', to: ['a@b.c'], direct: true, content: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('subject') });
    await expect(
      controller.handle({
        command: 'outbound',
        value: { channel: 'sms', to: '+4915', from: '+1555', direct: true, content: 'Your order shipped' },
      }),
    ).resolves.toMatchObject({ remote_address: '+4915' });
    expect(rest.outbound).toHaveBeenLastCalledWith(
      expect.objectContaining({ channel: 'sms', to: '+4915', from: '+1555', content: 'Your order shipped' }),
    );
    const drafted = await controller.handle({
      command: 'outbound',
      value: {
        channel: 'email',
        to: ['x@example.com', 'y@example.com'],
        direct: false,
        subject: 'Hi',
        content: 'Draft',
      },
    });
    expect(rest.outbound).toHaveBeenLastCalledWith(expect.not.objectContaining({ content: expect.anything() }));
    expect(rest.outbound).toHaveBeenLastCalledWith(
      expect.objectContaining({ to: 'x@example.com', cc: ['y@example.com'] }),
    );
    expect(controller.state.drafts[(drafted as Interaction).id]).toEqual({
      content: 'Draft',
      subject: 'Hi',
      to: ['x@example.com', 'y@example.com'],
    });
    await expect(
      controller.handle({ command: 'outbound', value: { channel: 'phone', to: '+4930' } }),
    ).resolves.toMatchObject({
      direction: 'outbound',
      remote_address: '+4930',
    });
    // While the connection is down, actions are refused with a clear message rather than lost.
    server().onEvent({
      seq: 1,
      type: 'hello',
      data: { user: USER, server_time: '', interactions: [CALL], event_seq: 1 },
    });
    server().onState('reconnecting');
    await expect(controller.handle({ command: 'interaction', value: 'accept' })).rejects.toMatchObject({
      code: 'unreachable',
    });
    await expect(
      controller.handle({ command: 'interaction', value: 'pick', interactionId: 'd'.repeat(32) }),
    ).resolves.toMatchObject({
      state: 'accepted',
    });
  });

  it('changes theme and language on the server and tells the host once each', async () => {
    const { controller, sent, host } = setup(USER);
    await controller.start();
    host({ id: 'initRequest', type: 'init', payload: false });
    await controller.setDark(true);
    await controller.setLanguage('de');
    expect(sent.filter((m) => m.type === 'status')).toEqual([
      { type: 'status', payload: { attribute: 'theme', value: { dark: true, primary: '#2563eb' } } },
      { type: 'status', payload: { attribute: 'language', value: 'de' } },
    ]);
  });

  it('ends the pop-out sessions it handed out when it logs out', async () => {
    const { controller, rest } = setup(USER);
    await controller.start();
    expect(await controller.popoutToken()).toBe('popout-token');
    await controller.logout();
    expect(rest.endSession).toHaveBeenCalledWith('popout-token');
    expect(rest.logout).toHaveBeenCalled();
  });

  it('keeps a chat transcript from REST, frames and its own sends, once each, and sends with the message command', async () => {
    const { controller, rest, server } = setup(USER);
    await controller.start();
    server().onState('online');
    const chat = { ...CALL, channel_type: 'chat', state: 'accepted' } as Interaction;
    server().onEvent({
      seq: 1,
      type: 'hello',
      data: { user: USER, server_time: '', interactions: [chat], event_seq: 1 },
    });
    const incoming = {
      id: 'm-in',
      interaction_id: chat.id,
      content: 'hi',
      direction: 'in',
      created: '2026-11-21T12:00:00.000Z',
    } as Message;
    server().onEvent({
      seq: 2,
      type: 'interaction',
      data: { event_seq: 2, event: 'message', interaction: chat, detail: { message: incoming } },
    });
    vi.mocked(rest.messages).mockResolvedValueOnce([incoming as never]);
    await controller.loadMessages(chat.id);
    await expect(controller.handle({ command: 'message', value: { content: 'hello back' } })).resolves.toMatchObject({
      content: 'hello back',
    });
    expect(rest.sendMessage).toHaveBeenCalledWith(chat.id, {
      content: 'hello back',
      client_message_id: expect.stringMatching(/^p-/),
    });
    expect(controller.state.messages[chat.id]?.map((m) => m.content)).toEqual(['hi', 'hello back']);
    // A delivery report replaces the message's status in place.
    server().onEvent({
      seq: 3,
      type: 'interaction',
      data: {
        event_seq: 3,
        event: 'message_status',
        interaction: chat,
        detail: {
          message: { ...incoming, id: 'm-hello back', direction: 'out', content: 'hello back', status: 'read' },
        },
      },
    });
    expect(controller.state.messages[chat.id]?.map((m) => `${m.content}:${m.status ?? ''}`)).toEqual([
      'hi:',
      'hello back:read',
    ]);
  });

  it('sets up call audio after every hello, rings while a call is offered and reports call quality to the host', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const answers: string[] = [];
      const ring = vi.fn();
      const voice: VoiceLike = {
        attach: vi.fn(async (offer: (sdp: string) => Promise<string>) => {
          answers.push(await offer('my offer'));
        }),
        ring,
        quality: vi.fn(async () => ({ rtt_ms: 1.5, jitter_ms: 2, packet_loss: 0, packets_received: 250 })),
        close: vi.fn(),
      };
      const { controller, socket, sent, host, server } = setup(USER, voice);
      await controller.start();
      host({ id: 'initRequest', type: 'init', payload: false });
      const hello = { user: USER, server_time: '', interactions: [], event_seq: 0 };
      server().onEvent({ seq: 1, type: 'hello', data: hello } as never);
      await flush();
      expect(socket.request).toHaveBeenCalledWith('media.offer', { sdp: 'my offer' });
      expect(answers).toEqual(['answer to my offer']);
      expect(controller.state.audio).toBe('connected');
      await expect(controller.handle({ command: 'detail', value: 'activeExtension' })).resolves.toBe('panel');

      server().onEvent({
        seq: 2,
        type: 'interaction',
        data: { event_seq: 1, event: 'offered', interaction: CALL },
      } as never);
      expect(ring).toHaveBeenLastCalledWith(true);
      const accepted = { ...CALL, state: 'accepted' };
      server().onEvent({
        seq: 3,
        type: 'interaction',
        data: { event_seq: 2, event: 'accepted', interaction: accepted },
      } as never);
      expect(ring).toHaveBeenLastCalledWith(false);
      server().onEvent({
        seq: 4,
        type: 'interaction',
        data: { event_seq: 3, event: 'dtmf_received', interaction: accepted, detail: { digits: '7' } },
      } as never);
      expect(controller.state.tones[CALL.id]).toBe('7');

      vi.advanceTimersByTime(QUALITY_EVERY_MS);
      await flush();
      const quality = sent.filter((m) => m.type === 'state' && m.payload.attribute === 'call_quality');
      expect(quality).toEqual([
        {
          type: 'state',
          payload: {
            attribute: 'call_quality',
            value: { rtt_ms: 1.5, jitter_ms: 2, packet_loss: 0, packets_received: 250 },
            interaction: accepted,
          },
        },
      ]);
      // A reconnect (a new hello) makes a new station: the server dropped the old one with its socket.
      server().onEvent({ seq: 1, type: 'hello', data: { ...hello, interactions: [accepted], event_seq: 3 } } as never);
      await flush();
      expect(voice.attach).toHaveBeenCalledTimes(2);
      // The call ends: no more quality reports.
      server().onEvent({
        seq: 5,
        type: 'interaction',
        data: { event_seq: 4, event: 'ended', interaction: { ...CALL, state: 'ended' } },
      } as never);
      vi.advanceTimersByTime(QUALITY_EVERY_MS * 2);
      await flush();
      expect(sent.filter((m) => m.type === 'state' && m.payload.attribute === 'call_quality')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
