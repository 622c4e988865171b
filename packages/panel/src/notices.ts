/**
 * What the agent is told about changes they did not make themselves: a
 * supervisor set their state or signed them out, routing set them not ready
 * after missed offers, a colleague did not take a transfer. Pure: built from
 * the user before and after, and from interaction events; the view words them.
 */
import type { InteractionFrame, SessionEnd, User } from '@parley/protocol';

export type NoticeKind = 'forced_state' | 'forced_logout' | 'missed_offers' | 'transfer_failed' | 'monitored';

export interface Notice {
  readonly id: number;
  readonly kind: NoticeKind;
  readonly params: Readonly<Record<string, string>>;
}

export type NoticeInput = Omit<Notice, 'id'>;

/** What a change of the user means for the agent, if it was not their own doing. */
export function userNotice(before: User | null, after: User): NoticeInput | null {
  if (!before) return null;
  const changed = (after.state_changed_at ?? null) !== (before.state_changed_at ?? null);
  if (changed && after.state_changed_by)
    return {
      kind: 'forced_state',
      params: {
        by: after.state_changed_by_name ?? after.state_changed_by,
        status: after.ready ? 'ready' : 'not_ready',
        reason: after.ready ? '' : (after.not_ready_reason_label ?? ''),
      },
    };
  if (after.not_ready_reason_code === 'missed_offers' && before.not_ready_reason_code !== 'missed_offers')
    return { kind: 'missed_offers', params: {} };
  return null;
}

/** What an interaction event means for the agent beyond the conversation list. */
export function frameNotice(frame: InteractionFrame): NoticeInput | null {
  // A supervisor on the agent's call: the panel hears of it only where the tenant lets agents know.
  if (frame.event === 'monitor' && frame.detail)
    return {
      kind: 'monitored',
      params: {
        by: frame.detail.supervisor_name,
        mode: frame.detail.mode ?? 'left',
        customer: frame.interaction.remote_address,
      },
    };
  if (frame.event !== 'transfer_failed' || !frame.detail) return null;
  return {
    kind: 'transfer_failed',
    params: {
      agent: frame.detail.agent_name,
      customer: frame.interaction.remote_address,
      reason: String(frame.detail.reason),
      queue: frame.detail.queue_name ?? '',
      outcome: frame.detail.outcome,
    },
  };
}

/** A session the server ended: a forced logout names the supervisor. */
export function sessionNotice(end: SessionEnd): NoticeInput | null {
  return end.reason === 'forced_logout' ? { kind: 'forced_logout', params: { by: end.by } } : null;
}

/** Notices about the agent's state, which a newer state (or the end of the session) makes stale. */
const STATE_KINDS: ReadonlySet<NoticeKind> = new Set(['forced_state', 'missed_offers']);

/**
 * The list with one more notice: a state notice replaces the older state
 * notices (only the current state matters: "set you Ready" after "set you
 * Not ready" leaves one line), a forced logout replaces them too (that
 * session is over); the last five only, so an agent away for an hour comes
 * back to a readable list, not a wall.
 */
export function addNotice(list: readonly Notice[], notice: Notice): Notice[] {
  const stale = STATE_KINDS.has(notice.kind) || notice.kind === 'forced_logout';
  // Likewise who is on a call: the latest word of one supervisor replaces their earlier ones.
  const same = (n: Notice) =>
    notice.kind === 'monitored' && n.kind === 'monitored' && n.params['by'] === notice.params['by'];
  return [...list.filter((n) => !(stale && STATE_KINDS.has(n.kind)) && !same(n)), notice].slice(-5);
}
