/**
 * The routing core's vocabulary: what it is told (events) and what it decides.
 * Time is always passed in, in milliseconds; the core has no clock and no I/O.
 */
import type { ChannelType } from '@parley/protocol';

/** A queue as routing sees it. */
export interface QueueSpec {
  readonly id: string;
  readonly channel: ChannelType;
  /** Higher is served first. */
  readonly priority: number;
  /** How long an offer waits for the agent, ms (5–900 s in configuration). */
  readonly offerTimeoutMs: number;
  /** Skills-based: the highest proficiency wins, then the longest idle. Otherwise the longest idle wins. */
  readonly skillsBased: boolean;
  /** Move contacts that waited this long to another queue. */
  readonly overflow?: { readonly queueId: string; readonly afterMs: number };
}

/** An agent as routing sees it. Memberships list only queues the agent may serve. */
export interface AgentSpec {
  readonly id: string;
  readonly ready: boolean;
  readonly connected: boolean;
  readonly capacity: Readonly<Record<ChannelType, number>>;
  readonly memberships: ReadonlyArray<{ readonly queueId: string; readonly proficiency: number }>;
}

export interface RoutingOptions {
  /** Consecutive offers left to time out before the agent is made not ready; 0 turns this off. Default 3. */
  readonly maxMissedOffers?: number;
  /** How long a contact waits for its preferred agent before anyone may take it, ms. Default 20,000. */
  readonly preferredWindowMs?: number;
  /**
   * How long a contact is kept from an agent who rejected it or let its
   * offer time out, ms; afterwards it may be offered to them again (the
   * others had their chance first). 0: never again. Default 30,000.
   */
  readonly reofferAfterMs?: number;
  /** A phone call blocks offers on every other channel too. Default true. */
  readonly phoneBlocksOtherChannels?: boolean;
}

export type RoutingEvent =
  | { readonly type: 'queue_configured'; readonly queue: QueueSpec }
  | { readonly type: 'agent_updated'; readonly agent: AgentSpec }
  | { readonly type: 'agent_disconnected'; readonly agentId: string }
  | {
      readonly type: 'contact_arrived';
      readonly contactId: string;
      readonly queueId: string;
      readonly preferredAgentId?: string;
      /** When it first arrived, if earlier than now (a transfer or a restart keeps the contact's age). */
      readonly arrivedAt?: number;
      /** Its priority, if it brings one (a transfer keeps it); never below the queue's. */
      readonly priority?: number;
      /** Agents it must never be offered to again (rebuilt after a restart). */
      readonly excluded?: readonly string[];
    }
  /** The contact leaves routing without being served (abandoned, transferred away, picked elsewhere). */
  | { readonly type: 'contact_abandoned'; readonly contactId: string }
  /** An agent takes a waiting contact from the picklist; an offer to someone else is withdrawn. */
  | { readonly type: 'contact_picked'; readonly contactId: string; readonly agentId: string }
  /** The agent holds an interaction routing did not offer (outbound, direct, rebuilt after a restart). */
  | { readonly type: 'interaction_assigned'; readonly agentId: string; readonly channel: ChannelType }
  | { readonly type: 'offer_accepted'; readonly contactId: string; readonly agentId: string }
  | { readonly type: 'offer_rejected'; readonly contactId: string; readonly agentId: string }
  | { readonly type: 'interaction_ended'; readonly agentId: string; readonly channel: ChannelType }
  | { readonly type: 'tick' };

export type WithdrawReason = 'timeout' | 'disconnected' | 'abandoned' | 'agent_not_ready' | 'picked';

export type Decision =
  | {
      readonly type: 'offer';
      readonly contactId: string;
      readonly agentId: string;
      readonly queueId: string;
      readonly expiresAt: number;
    }
  | {
      readonly type: 'offer_withdrawn';
      readonly contactId: string;
      readonly agentId: string;
      readonly reason: WithdrawReason;
    }
  | { readonly type: 'assigned'; readonly contactId: string; readonly agentId: string; readonly queueId: string }
  | {
      readonly type: 'overflowed';
      readonly contactId: string;
      readonly fromQueueId: string;
      readonly toQueueId: string;
    }
  | { readonly type: 'agent_not_ready'; readonly agentId: string; readonly reason: 'missed_offers' };

/** A contact waiting in a queue, as snapshots show it. */
export interface WaitingContact {
  readonly contactId: string;
  readonly queueId: string;
  /** When the contact first arrived (kept across overflow and transfer). */
  readonly arrivedAt: number;
  readonly priority: number;
  /** When it entered its current queue (overflow counts from here). */
  readonly enqueuedAt: number;
  /** The agent it is offered to now, if any, and until when. */
  readonly offeredTo: string | null;
  readonly offerExpiresAt: number | null;
  /** The agent it waits for first, and until when (0 without one). */
  readonly preferredAgentId: string | null;
  readonly preferredUntil: number;
}

/** Thrown for events that do not fit the state; `code` is from the protocol catalogue. */
export class RoutingError extends Error {
  override name = 'RoutingError';
  constructor(
    readonly code: 'not_found' | 'invalid_state' | 'invalid_argument',
    message: string,
  ) {
    super(message);
  }
}
