/**
 * The console's pure model: the live state folded from socket frames, the
 * agent grid's filters and order, channel totals and threshold colours.
 * No DOM, no I/O: the views render what these functions return.
 */
import type { AgentRow, ConsoleEvent, ConsoleEventMap, QueueBoard, QueueDayStats, WaitingRow } from '@parley/protocol';

export interface LiveState {
  readonly hello: ConsoleEventMap['hello'] | null;
  readonly queues: readonly QueueBoard[];
  readonly agents: readonly AgentRow[];
  readonly waiting: readonly WaitingRow[];
  /** Server time minus local time, ms: durations count from the server's clock. */
  readonly clockSkewMs: number;
}

export const EMPTY: LiveState = { hello: null, queues: [], agents: [], waiting: [], clockSkewMs: 0 };

/** Folds one frame into the state. */
export function reduce(state: LiveState, frame: ConsoleEvent, localNow: number): LiveState {
  switch (frame.type) {
    case 'hello':
      return { ...state, hello: frame.data, clockSkewMs: Date.parse(frame.data.server_time) - localNow };
    case 'wallboard':
      return { ...state, queues: frame.data.queues };
    case 'agents':
      return { ...state, agents: frame.data.agents };
    case 'waiting':
      return { ...state, waiting: frame.data.contacts };
    case 'agent': {
      const row = frame.data.agent;
      const at = state.agents.findIndex((a) => a.id === row.id);
      const agents = at < 0 ? [...state.agents, row] : state.agents.map((a, i) => (i === at ? row : a));
      return { ...state, agents };
    }
  }
}

/** Threshold colour of a tile's number: fine, watch, act. */
export type Level = 'ok' | 'warn' | 'bad' | 'none';

/** Service level against the usual 80 % target: ≥ 80 % ok, ≥ 60 % warn, below bad; none before the first contact. */
export function serviceLevelLevel(sl: number | null): Level {
  if (sl === null) return 'none';
  return sl >= 0.8 ? 'ok' : sl >= 0.6 ? 'warn' : 'bad';
}

/** The longest wait against the queue's threshold: within ok, up to twice warn, beyond bad. */
export function waitLevel(oldestSince: string | null, thresholdS: number, now: number): Level {
  if (oldestSince === null) return 'none';
  const waited = (now - Date.parse(oldestSince)) / 1000;
  return waited <= thresholdS ? 'ok' : waited <= thresholdS * 2 ? 'warn' : 'bad';
}

/** Contacts waiting with nobody ready to take them is a problem even before anyone waited long. */
export function staffingLevel(q: QueueBoard): Level {
  if (q.waiting === 0) return 'none';
  return q.agents.ready > 0 ? 'ok' : q.agents.busy + q.agents.wrap_up > 0 ? 'warn' : 'bad';
}

/** Several queues added up (per channel, or all): sums, then the ratios from the sums. */
export function total(queues: readonly QueueBoard[]): { waiting: number; today: QueueDayStats } {
  const sum = (pick: (s: QueueDayStats) => number) => queues.reduce((n, q) => n + pick(q.today), 0);
  const answered = sum((s) => s.answered);
  const abandoned = sum((s) => s.abandoned);
  const handled = sum((s) => s.handled);
  const inSl = sum((s) => s.answered_in_sl);
  const wait = sum((s) => s.wait_ms_total);
  const abandonWait = sum((s) => s.abandon_wait_ms_total);
  const handle = sum((s) => s.handle_ms_total);
  const avg = (ms: number, n: number) => (n === 0 ? null : Math.round(ms / n / 100) / 10);
  return {
    waiting: queues.reduce((n, q) => n + q.waiting, 0),
    today: {
      offered: sum((s) => s.offered),
      answered,
      answered_in_sl: inSl,
      abandoned,
      overflowed: sum((s) => s.overflowed),
      handled,
      wait_ms_total: wait,
      abandon_wait_ms_total: abandonWait,
      handle_ms_total: handle,
      service_level: answered + abandoned === 0 ? null : Math.round((inSl / (answered + abandoned)) * 1000) / 1000,
      asa_s: avg(wait, answered),
      aht_s: avg(handle, handled),
      avg_abandon_s: avg(abandonWait, abandoned),
    },
  };
}

/** The channels present, in a fixed order, with their queues. */
export function byChannel(queues: readonly QueueBoard[]): Array<{ channel: string; queues: QueueBoard[] }> {
  const order = ['phone', 'chat', 'sms', 'whatsapp', 'email'];
  const groups = new Map<string, QueueBoard[]>();
  for (const q of queues) groups.set(q.channel, [...(groups.get(q.channel) ?? []), q]);
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([channel, list]) => ({ channel, queues: list }));
}

export type SortKey = 'name' | 'state' | 'time' | 'handled' | 'work';

export interface GridView {
  readonly team: string | null;
  readonly queue: string | null;
  readonly search: string;
  readonly sort: SortKey;
  readonly descending: boolean;
  /** Hide agents who are offline. */
  readonly onlineOnly: boolean;
}

export const DEFAULT_VIEW: GridView = {
  team: null,
  queue: null,
  search: '',
  sort: 'state',
  descending: false,
  onlineOnly: false,
};

const STATE_ORDER: Readonly<Record<string, number>> = { busy: 0, wrap_up: 1, ready: 2, not_ready: 3, offline: 4 };

/** The grid's rows after its filters, in its order (ties by name). */
export function gridRows(agents: readonly AgentRow[], view: GridView, now: number): AgentRow[] {
  const needle = view.search.trim().toLowerCase();
  const rows = agents.filter(
    (a) =>
      (view.team === null || a.team_ids.includes(view.team)) &&
      (view.queue === null || a.queue_ids.includes(view.queue)) &&
      (!view.onlineOnly || a.work_status !== 'offline') &&
      (needle === '' || a.display_name.toLowerCase().includes(needle) || a.username.toLowerCase().includes(needle)),
  );
  const since = (a: AgentRow) => (a.state_since ? now - Date.parse(a.state_since) : -1);
  const key = (a: AgentRow): number | string => {
    switch (view.sort) {
      case 'name':
        return a.display_name.toLowerCase();
      case 'state':
        return STATE_ORDER[a.work_status] ?? 9;
      case 'time':
        return since(a);
      case 'handled':
        return a.handled_today;
      case 'work':
        return a.interactions.length;
    }
  };
  const dir = view.descending ? -1 : 1;
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
    return c !== 0 ? c * dir : a.display_name.localeCompare(b.display_name);
  });
}

/** The next view when a column header is clicked: the same column flips, another starts ascending. */
export function sortBy(view: GridView, key: SortKey): GridView {
  return view.sort === key ? { ...view, descending: !view.descending } : { ...view, sort: key, descending: false };
}

/** A duration as a clock: `m:ss` below an hour, `h:mm:ss` above. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Seconds as a short duration (`42 s`, `3:05`), or an en dash when unknown. */
export function seconds(s: number | null): string {
  if (s === null) return '–';
  return s < 60 ? `${Math.round(s)} s` : clock(s * 1000);
}

/** A share as a whole percentage, or an en dash. */
export function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)} %`;
}
