import { describe, expect, it } from 'vitest';
import type { Interaction } from './objects.ts';
import type { InteractionFrame } from './events.ts';

const interaction = { id: 'a'.repeat(32), state: 'incoming' } as Interaction;

/** What a client reads off a frame: the switch narrows the detail to the event's own shape. */
function describeFrame(f: InteractionFrame): string {
  switch (f.event) {
    case 'offered':
      return `offered until ${f.detail?.expires_at ?? '?'}`;
    case 'offer_withdrawn':
      return `withdrawn: ${f.detail?.reason ?? '?'}`;
    case 'ended':
      return `ended: ${f.detail?.cause ?? 'ended'}${f.detail?.target ? ` to ${f.detail.target.address}` : ''}`;
    case 'dtmf_received':
      return `pressed ${f.detail?.digits ?? ''}`;
    default:
      return f.event;
  }
}

describe('interaction frames', () => {
  it('carry each event with its own detail', () => {
    const frames: InteractionFrame[] = [
      { event_seq: 1, event: 'offered', interaction, detail: { expires_at: '2026-12-02T10:00:00.000Z' } },
      { event_seq: 2, event: 'offer_withdrawn', interaction, detail: { reason: 'timeout' } },
      {
        event_seq: 3,
        event: 'ended',
        interaction,
        detail: { cause: 'transferred', target: { kind: 'number', address: '+4930123' } },
      },
      { event_seq: 4, event: 'dtmf_received', interaction, detail: { digits: '12#' } },
      { event_seq: 5, event: 'held', interaction },
    ];
    expect(frames.map(describeFrame)).toEqual([
      'offered until 2026-12-02T10:00:00.000Z',
      'withdrawn: timeout',
      'ended: transferred to +4930123',
      'pressed 12#',
      'held',
    ]);
  });

  it('do not compile with a detail of another event, an unknown event or an unknown cause', () => {
    const wrongDetail: InteractionFrame = {
      event_seq: 1,
      event: 'offer_withdrawn',
      interaction,
      // @ts-expect-error a withdrawal does not carry an offer's expiry
      detail: { expires_at: 'x' },
    };
    // @ts-expect-error the map names every event the server writes
    const unknownEvent: InteractionFrame = { event_seq: 1, event: 'exploded', interaction };
    // @ts-expect-error an end's cause is one of the known ones
    const unknownCause: InteractionFrame = { event_seq: 1, event: 'ended', interaction, detail: { cause: 'vanished' } };
    // @ts-expect-error an event without detail takes none
    const extra: InteractionFrame = { event_seq: 1, event: 'held', interaction, detail: { why: 'x' } };
    expect([wrongDetail, unknownEvent, unknownCause, extra]).toHaveLength(4);
  });
});
