/**
 * Call topology — who the far party of a call (a customer, an outside
 * number) belongs to as interaction rows come and go. Pure, like plan.ts:
 * given what the plane knows and one event, it says what to change; the
 * media plane carries the steps out on real calls.
 *
 * - The customer goes with the call: to a transfer's or requeue's new row,
 *   and to the consulted agent's row when a consultation is joined.
 * - When a live row ends, its far party is put through to a number (blind
 *   transfer to a number), kept for the original when a consulted number
 *   joins, bridged to that number when the original then ends, handed to
 *   another conference party, or hung up unless another live row has it.
 */
import type { Interaction } from '@parley/protocol';

/** States in which a row still has its far party on the line. */
const LIVE: ReadonlySet<string> = new Set(['incoming', 'outgoing', 'alerting', 'accepted', 'held']);
export const isLive = (state: string): boolean => LIVE.has(state);

/** A phone interaction row, as far as its far party goes (an {@link Interaction} is one). */
export interface TopologyLine {
  readonly id: string;
  readonly state: string;
  readonly direction: Interaction['direction'];
  readonly transferred_from?: string | null | undefined;
  readonly consultation_of?: string | null | undefined;
  readonly conference?: boolean | undefined;
  readonly local_address: string;
}

/** What the plane knows, read-only: each row's far party, and number consultations waiting to join. */
export interface TopologyView<C> {
  readonly remote: ReadonlyMap<string, C>;
  readonly joining: ReadonlyMap<string, C>;
  /** The rows as they are after the event. */
  readonly lines: ReadonlyMap<string, TopologyLine>;
}

export type TopologyStep<C> =
  /** `call` is now the far party of row `id`. */
  | { readonly op: 'follow'; readonly id: string; readonly call: C }
  /** Row `id` has no far party any more. */
  | { readonly op: 'forget'; readonly id: string }
  /** Ring `to` (from `from`) and put `call` through to it when it answers. */
  | { readonly op: 'put_through'; readonly call: C; readonly to: string; readonly from: string }
  /** Keep the consulted number's `call` until the `original` row ends. */
  | { readonly op: 'await_join'; readonly original: string; readonly call: C }
  /** The two calls talk to each other now; `joined` waits no more. */
  | { readonly op: 'bridge'; readonly a: C; readonly b: C; readonly joined: string }
  | { readonly op: 'hang_up'; readonly call: C };

/** Where the far party goes when a row appears: a transfer's new row, the consulted agent's row on join. */
export function customerFollows<C>(view: TopologyView<C>, event: string, line: TopologyLine): TopologyStep<C>[] {
  const steps: TopologyStep<C>[] = [];
  const transferred = line.transferred_from ? view.remote.get(line.transferred_from) : undefined;
  if (transferred !== undefined && !view.remote.has(line.id))
    steps.push({ op: 'follow', id: line.id, call: transferred });
  if (event === 'joined' && line.consultation_of && line.direction === 'inbound') {
    const customer = view.remote.get(line.consultation_of);
    if (customer !== undefined) steps.push({ op: 'follow', id: line.id, call: customer });
  }
  return steps;
}

/**
 * A live row ended (`cause` is the event, or the `ended` event's cause);
 * `target` is a transfer's. What becomes of its far party.
 */
export function rowEnded<C>(
  view: TopologyView<C>,
  line: TopologyLine,
  cause: string,
  target: { readonly kind?: string; readonly address?: string } | undefined,
): TopologyStep<C>[] {
  const call = view.remote.get(line.id);
  if (call === undefined) return [];
  const forget: TopologyStep<C> = { op: 'forget', id: line.id };
  if (cause === 'transferred' && target?.kind === 'number' && target.address)
    return [forget, { op: 'put_through', call, to: target.address, from: line.local_address }];
  if (cause === 'joined' && line.consultation_of && line.direction === 'outbound')
    return [forget, { op: 'await_join', original: line.consultation_of, call }];
  const other = cause === 'joined' ? view.joining.get(line.id) : undefined;
  if (other !== undefined) return [forget, { op: 'bridge', a: call, b: other, joined: line.id }];
  return [forget, ...release(view, line, call)];
}

/** The row ended: its far party goes to another conference party, stays with another live row, or hangs up. */
function release<C>(view: TopologyView<C>, line: TopologyLine, call: C): TopologyStep<C>[] {
  const group = line.consultation_of ?? line.id;
  if (line.conference) {
    const heir = [...view.lines.values()].find(
      (l) => l.conference && isLive(l.state) && (l.consultation_of ?? l.id) === group && !view.remote.has(l.id),
    );
    if (heir) return [{ op: 'follow', id: heir.id, call }];
  }
  for (const [id, c] of view.remote)
    if (id !== line.id && c === call && isLive(view.lines.get(id)?.state ?? '')) return [];
  return [{ op: 'hang_up', call }];
}
