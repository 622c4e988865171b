/**
 * (ext) Customers as the panel, the host and REST see them: the card of an
 * interaction (`GET api/v1/interactions/{id}/customer`, the host event
 * `customer`), notes (`note`) and canned responses.
 */

/** How a customer is recognised: a phone number (calls, SMS, WhatsApp) or an email address (email, chat). */
export interface CustomerIdentity {
  readonly kind: 'phone' | 'email';
  readonly value: string;
}

export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  /** E.164, e.g. `+49301234567`. */
  readonly phone: string | null;
  readonly identities: readonly CustomerIdentity[];
  readonly created: string;
  readonly updated: string;
}

/** An agent's internal note on an interaction: never shown or sent to the customer. */
export interface Note {
  readonly id: string;
  readonly interaction_id: string;
  readonly author_id: string;
  readonly author_name: string;
  readonly body: string;
  readonly created: string;
}

/** One earlier (or current) interaction of a customer, with its outcome. */
export interface CustomerHistoryEntry {
  readonly interaction_id: string;
  readonly channel: string;
  readonly direction: string;
  readonly state: string;
  readonly created: string;
  readonly ended: string | null;
  readonly subject: string | null;
  readonly queue_name: string | null;
  readonly agent_id: string | null;
  readonly agent_name: string | null;
  readonly wrapup: { readonly code?: string; readonly notes?: string } | null;
  /** `url` only where the caller may listen (the call's agent, supervisors). */
  readonly recordings: readonly { readonly id: string; readonly duration_ms: number; readonly url?: string }[];
  readonly notes: readonly Note[];
}

/** The customer card of an interaction: who, what came with the contact, and their other interactions (newest first). */
export interface CustomerCard {
  readonly interaction_id: string;
  readonly customer: Customer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly history: readonly CustomerHistoryEntry[];
}

/** A canned response; `body` may hold `{{customer.name}}`, `{{customer.first_name}}`, `{{agent.name}}`, `{{agent.first_name}}`. */
export interface CannedResponse {
  readonly id: string;
  /** What follows `/` in the compose box. */
  readonly shortcut: string;
  readonly title: string;
  readonly body: string;
  /** The agent's own (true) or the tenant's. */
  readonly personal: boolean;
}

/** (ext) One party of a conference (`GET api/v1/interactions/{id}/parties`). */
export interface ConferenceParty {
  /** The party's part of the call (their interaction; `drop` takes it), null for the customer. */
  readonly interaction_id: string | null;
  readonly kind: 'customer' | 'agent' | 'number';
  readonly name: string;
  readonly agent_id: string | null;
}

/** (ext) One entry of the agent's missed list (`GET api/v1/me/missed`). */
export interface MissedEntry {
  readonly interaction_id: string;
  /** `timeout`: offered to the agent, unanswered; `abandoned`: the customer gave up waiting. */
  readonly reason: 'timeout' | 'abandoned';
  readonly at: string;
  readonly channel_type: string;
  readonly remote_address: string;
  readonly queue_id: string | null;
  readonly queue_name: string | null;
  readonly customer_id: string | null;
  /** What became of it (`handled` when a colleague took it since). */
  readonly state: string;
}
