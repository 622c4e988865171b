/**
 * The objects the panel hands to the host (PROTOCOL.md §1.5). Field names are
 * snake_case on the wire, as in the CPC model.
 */
import type { InteractionState } from './vocabulary.ts';
import type { InteractionId, QueueId, UserId } from './ids.ts';

/** The channel an interaction or a queue belongs to. */
export const CHANNEL_TYPES = ['phone', 'chat', 'email', 'sms', 'whatsapp'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** The agent's work status as the host sees it. */
export const WORK_STATUSES = ['ready', 'not_ready', 'busy', 'wrap_up', 'offline'] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

/** The roles a user can hold. */
export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A presence profile (Available, Lunch, …); `ready` says whether it counts as ready for work. */
export interface PresenceProfile {
  readonly id: string;
  readonly name: string;
  readonly ready: boolean;
}

/** The logged-in user, as returned by `detail user`. */
export interface User {
  readonly id: UserId;
  readonly username: string;
  readonly display_name: string;
  readonly email: string;
  /** The id of the current presence profile. */
  readonly presence: string;
  readonly presence_profiles: readonly PresenceProfile[];
  readonly work_status: WorkStatus;
  /** (ext) The agent's own choice, ready for work or not; `work_status` also shows busy and wrap-up. */
  readonly ready?: boolean;
  /** BCP-47 language tag, e.g. `en`. */
  readonly language: string;
  readonly theme: { readonly dark: boolean; readonly primary: string };
  readonly rights: readonly Role[];
  /** (ext) While not ready: the id of the not-ready reason (`GET api/v1/reason-codes`), or null. */
  readonly not_ready_reason?: string | null;
  /** (ext) When the agent's state last changed (ISO-8601), null if never. */
  readonly state_changed_at?: string | null;
  /** (ext) Who changed it when it was not the agent (a supervisor's forced state), else null. */
  readonly state_changed_by?: UserId | null;
  /** (ext) Their display name, to tell the agent who did it. */
  readonly state_changed_by_name?: string | null;
  /** (ext) While not ready: the reason's code and label (`break`, "Break"), or null. */
  readonly not_ready_reason_code?: string | null;
  readonly not_ready_reason_label?: string | null;
  /** (ext) The agent's own settings, kept on the server so they follow the agent (`PATCH api/v1/me`). */
  readonly preferences?: AgentPreferences;
}

/** (ext) What an agent sets for themselves in the panel. Device ids are the browser's (`enumerateDevices`). */
export interface AgentPreferences {
  readonly devices?: { readonly mic: string; readonly ringer: string; readonly output: string };
  /** Keyboard shortcuts by action (`accept: "Alt+A"`); missing ones keep their default. */
  readonly shortcuts?: Readonly<Record<string, string>>;
}

/** A queue the user serves. */
export interface Queue {
  readonly id: QueueId;
  readonly name: string;
  readonly type: ChannelType;
  readonly addresses: readonly { readonly address: string }[];
}

/** One interaction (call, chat, email, SMS, WhatsApp conversation). Timestamps are ISO-8601 UTC. */
export interface Interaction {
  readonly id: InteractionId;
  readonly channel_type: ChannelType;
  readonly direction: 'inbound' | 'outbound';
  readonly state: InteractionState;
  readonly queue_id: QueueId | null;
  readonly queue_name: string | null;
  readonly remote_address: string;
  readonly local_address: string;
  readonly subject?: string;
  readonly created: string;
  readonly date_accepted?: string;
  readonly date_ended?: string;
  readonly held: boolean;
  /** (ext) While held: since when. */
  readonly held_since?: string;
  readonly muted: boolean;
  readonly recording: boolean;
  readonly consultation_of?: InteractionId;
  readonly wrapup?: { readonly code?: string; readonly notes?: string };
  /** (ext) The agent handling it, or offered it while `alerting`; null while it waits in a queue. */
  readonly agent_id?: UserId | null;
  /** (ext) While an inbound offer is `alerting`: when it is withdrawn unless accepted. */
  readonly offer_expires?: string;
  /** (ext) In `wrap_up`: when it is handled automatically. */
  readonly wrapup_until?: string;
  /** (ext) The other leg of a consultation. */
  readonly peer_id?: InteractionId;
  /** (ext) The interaction this one continues after a transfer. */
  readonly transferred_from?: InteractionId;
  /** (ext) Part of a three-party conference. */
  readonly conference?: boolean;
  /** (ext) The customer's conversation (chat and message channels): its messages outlive transfers. */
  readonly conversation_id?: string;
  /** (ext) The customer behind the contact (`GET api/v1/customers/{id}`); screen-pop data is the host event `customer`. */
  readonly customer_id?: string;
  /** (ext) The data that came with the contact: the widget's pre-chat fields, a host's user data. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** (ext) One message of a conversation. */
export interface Message {
  readonly id: string;
  readonly conversation_id: string;
  readonly interaction_id: InteractionId;
  /** `in` from the customer, `out` from an agent. */
  readonly direction: 'in' | 'out';
  readonly author: string;
  readonly content: string;
  readonly status: MessageStatus;
  readonly created: string;
  readonly client_message_id?: string;
  /** Email: the subject, the sanitised HTML body, and the addresses. */
  readonly subject?: string;
  readonly html?: string;
  readonly from?: string;
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  /** Files sent with the message (download at `api/v1/attachments/{id}`). */
  readonly attachments?: readonly Attachment[];
  /** Media links of an SMS/WhatsApp message (MMS). */
  readonly media?: readonly string[];
  /** The WhatsApp template a message was sent from. */
  readonly template_id?: string;
  /** Why delivery failed (`status: "failed"`). */
  readonly error?: string;
  /** Between agents (a consultation's thread): never shown or sent to the customer. */
  readonly internal?: true;
}

/**
 * `queued`: stored, not yet accepted by the provider or relay; `sent`: handed
 * over (web chat: delivered to the server); `delivered`: reached the customer's
 * device; `read`: the customer saw it (web chat); `failed`: see `error`.
 */
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export const MESSAGE_STATUSES: readonly MessageStatus[] = ['queued', 'sent', 'delivered', 'read', 'failed'];

/** A file attached to a message. */
export interface Attachment {
  readonly id: string;
  readonly name: string;
  readonly content_type: string;
  readonly size: number;
}

/** A contact waiting in a queue (picklist entry). */
export interface Contact {
  readonly id: InteractionId;
  readonly channel_type: ChannelType;
  readonly queue_id: QueueId;
  readonly remote_address: string;
  readonly waiting_since: string;
}
