import type { CannedResponse, CustomerCard, Interaction, Message, StatePayload } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  INITIAL_WORKSPACE,
  Workspace,
  fillCanned,
  matchCanned,
  type AlertsLike,
  type WorkspaceRest,
  type WorkspaceState,
} from './workspace.ts';

const CHAT = {
  id: '1'.repeat(32),
  channel_type: 'chat',
  direction: 'inbound',
  state: 'alerting',
  queue_id: 'q'.repeat(32),
  queue_name: 'Web Chat',
  remote_address: 'Hedy <hedy@example.com>',
  local_address: 'webchat',
  created: '2026-12-03T12:00:00.000Z',
  held: false,
  muted: false,
  recording: false,
  customer_id: 'c'.repeat(32),
} as unknown as Interaction;

const CARD = {
  interaction_id: CHAT.id,
  customer: { id: 'c'.repeat(32), name: 'Hedy', email: 'hedy@example.com', phone: null, identities: [] },
  attributes: { topic: 'billing' },
  history: [],
} as unknown as CustomerCard;

function setup(visible = true) {
  let state: WorkspaceState & { interactions: Interaction[]; active: string | null } = {
    ...INITIAL_WORKSPACE,
    interactions: [CHAT],
    active: null,
  };
  const emitted: StatePayload[] = [];
  const rest: WorkspaceRest = {
    customerCard: vi.fn(async () => CARD),
    notes: vi.fn(async () => []),
    addNote: vi.fn(async (id: string, body: string) => ({
      id: 'n'.repeat(32),
      interaction_id: id,
      author_id: 'a',
      author_name: 'Ada Agent',
      body,
      created: '2026-12-03T12:00:05.000Z',
    })),
    cannedResponses: vi.fn(async () => []),
    missed: vi.fn(async () => []),
  };
  const alerts: AlertsLike = { offer: vi.fn(), message: vi.fn(), settled: vi.fn() };
  const w = new Workspace(
    rest,
    {
      get: () => state,
      set: (patch) => (state = { ...state, ...patch }),
      emit: (p) => emitted.push(p),
      visible: () => visible,
    },
    alerts,
  );
  return {
    w,
    rest,
    alerts,
    emitted,
    state: () => state,
    patch: (p: Partial<typeof state>) => (state = { ...state, ...p }),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('Workspace', () => {
  it('rings for an offer on any channel and pops its customer card to the host once', async () => {
    const { w, rest, alerts, emitted, state } = setup();
    w.observe([{ attribute: 'status', value: 'incoming', interaction: CHAT }]);
    w.observe([{ attribute: 'status', value: 'accepted', interaction: { ...CHAT, state: 'accepted' } }]);
    await flush();
    expect(alerts.offer).toHaveBeenCalledWith(CHAT);
    expect(rest.customerCard).toHaveBeenCalledTimes(1);
    expect(state().cards[CHAT.id]).toEqual(CARD);
    expect(emitted).toEqual([{ attribute: 'customer', value: CARD, interaction: CHAT }]);
  });

  it('stops ringing once no offer is left', () => {
    const { w, alerts, patch } = setup();
    w.observe([{ attribute: 'status', value: 'incoming', interaction: CHAT }]);
    expect(alerts.settled).not.toHaveBeenCalled();
    patch({ interactions: [{ ...CHAT, state: 'accepted' }] });
    w.observe([{ attribute: 'status', value: 'accepted', interaction: { ...CHAT, state: 'accepted' } }]);
    expect(alerts.settled).toHaveBeenCalled();
  });

  it('asks for no card when the interaction has no customer (an agent-to-agent leg)', async () => {
    const { w, rest } = setup();
    const { customer_id: _none, ...leg } = CHAT;
    w.observe([{ attribute: 'status', value: 'incoming', interaction: leg as Interaction }]);
    await flush();
    expect(rest.customerCard).not.toHaveBeenCalled();
  });

  it('counts a customer message unread unless the agent looks at that conversation; looking clears it', () => {
    const { w, alerts, state, patch } = setup();
    const m = { id: 'm1', direction: 'in', content: 'Hi' } as Message;
    w.message(CHAT.id, m);
    w.message(CHAT.id, { ...m, id: 'm2' });
    w.message(CHAT.id, { ...m, id: 'm3', direction: 'out' });
    expect(state().unread).toEqual({ [CHAT.id]: 2 });
    expect(alerts.message).toHaveBeenCalledTimes(2);
    w.seen(CHAT.id);
    expect(state().unread).toEqual({});
    patch({ active: CHAT.id });
    w.message(CHAT.id, { ...m, id: 'm4' });
    expect(state().unread).toEqual({});
  });

  it('counts messages in the conversation in view when the agent is away from the panel', () => {
    const { w, state, patch } = setup(false);
    patch({ active: CHAT.id });
    w.message(CHAT.id, { id: 'm1', direction: 'in', content: 'Hi' } as Message);
    expect(state().unread).toEqual({ [CHAT.id]: 1 });
  });

  it('puts a missed offer at the top of the missed list, once', () => {
    const { w, state } = setup();
    const at = new Date('2026-12-03T12:00:30.000Z');
    w.observe([{ attribute: 'missed', value: { reason: 'timeout' }, interaction: CHAT }], at);
    w.observe([{ attribute: 'missed', value: { reason: 'abandoned' }, interaction: CHAT }], at);
    expect(state().missed).toEqual([
      expect.objectContaining({ interaction_id: CHAT.id, reason: 'abandoned', queue_name: 'Web Chat' }),
    ]);
  });

  it('adds a note and tells the host; forgets cards and notes once an interaction is handled', async () => {
    const { w, emitted, state } = setup();
    const note = await w.addNote(CHAT, 'VIP');
    expect(state().notes[CHAT.id]).toEqual([note]);
    expect(emitted).toContainEqual({ attribute: 'note', value: note, interaction: CHAT });
    w.observe([{ attribute: 'status', value: 'handled', interaction: { ...CHAT, state: 'handled' } }]);
    expect(state().notes).toEqual({});
  });
});

describe('canned responses', () => {
  const list = [
    { id: '1', shortcut: 'hello', title: 'Greeting', body: '', personal: false },
    { id: '2', shortcut: 'thanks', title: 'Closing', body: '', personal: false },
    { id: '3', shortcut: 'hours', title: 'Opening hours', body: '', personal: true },
  ] satisfies CannedResponse[];

  it('match a /query by shortcut first, then title; anything else is no query', () => {
    expect(matchCanned(list, '/h')?.map((c) => c.id)).toEqual(['1', '3']);
    expect(matchCanned(list, '/clos')?.map((c) => c.id)).toEqual(['2']);
    expect(matchCanned(list, '/')?.map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(matchCanned(list, 'hello /h')).toBeNull();
    expect(matchCanned(list, '/h i')).toBeNull();
  });

  it('fill the names in, and leave no stray space when a name is unknown', () => {
    const body = 'Hello {{customer.first_name}}, this is {{agent.first_name}} ({{agent.name}}). {{unknown}}';
    expect(fillCanned(body, { customer: 'Hedy Customer', agent: 'Ada Agent' })).toBe(
      'Hello Hedy, this is Ada (Ada Agent). {{unknown}}',
    );
    expect(fillCanned('Hello {{customer.first_name}}, hi', { customer: null, agent: 'Ada' })).toBe('Hello, hi');
    expect(fillCanned('Hi {{customer.first_name}}', { customer: '+4930123' })).toBe('Hi +4930123');
  });
});
