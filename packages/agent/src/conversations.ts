/**
 * My Conversations: the agent's open interactions as the server reports
 * them (hello, interaction frames, resume snapshots), and which one is in
 * view. Pure: fed frames, it returns the host events they mean
 * (PROTOCOL.md §1.4), so each transition reaches the host exactly once.
 */
import {
  isTerminalState,
  type Interaction,
  type InteractionFrame,
  type Message,
  type StatePayload,
} from '@parley/protocol';

/** The host status (`incoming`, `accepted`, …) an event means, if any. */
function hostStatus(
  event: string,
  i: Interaction,
  mine: boolean,
): Extract<StatePayload, { attribute: 'status' }>['value'] | null {
  if (!mine) return 'rejected';
  switch (event) {
    case 'offered':
      return i.direction === 'inbound' ? 'incoming' : null;
    case 'created':
    case 'alerting':
      return i.direction === 'outbound' && i.state !== 'accepted' ? 'outgoing' : null;
    case 'accepted':
    case 'picked':
    case 'answered':
    case 'consult_accepted':
      return 'accepted';
    case 'declined':
    case 'no_answer':
    case 'rejected':
    case 'consult_failed':
      return 'rejected';
    case 'ended':
    case 'missed':
    case 'failed':
      return 'ended';
    case 'handled':
      return 'handled';
    default:
      return null;
  }
}

/** Why an offer that rang for the agent went away unanswered, if it did: it timed out, or the customer gave up. */
function missedBecause(frame: InteractionFrame): 'timeout' | 'abandoned' | null {
  if (frame.event === 'offer_withdrawn' && frame.detail?.reason === 'timeout') return 'timeout';
  if (frame.event === 'missed' && frame.detail?.cause === 'abandoned') return 'abandoned';
  return null;
}

export class Conversations {
  readonly #items = new Map<string, Interaction>();
  #active: string | null = null;
  #eventSeq = 0;

  constructor(private readonly me: () => string | null) {}

  /** Open interactions, oldest first. */
  list(): Interaction[] {
    return [...this.#items.values()];
  }

  get(id: string): Interaction | null {
    return this.#items.get(id) ?? null;
  }

  /** The interaction in view, or null. */
  get active(): Interaction | null {
    return this.#active ? (this.#items.get(this.#active) ?? null) : null;
  }

  get eventSeq(): number {
    return this.#eventSeq;
  }

  /** Replaces everything (hello, resume snapshot); returns the host events. */
  reset(interactions: readonly Interaction[], eventSeq: number): StatePayload[] {
    const out: StatePayload[] = [];
    const before = new Map(this.#items);
    this.#items.clear();
    for (const i of interactions) this.#items.set(i.id, i);
    // What vanished while the panel was away ended for the host too.
    for (const [id, i] of before)
      if (!this.#items.has(id)) out.push({ attribute: 'status', value: 'ended', interaction: i });
    for (const i of interactions) {
      if (!before.has(i.id) && i.state === 'alerting' && i.direction === 'inbound')
        out.push({ attribute: 'status', value: 'incoming', interaction: i });
    }
    this.#eventSeq = eventSeq;
    this.#pickActive(out);
    return out;
  }

  /** Applies one event; returns the host events. Old or repeated events are ignored. */
  apply(frame: InteractionFrame, opts: { channelStatus: boolean }): StatePayload[] {
    if (frame.event_seq <= this.#eventSeq) return [];
    this.#eventSeq = frame.event_seq;
    const i = frame.interaction;
    const mine = i.agent_id === this.me();
    const before = this.#items.get(i.id);
    const out: StatePayload[] = [];
    if (!mine || isTerminalState(i.state)) {
      if (!before && !isTerminalState(i.state)) return [];
      this.#items.delete(i.id);
    } else {
      this.#items.set(i.id, i);
    }
    const status = before || mine ? hostStatus(frame.event, i, mine) : null;
    if (status && !(status === 'rejected' && !before)) out.push({ attribute: 'status', value: status, interaction: i });
    if (status !== 'handled' && isTerminalState(i.state) && before)
      out.push({ attribute: 'status', value: 'handled', interaction: i });
    if (
      opts.channelStatus &&
      before &&
      !isTerminalState(i.state) &&
      (before.held !== i.held || before.muted !== i.muted || before.recording !== i.recording)
    )
      out.push({
        attribute: 'channel_status',
        value: { held: i.held, muted: i.muted, recording: i.recording },
        interaction: i,
      });
    if (frame.event === 'disposition' && i.wrapup)
      out.push({ attribute: 'disposition', value: i.wrapup, interaction: i });
    const missed = before?.state === 'alerting' && before.direction === 'inbound' ? missedBecause(frame) : null;
    if (missed) out.push({ attribute: 'missed', value: { reason: missed }, interaction: i });
    this.#pickActive(out);
    return out;
  }

  /** Puts an interaction in view; returns the host event when the view changed. */
  show(id: string | null): StatePayload[] {
    if (id !== null && !this.#items.has(id)) return [];
    if (id === this.#active) return [];
    this.#active = id;
    return [{ attribute: 'activeInteraction', value: this.active }];
  }

  /** Keeps something in view: the current one while it stays, else the newest; the host hears when that changes. */
  #pickActive(out: StatePayload[]): void {
    if (this.#active && this.#items.has(this.#active)) return;
    const next = this.list().at(-1)?.id ?? null;
    if (next === this.#active) return;
    this.#active = next;
    out.push({ attribute: 'activeInteraction', value: this.active });
  }
}

/** An interaction's messages with `incoming` merged in, once each, oldest first; null when nothing changed. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] | null {
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const before = byId.get(m.id);
    if (before && before.status === m.status) continue;
    byId.set(m.id, m);
    changed = true;
  }
  return changed ? [...byId.values()].sort((a, b) => a.created.localeCompare(b.created)) : null;
}
