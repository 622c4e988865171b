/**
 * What supervisors see live: the wallboard (queues) and the agent grid, and
 * the console socket's frames (`GET {base}ws/console`). Every frame is
 * `{seq, type, data}` like the agent socket's; `wallboard` and `agents`
 * are whole snapshots, `agent` is one row.
 */
import type { ChannelType, WorkStatus } from './objects.ts';
import type { MonitorMode } from './vocabulary.ts';

/** One queue's numbers since the start of the tenant's day. */
export interface QueueDayStats {
  readonly offered: number;
  readonly answered: number;
  /** Answered within the queue's service-level threshold. */
  readonly answered_in_sl: number;
  /** The customer left before an agent had the contact. */
  readonly abandoned: number;
  /** Moved on to the overflow queue. */
  readonly overflowed: number;
  /** Finished, wrap-up included. */
  readonly handled: number;
  readonly wait_ms_total: number;
  readonly abandon_wait_ms_total: number;
  readonly handle_ms_total: number;
  /** answered_in_sl ÷ (answered + abandoned), 0…1; null before the first. */
  readonly service_level: number | null;
  /** Average speed of answer, s. */
  readonly asa_s: number | null;
  /** Average handle time (talk, hold, wrap-up), s. */
  readonly aht_s: number | null;
  readonly avg_abandon_s: number | null;
}

/** One wallboard tile: a queue now and today. */
export interface QueueBoard {
  readonly queue_id: string;
  readonly name: string;
  readonly channel: ChannelType;
  readonly sl_threshold_s: number;
  /** Contacts waiting now (offers ringing included). */
  readonly waiting: number;
  /** Since when the longest-waiting contact waits (ISO-8601), or null. */
  readonly oldest_waiting_since: string | null;
  readonly today: QueueDayStats;
  /** The queue's serving members by work status now. */
  readonly agents: {
    readonly ready: number;
    readonly busy: number;
    readonly wrap_up: number;
    readonly not_ready: number;
    readonly offline: number;
  };
}

/** One open interaction of an agent, as the grid shows it. */
export interface AgentWork {
  readonly id: string;
  readonly channel: ChannelType;
  readonly state: string;
  /** The customer's name or address. */
  readonly customer: string;
  readonly queue_id: string | null;
  /** Since when the agent has it (ISO-8601). */
  readonly since: string;
  /** Supervisors on the call now, and how. */
  readonly monitors: ReadonlyArray<{
    readonly supervisor_id: string;
    readonly supervisor_name: string;
    readonly mode: MonitorMode;
  }>;
}

/** One row of the agent grid. */
export interface AgentRow {
  readonly id: string;
  readonly username: string;
  readonly display_name: string;
  readonly work_status: WorkStatus;
  /** The presence profile's name. */
  readonly presence: string | null;
  /** The not-ready reason's code and label, when one is set. */
  readonly reason: { readonly code: string; readonly label: string } | null;
  /** Since when the agent is in this state (ISO-8601), or null when unknown. */
  readonly state_since: string | null;
  /** Who else changed the state last (a supervisor's display name), or null when the agent did. */
  readonly changed_by: string | null;
  readonly connected: boolean;
  readonly team_ids: readonly string[];
  readonly queue_ids: readonly string[];
  readonly interactions: readonly AgentWork[];
  readonly answered_today: number;
  readonly handled_today: number;
  /** Handle time of today's handled contacts, ms. */
  readonly handle_ms_today: number;
}

/** A contact waiting in a queue, as the supervisor's list shows it. */
export interface WaitingRow {
  readonly id: string;
  readonly channel: ChannelType;
  readonly queue_id: string;
  readonly queue_name: string;
  /** The customer's name or address. */
  readonly customer: string;
  /** Since when the contact waits (ISO-8601; kept across transfers and moves). */
  readonly waiting_since: string;
  readonly priority: number;
  /** The agent it is being offered to right now, if any. */
  readonly offered_to: { readonly id: string; readonly name: string } | null;
}

/** What the console socket pushes. */
export interface ConsoleEventMap {
  /** First frame: who is watching, what they may see and do, the server's clock. */
  readonly hello: {
    readonly user: { readonly id: string; readonly display_name: string; readonly role: 'supervisor' | 'admin' };
    readonly server_time: string;
    /** The first instant of the tenant's day (the wallboard's "today"). */
    readonly day_start: string;
    readonly teams: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    readonly reasons: ReadonlyArray<{ readonly code: string; readonly label: string }>;
  };
  /** Every queue in view, whenever one changed (at most twice a second). */
  readonly wallboard: { readonly queues: readonly QueueBoard[]; readonly at: string };
  /** Every contact waiting in the queues in view, longest first, whenever the line changed. */
  readonly waiting: { readonly contacts: readonly WaitingRow[] };
  /** Every agent in view (after hello, after a change of scope). */
  readonly agents: { readonly agents: readonly AgentRow[] };
  /** One agent's row changed. */
  readonly agent: { readonly agent: AgentRow };
}
export type ConsoleEventType = keyof ConsoleEventMap;

export type ConsoleEvent = {
  [K in ConsoleEventType]: { readonly seq: number; readonly type: K; readonly data: ConsoleEventMap[K] };
}[ConsoleEventType];
