import type { Interaction, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { findCode, interactionStateOf, profileOf, stateChangeOf, targetOf, taskDataOf } from './mapping.ts';
import { redact } from './log.ts';
import { buddiesOf, deviceProblem, queuePage } from './directory.ts';

const ME = 'a'.repeat(32);
const SUP = 'b'.repeat(32);
const LUNCH = 'c'.repeat(32);

const user = (patch: Partial<User> = {}): User =>
  ({
    id: ME,
    username: 'agent1',
    display_name: 'Ada Agent',
    email: 'ada@example.test',
    presence: 'p',
    presence_profiles: [],
    work_status: 'not_ready',
    ready: false,
    language: 'en',
    theme: { dark: false, primary: '#2563eb' },
    rights: ['agent'],
    not_ready_reason: null,
    state_changed_at: '2026-12-02T05:00:00.000Z',
    state_changed_by: null,
    ...patch,
  }) as User;

const call = (patch: Partial<Interaction> = {}): Interaction =>
  ({
    id: 'd'.repeat(32),
    channel_type: 'phone',
    direction: 'inbound',
    state: 'alerting',
    queue_id: 'e'.repeat(32),
    queue_name: 'Support',
    remote_address: '+4930111',
    local_address: '+15555550100',
    created: '2026-12-02T05:00:00.000Z',
    held: false,
    muted: false,
    recording: true,
    agent_id: ME,
    ...patch,
  }) as Interaction;

describe('the Webex shapes of Parley objects', () => {
  it('builds the profile with teams, idle and wrap-up codes as entities, and only the browser station', () => {
    const p = profileOf({
      user: user(),
      orgId: 'http://parley.test/',
      teams: [{ id: 'f'.repeat(32), name: 'Frontline', members: [] }],
      idle: [{ id: LUNCH, code: 'lunch', label: 'Lunch' }],
      wrapUp: [
        { id: '1'.repeat(32), code: 'resolved', label: 'Resolved' },
        { id: '2'.repeat(32), code: 'sale', label: 'Sale' },
      ],
      queues: [{ id: 'e'.repeat(32), name: 'Support', type: 'phone', addresses: [{ address: '+1555' }] }] as never,
    });
    expect(p.teams).toEqual([{ teamId: 'f'.repeat(32), teamName: 'Frontline' }]);
    expect(p.idleCodes).toEqual([{ id: LUNCH, name: 'Lunch', isSystem: false, isDefault: false }]);
    expect(p.wrapupCodes.map((c) => c.isDefault)).toEqual([true, false]);
    expect(p.defaultWrapupCode).toBe('1'.repeat(32));
    expect(p.loginVoiceOptions).toEqual(['BROWSER']);
    expect(p.isOutboundEnabledForAgent).toBe(true);
    expect(p.isAgentLoggedIn).toBe(true);
    expect(p.lastStateChangeTimestamp).toBe(Date.parse('2026-12-02T05:00:00.000Z'));
  });

  it.each([
    [{ ready: true, work_status: 'ready' }, 'Available', '0', 'self'],
    [{ not_ready_reason: LUNCH }, 'Idle', LUNCH, 'self'],
    [{ not_ready_reason: LUNCH, state_changed_by: SUP }, 'Idle', LUNCH, 'supervisor'],
    [{ ready: true, work_status: 'busy' }, 'Available', '0', 'self'],
  ] as const)('state change %j is %s with idle code %s, changed by %s', (patch, state, aux, by) => {
    const e = stateChangeOf(user(patch as Partial<User>), {
      orgId: 'o',
      trackingId: 't',
      names: new Map([[SUP, 'Sam Supervisor']]),
    });
    expect(e).toMatchObject({ state, subStatus: state, auxCodeId: aux, changedBy: by, status: 'LoggedIn' });
    expect(e.changedByName).toBe(by === 'self' ? 'Ada Agent' : 'Sam Supervisor');
  });

  it.each([
    [{ state: 'alerting' }, 'new'],
    [{ state: 'accepted' }, 'connected'],
    [{ state: 'accepted', consultation_of: 'x'.repeat(32) as Interaction['id'] }, 'consulting'],
    [{ state: 'accepted', conference: true }, 'conference'],
    [{ state: 'held', held: true }, 'hold'],
    [{ state: 'wrap_up' }, 'wrapUp'],
    [{ state: 'handled' }, 'ended'],
  ] as const)('interaction %j is %s', (patch, state) => {
    expect(interactionStateOf(call(patch as Partial<Interaction>))).toBe(state);
  });

  it('gives a task the Webex fields, and Parley interaction as `parley`', () => {
    const i = call({ channel_type: 'chat', state: 'wrap_up' });
    const d = taskDataOf(i, { agentId: ME, orgId: 'o', trackingId: 't' });
    expect(d).toMatchObject({
      interactionId: i.id,
      mediaResourceId: i.id,
      wrapUpRequired: true,
      isConsulted: false,
      interaction: {
        mediaType: 'chat',
        state: 'wrapUp',
        contactDirection: { type: 'INBOUND' },
        callAssociatedDetails: { ani: '+4930111', dn: '+15555550100' },
      },
    });
    expect(d.parley).toBe(i);
    expect(
      taskDataOf(call({ consultation_of: 'x'.repeat(32) as Interaction['id'] }), {
        agentId: ME,
        orgId: 'o',
        trackingId: 't',
      }).isConsulted,
    ).toBe(true);
  });

  it.each([
    ['f'.repeat(32), 'AGENT', { agent_id: 'f'.repeat(32) }],
    ['agent2', 'agent', { address: 'agent2' }],
    ['f'.repeat(32), 'queue', { queue_id: 'f'.repeat(32) }],
    ['+4930', 'dialNumber', { number: '+4930' }],
    ['+4930', 'nowhere', null],
    ['', 'agent', null],
  ] as const)('target %s of type %s is %j', (to, type, target) => {
    expect(targetOf(to, type)).toEqual(target);
  });

  it('finds a code by id, code or label in any case, and nothing else', () => {
    const codes = [{ id: '1'.repeat(32), code: 'resolved', label: 'Resolved' }];
    expect(findCode(codes, 'RESOLVED')?.code).toBe('resolved');
    expect(findCode(codes, '1'.repeat(32))?.code).toBe('resolved');
    expect(findCode(codes, 'ISSUE_RESOLVED')).toBeNull();
    expect(findCode(codes, 7)).toBeNull();
  });

  it('masks what could be a credential in the client log, and keeps ids', () => {
    const text = redact(`Bearer abc.def parley.bearer.xyz pk_secretkey ${'Q'.repeat(43)} id ${'a'.repeat(32)}`);
    expect(text).toBe(`Bearer [redacted] parley.bearer.[redacted] pk_[redacted] [redacted] id ${'a'.repeat(32)}`);
  });
});

describe('buddies and queues', () => {
  const dir = [
    { id: ME, display_name: 'Ada Agent', work_status: 'ready' },
    { id: SUP, display_name: 'Sam Super Visor', work_status: 'ready' },
    { id: LUNCH, display_name: 'Cleo', work_status: 'not_ready' },
    { id: 'd'.repeat(32), display_name: 'Dev', work_status: 'offline' },
  ];
  const teams = [{ id: 't'.repeat(32), name: 'Frontline', members: [{ user_id: SUP, supervisor: true }] }];

  it.each([
    [undefined, [SUP, LUNCH]],
    ['Available', [SUP]],
    ['Idle', [LUNCH]],
  ] as const)('lists other agents in state %s, never the caller or the offline', (state, ids) => {
    const list = buddiesOf(dir, { me: ME, teams, siteId: 's', ...(state ? { state } : {}) });
    expect(list.map((b) => b.agentId)).toEqual(ids);
  });

  it('names the shared team and splits the name', () => {
    const [sam] = buddiesOf(dir, { me: ME, teams, siteId: 's', state: 'Available' });
    expect(sam).toMatchObject({ firstName: 'Sam', lastName: 'Super Visor', teamName: 'Frontline', state: 'Available' });
  });

  it('searches and pages queues', () => {
    const queues = ['Sales', 'Support', 'Billing'].map((name, i) => ({
      id: String(i).repeat(32),
      name,
      type: 'phone',
      addresses: [],
    })) as never;
    expect(queuePage(queues, 's', 0, 100).map((q) => q.queueName)).toEqual(['Sales', 'Support']);
    expect(queuePage(queues, '', 1, 2).map((q) => q.queueName)).toEqual(['Billing']);
    expect(queuePage(queues, undefined, 'x', -5).map((q) => q.channelType)).toEqual(['telephony']);
  });
});

describe('station login checks', () => {
  const teams = [{ id: 't'.repeat(32), name: 'Frontline', members: [] }];
  it.each([
    [{ loginOption: 'BROWSER', teamId: 't'.repeat(32) }, null],
    [{ loginOption: 'BROWSER' }, null],
    [{ loginOption: 'EXTENSION', dialNumber: '1002' }, 'unsupported'],
    [{ loginOption: 'AGENT_DN' }, 'invalid_argument'],
    [{ loginOption: 'PIGEON' }, 'invalid_argument'],
    [{ loginOption: 'BROWSER', teamId: 'x'.repeat(32) }, 'invalid_argument'],
  ] as const)('%j → %s', (login, code) => {
    expect(deviceProblem(login, teams)?.code ?? null).toBe(code);
  });

  it('names the fix', () => {
    expect(deviceProblem({ loginOption: 'EXTENSION', dialNumber: '1' }, teams)?.message).toContain("'BROWSER'");
    expect(deviceProblem({ loginOption: 'BROWSER', teamId: 'nope' }, teams)?.message).toContain('Frontline');
  });
});
