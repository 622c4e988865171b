/**
 * The interaction events, each with its typed detail: what an `interaction`
 * frame (and the bus, and the stored log) carries. The frame is a
 * discriminated union on `event`, so a client switching on it gets the
 * right detail, and the server cannot write an event this map does not
 * name, or a detail of the wrong shape.
 *
 * A contact that ends or is lost for whatever reason is one event (`ended`,
 * `missed`) with the reason as its `cause`.
 */
import type { Interaction, Message } from './objects.ts';
import type { MonitorMode } from './vocabulary.ts';

/** Where a transfer or consultation went. */
export type TransferTarget =
  | { readonly kind: 'queue'; readonly id: string; readonly address: string }
  | { readonly kind: 'agent'; readonly id: string; readonly address: string }
  | { readonly kind: 'number'; readonly address: string };

/** How a conversation ended or a contact was lost: the `cause` of `ended` and `missed`. */
export type EndCause =
  | 'hangup'
  | 'remote_hangup'
  | 'transferred'
  | 'joined'
  | 'requeued'
  | 'conference'
  | 'conference_ended'
  | 'consult_cancelled'
  | 'consult_ended'
  | 'consult_failed'
  | 'abandoned'
  /** The conference's agent hung up on this party (`drop`). */
  | 'removed'
  /** A supervisor took the call over (`intercept`); the agent wraps up their part. */
  | 'intercepted';

/** Why an offer was taken back from an agent. */
export type WithdrawReason = 'timeout' | 'rejected' | 'picked' | 'abandoned' | 'restart' | (string & {});

export interface InteractionEventDetails {
  /** A new interaction: inbound, outbound, a consultation's leg, or a transfer's or requeue's successor. */
  readonly created: {
    readonly consulted_by?: string;
    readonly transferred_by?: string;
    /** Requeued, and why (`agent_media_lost`). */
    readonly requeued?: string;
    /** The supervisor who took the call over from its agent (the new row is theirs, connected at once). */
    readonly intercepted_by?: string;
  } | null;
  readonly offered: { readonly expires_at: string };
  readonly offer_withdrawn: { readonly reason: WithdrawReason };
  readonly overflowed: { readonly from_queue_id: string };
  /**
   * A supervisor moved a waiting contact: to another queue (`to_queue_id`),
   * to an agent (`to_agent_id`, offered directly; back to its queue if they
   * do not take it), or to another priority (`priority`).
   */
  readonly moved: {
    readonly by: string;
    readonly from_queue_id: string;
    readonly to_queue_id?: string;
    readonly to_agent_id?: string;
    readonly priority?: number;
  };
  readonly alerting: null;
  readonly accepted: null;
  readonly picked: null;
  readonly answered: null;
  readonly rejected: null;
  readonly declined: null;
  readonly no_answer: null;
  readonly failed: null;
  readonly held: null;
  readonly unheld: null;
  readonly mute: null;
  readonly unmute: null;
  readonly start_recording: null;
  readonly stop_recording: null;
  /** Tones the agent sent into the call. */
  readonly dtmf: { readonly digits: string };
  /** Tones the far party pressed. */
  readonly dtmf_received: { readonly digits: string };
  readonly message: { readonly message: Message };
  /** A message's delivery changed (sent, delivered, read, failed). */
  readonly message_status: { readonly message: Message };
  readonly consult_started: null;
  readonly consult_linked: null;
  readonly consult_accepted: null;
  readonly consult_failed: { readonly reason?: WithdrawReason } | null;
  /**
   * Written on the interaction an agent transferred blind to another agent,
   * when that agent did not take it: who, why, and what became of the
   * contact (back in its queue, or lost when it had none).
   */
  readonly transfer_failed: {
    readonly reason: WithdrawReason;
    readonly agent_id: string;
    readonly agent_name: string;
    readonly outcome: 'queued' | 'missed';
    readonly queue_name?: string;
    readonly transferred_to: string;
  };
  /** The consulted agent took over the customer. */
  readonly joined: { readonly customer: string };
  /**
   * A supervisor joined the call, changed how, or left (`mode` null): heard
   * by nobody (`monitor`), by the agent (`whisper`), by everyone (`barge`).
   * The agent's panel hears of it only where the tenant allows
   * (`settings.monitoring_notice`).
   */
  readonly monitor: {
    readonly supervisor_id: string;
    readonly supervisor_name: string;
    readonly mode: MonitorMode | null;
  };
  readonly conference: null;
  readonly conference_ended: null;
  /** The conversation ended; `cause` says how (`hangup`, `remote_hangup`, `transferred`, `joined`, `requeued`, …). */
  readonly ended: {
    readonly cause?: EndCause;
    readonly target?: TransferTarget;
    readonly transferred_to?: string;
    readonly to?: string;
    readonly reason?: string;
  } | null;
  /** The contact was lost before an agent had it; `cause` says how. */
  readonly missed: { readonly cause?: EndCause } | null;
  readonly wrap_up: null;
  readonly disposition: { readonly extended_by?: number } | null;
  readonly handled: { readonly auto?: boolean } | null;
}

export type InteractionEventName = keyof InteractionEventDetails;

/** An event's detail as the server writes it (`null` ones are written without one). */
export type EventDetail<E extends InteractionEventName> = Exclude<InteractionEventDetails[E], null>;

/** An event with its detail: a union discriminated on `event`. */
export type InteractionEventOf = {
  readonly [E in InteractionEventName]: {
    /** What happened. */
    readonly event: E;
    /** The event's detail, e.g. `{reason: "timeout"}` for a withdrawn offer. */
    readonly detail?: EventDetail<E>;
  };
}[InteractionEventName];

/** One stored interaction event, as a panel gets it. */
export type InteractionFrame = InteractionEventOf & {
  /** The tenant's event sequence number: the panel resumes from the last one it saw. */
  readonly event_seq: number;
  /** The interaction after the event. */
  readonly interaction: Interaction;
};
