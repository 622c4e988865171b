/**
 * What an interaction event means for a contact center's numbers: a contact
 * offered to a queue, answered, abandoned, handled, overflowed. Pure, so the
 * live wallboard (from bus events) and a rebuild (from the stored events)
 * count with the same rules and cannot drift apart.
 *
 * Rules (docs/console.md): a queue's contacts are its inbound interactions
 * that are not a consultation's leg. Each is *offered* when it is created in
 * the queue (a new contact, a transfer to the queue, a requeue) or overflows
 * into it; *answered* when an agent accepts or picks it (waiting time: from
 * its creation to the answer); *abandoned* when the customer leaves before an
 * agent has it; *handled* when its agent finishes wrap-up (handle time: from
 * the answer to the end of wrap-up, so talk, hold and wrap-up).
 */
import type { ChannelType } from '@parley/protocol';

/** The parts of an interaction the rules read, after the event. */
export interface ContactView {
  readonly queueId: string | null;
  readonly channel: ChannelType;
  readonly direction: 'inbound' | 'outbound';
  readonly consultation: boolean;
  readonly agentId: string | null;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly acceptedAt: number | null;
}

/** One stored or live event, as the rules read it. */
export interface EventView {
  readonly type: string;
  /** The event's detail (`{cause}` of `missed`, `{from_queue_id}` of `overflowed`), or null. */
  readonly detail: Readonly<Record<string, unknown>> | null;
  /** When it happened, ms since the epoch. */
  readonly at: number;
}

interface Base {
  readonly queueId: string;
  readonly channel: ChannelType;
  readonly at: number;
}

export type Milestone =
  | (Base & { readonly kind: 'offered' })
  | (Base & { readonly kind: 'answered'; readonly agentId: string | null; readonly waitMs: number })
  | (Base & { readonly kind: 'abandoned'; readonly waitMs: number })
  | (Base & { readonly kind: 'overflowed' })
  | (Base & { readonly kind: 'handled'; readonly agentId: string | null; readonly handleMs: number });

export type MilestoneKind = Milestone['kind'];

/** What one event means for the queue's numbers (none, one, or two for an overflow). */
export function milestonesOf(e: EventView, c: ContactView): Milestone[] {
  if (c.queueId === null || c.direction !== 'inbound' || c.consultation) return [];
  const base = { queueId: c.queueId, channel: c.channel, at: e.at };
  switch (e.type) {
    case 'created':
      // A supervisor's take-over continues the contact; it is not offered again.
      return e.detail?.['intercepted_by'] ? [] : [{ ...base, kind: 'offered' }];
    case 'moved':
    case 'overflowed': {
      // A supervisor's move to another queue counts like an overflow; to an agent or a priority, nothing.
      if (e.type === 'moved' && typeof e.detail?.['to_queue_id'] !== 'string') return [];
      const from = e.detail?.['from_queue_id'];
      const out: Milestone[] = [{ ...base, kind: 'offered' }];
      if (typeof from === 'string') out.unshift({ ...base, queueId: from, kind: 'overflowed' });
      return out;
    }
    case 'accepted':
    case 'picked':
      return [{ ...base, kind: 'answered', agentId: c.agentId, waitMs: Math.max(0, e.at - c.createdAt) }];
    case 'missed':
      return e.detail?.['cause'] === 'abandoned'
        ? [{ ...base, kind: 'abandoned', waitMs: Math.max(0, e.at - c.createdAt) }]
        : [];
    case 'handled':
      return c.acceptedAt === null
        ? []
        : [{ ...base, kind: 'handled', agentId: c.agentId, handleMs: Math.max(0, e.at - c.acceptedAt) }];
    default:
      return [];
  }
}
