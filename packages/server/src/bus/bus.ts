/**
 * The event bus: in-process by default. Every change other parts must hear
 * about goes through it, whichever edge it came from (panel, REST, supervisor).
 * A Redis implementation of the same interface lets several processes share it.
 */

import type { CustomerState, Interaction, InteractionEventOf, Message } from '@parley/protocol';

/** Every bus event and what it carries. */
export interface BusEvents {
  /** An interaction event was stored; `agentId` is the agent whose panels must hear of it. */
  'interaction.changed': InteractionEventOf & {
    readonly tenantId: string;
    readonly seq: number;
    readonly agentId: string | null;
    readonly interaction: Interaction;
    /** When it happened (as stored), ms since the epoch. */
    readonly at: number;
  };
  /** An agent's first panel connected, or the last one went away. */
  'agent.connection': { readonly tenantId: string; readonly userId: string; readonly connected: boolean };
  /** What a conversation's customer must hear: a message, or that they wait, are connected, or it closed. */
  'conversation.changed': {
    readonly tenantId: string;
    readonly conversationId: string;
    readonly message?: Message;
    readonly state?: CustomerState;
    /** The agent's display name while connected. */
    readonly agent?: string | null;
    /** While waiting: the place in line, 1 being next. */
    readonly position?: number;
    /** While waiting: about how long until an agent answers, when the queue's recent pace tells. */
    readonly estimatedWaitSeconds?: number;
  };
  /** Someone is typing in a conversation (not stored: it is only news). */
  'conversation.typing': {
    readonly tenantId: string;
    readonly conversationId: string;
    readonly interactionId: string;
    readonly agentId: string | null;
    readonly from: 'agent' | 'customer';
  };
  /** Outgoing SMS, WhatsApp or email messages were stored and wait to be handed to the provider or relay. */
  'message.queued': { readonly tenantId: string; readonly messageIds: readonly string[] };
  /** A queue's configuration changed (priority, timeouts, skills, overflow). */
  'queue.changed': { readonly tenantId: string; readonly queueId: string };
  /** A user's state or profile changed: panels of that user get a fresh user frame. */
  'user.changed': {
    readonly tenantId: string;
    readonly userId: string;
    /** `routing` when only the work status followed the agent's interactions (routing knows already). */
    readonly source?: 'routing';
  };
  /** One session ended (logout, expiry). */
  'session.ended': { readonly tenantId: string; readonly tokenHash: string; readonly reason: string };
  /** Every session of a user ended (forced logout by a supervisor). */
  'user.loggedOut': { readonly tenantId: string; readonly userId: string; readonly reason: string };
}

export type BusEventType = keyof BusEvents;

/** Where a customer's conversation stands, as the customer sees it. */
export type { CustomerState };

export interface Bus {
  /** Delivers an event to every subscriber of its type. */
  publish<K extends BusEventType>(type: K, event: BusEvents[K]): void;
  /** Subscribes; returns an unsubscribe function. */
  subscribe<K extends BusEventType>(type: K, handler: (event: BusEvents[K]) => void): () => void;
}

/** The bus of a single process. A throwing subscriber does not stop the others. */
export class InProcessBus implements Bus {
  readonly #handlers = new Map<BusEventType, Set<(event: never) => void>>();
  constructor(private readonly onError: (err: unknown, type: BusEventType) => void = () => undefined) {}

  publish<K extends BusEventType>(type: K, event: BusEvents[K]): void {
    for (const handler of [...(this.#handlers.get(type) ?? [])]) {
      try {
        (handler as (e: BusEvents[K]) => void)(event);
      } catch (err) {
        this.onError(err, type);
      }
    }
  }

  subscribe<K extends BusEventType>(type: K, handler: (event: BusEvents[K]) => void): () => void {
    let set = this.#handlers.get(type);
    if (!set) this.#handlers.set(type, (set = new Set()));
    set.add(handler as (event: never) => void);
    return () => set.delete(handler as (event: never) => void);
  }
}
