import type { Interaction, InteractionFrame } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { Conversations } from './conversations.ts';

const ME = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);

function interaction(id: string, patch: Partial<Interaction> = {}): Interaction {
  return {
    id: id.repeat(32).slice(0, 32),
    channel_type: 'phone',
    direction: 'inbound',
    state: 'alerting',
    queue_id: null,
    queue_name: 'Support',
    remote_address: '+491',
    local_address: '+492',
    created: '2026-11-21T12:00:00.000Z',
    held: false,
    muted: false,
    recording: false,
    agent_id: ME as Interaction['agent_id'],
    ...patch,
  } as Interaction;
}

let seq = 0;
const frame = (event: InteractionFrame['event'], i: Interaction): InteractionFrame =>
  ({ event_seq: ++seq, event, interaction: i }) as InteractionFrame;

describe('Conversations', () => {
  it('turns an offer, accept, hold, end, wrap-up and handle into one host event each', () => {
    const c = new Conversations(() => ME);
    const i = interaction('1');
    const events = [
      c.apply(frame('offered', i), { channelStatus: true }),
      c.apply(frame('accepted', { ...i, state: 'accepted' }), { channelStatus: true }),
      c.apply(frame('held', { ...i, state: 'held', held: true }), { channelStatus: true }),
      c.apply(frame('ended', { ...i, state: 'ended' }), { channelStatus: true }),
      c.apply(frame('wrap_up', { ...i, state: 'wrap_up' }), { channelStatus: true }),
      c.apply(frame('disposition', { ...i, state: 'wrap_up', wrapup: { code: 'resolved' } }), { channelStatus: true }),
      c.apply(frame('handled', { ...i, state: 'handled', wrapup: { code: 'resolved' } }), { channelStatus: true }),
    ].map((list) =>
      list.map(
        (e) =>
          `${e.attribute}:${typeof e.value === 'string' ? e.value : e.value ? JSON.stringify(e.value).slice(0, 20) : 'null'}`,
      ),
    );
    expect(events).toEqual([
      ['status:incoming', expect.stringMatching(/^activeInteraction:/)],
      ['status:accepted'],
      ['channel_status:{"held":true,"muted"'],
      ['status:ended', 'channel_status:{"held":false,"muted'],
      [],
      ['disposition:{"code":"resolved"}'],
      ['status:handled', 'activeInteraction:null'],
    ]);
    expect(c.list()).toEqual([]);
  });

  it('leaves out channel status unless the host opted in, and ignores old or repeated events', () => {
    const c = new Conversations(() => ME);
    const i = interaction('2', { state: 'accepted' });
    c.apply(frame('accepted', i), { channelStatus: false });
    const held = frame('held', { ...i, state: 'held', held: true });
    expect(c.apply(held, { channelStatus: false })).toEqual([]);
    expect(c.apply(held, { channelStatus: false })).toEqual([]);
    expect(c.get(i.id)?.held).toBe(true);
  });

  it('drops an offer that went to someone else or was withdrawn, telling the host it is gone', () => {
    const c = new Conversations(() => ME);
    const i = interaction('3');
    c.apply(frame('offered', i), { channelStatus: false });
    const gone = c.apply(frame('offer_withdrawn', { ...i, state: 'incoming', agent_id: null }), {
      channelStatus: false,
    });
    expect(
      gone.map(
        (e) => e.attribute + ':' + String(e.value === null ? null : typeof e.value === 'string' ? e.value : 'x'),
      ),
    ).toEqual(['status:rejected', 'activeInteraction:null']);
    // Someone else's offer never shows.
    expect(
      c.apply(frame('offered', interaction('4', { agent_id: OTHER as NonNullable<Interaction['agent_id']> })), {
        channelStatus: false,
      }),
    ).toEqual([]);
    expect(c.list()).toEqual([]);
  });

  it('tells the host of a missed offer: timed out, or the customer gave up while it rang; not when it was picked elsewhere', () => {
    const c = new Conversations(() => ME);
    const kinds = (list: ReturnType<Conversations['apply']>) =>
      list.filter((e) => e.attribute === 'missed').map((e) => (e.value as { reason: string }).reason);
    const a = interaction('7');
    c.apply(frame('offered', a), { channelStatus: false });
    const timedOut = {
      ...frame('offer_withdrawn', { ...a, state: 'incoming', agent_id: null }),
      detail: { reason: 'timeout' },
    };
    expect(kinds(c.apply(timedOut as InteractionFrame, { channelStatus: false }))).toEqual(['timeout']);
    const b = interaction('8');
    c.apply(frame('offered', b), { channelStatus: false });
    const gaveUp = { ...frame('missed', { ...b, state: 'missed' }), detail: { cause: 'abandoned' } };
    expect(kinds(c.apply(gaveUp as InteractionFrame, { channelStatus: false }))).toEqual(['abandoned']);
    const d = interaction('9');
    c.apply(frame('offered', d), { channelStatus: false });
    const picked = {
      ...frame('offer_withdrawn', { ...d, state: 'incoming', agent_id: null }),
      detail: { reason: 'picked' },
    };
    expect(kinds(c.apply(picked as InteractionFrame, { channelStatus: false }))).toEqual([]);
  });

  it('reconciles a snapshot: new offers are announced, vanished ones ended', () => {
    const c = new Conversations(() => ME);
    const old = interaction('5', { state: 'accepted' });
    c.reset([old], 10);
    const fresh = interaction('6');
    const events = c.reset([fresh], 20);
    expect(events.map((e) => `${e.attribute}:${'interaction' in e ? e.interaction.id.slice(0, 1) : ''}`)).toEqual([
      'status:5',
      'status:6',
      'activeInteraction:',
    ]);
    expect(c.eventSeq).toBe(20);
    expect(c.active?.id).toBe(fresh.id);
  });
});
