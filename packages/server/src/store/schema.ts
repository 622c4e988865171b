/**
 * Table types. Portable across SQLite and PostgreSQL: ids are 32-hex text,
 * timestamps are ISO-8601 UTC text, booleans are 0/1 integers, JSON is text.
 */
import type { Generated, Kysely, Transaction } from 'kysely';

export interface TenantTable {
  id: string;
  slug: string;
  name: string;
  /** JSON array of origins allowed to embed the panel. */
  allowed_origins: string;
  /** JSON array of accepted OAuth issuers. */
  oauth_issuers: string;
  /** JSON object of tenant settings. */
  settings: string;
  /** Signs the tenant's SMS/WhatsApp webhooks; never served back by the API. */
  webhook_secret: string | null;
  created_at: string;
}

export interface PresenceProfileTable {
  id: string;
  tenant_id: string;
  name: string;
  ready: number;
  sort: number;
}

export interface ReasonCodeTable {
  id: string;
  tenant_id: string;
  /** `not_ready` or `wrap_up`. */
  kind: string;
  code: string;
  label: string;
  sort: number;
}

export interface UserTable {
  id: string;
  tenant_id: string;
  username: string;
  display_name: string;
  email: string;
  /** `agent`, `supervisor` or `admin`. */
  role: string;
  /** argon2id PHC string, or null for users who only log in through OAuth. */
  password_hash: string | null;
  oauth_subject: string | null;
  language: string;
  /** JSON `{dark, primary}`. */
  theme: string;
  presence_profile_id: string | null;
  not_ready_reason_id: string | null;
  work_status: string;
  /** JSON `{phone, chat, email, sms, whatsapp}`: concurrent interactions per channel. */
  capacity: string;
  /** The agent's own choice: 1 ready for work, 0 not. `work_status` also shows busy and wrap-up. */
  ready: number;
  created_at: string;
  /** When the agent's state (ready, presence, reason) last changed, and who changed it (null: the agent). */
  state_changed_at: string | null;
  state_changed_by: string | null;
  /** Since when the work status is what it is (ISO-8601); null before the first change. */
  status_since: string | null;
  /** JSON: the agent's own settings (`{devices, shortcuts}`), see `AgentPreferences`. */
  preferences: string;
}

export interface TeamTable {
  id: string;
  tenant_id: string;
  name: string;
  created_at: string;
}

export interface TeamMemberTable {
  tenant_id: string;
  team_id: string;
  user_id: string;
  /** 1: supervises the team (and may belong to it); 0: a member. */
  supervisor: number;
}

export interface ClientLogTable {
  id: string;
  tenant_id: string;
  user_id: string;
  client: string;
  /** JSON: [{at, level, message}], redacted. */
  entries: string;
  created_at: string;
}

export interface QueueTable {
  id: string;
  tenant_id: string;
  name: string;
  channel: string;
  priority: number;
  offer_timeout_s: number;
  wrapup_s: number;
  /** JSON array of required skill names. */
  skills: string;
  overflow_queue_id: string | null;
  overflow_after_s: number | null;
  created_at: string;
  /** Answered within so many seconds counts as within service level. */
  sl_threshold_s: number;
}

export interface QueueAddressTable {
  tenant_id: string;
  queue_id: string;
  address: string;
  sort: number;
  /** Unique across tenants: `mail:` / `tel:` keys route from the outside world, `chat:{tenant}:` stays tenant-local. */
  route_key: string | null;
}

/** A signed webhook taken, by the SHA-256 of its signature (replays store nothing). */
export interface WebhookReceiptTable {
  tenant_id: string;
  digest: string;
  created_at: string;
}

/** A transcript asked for by the widget, sent once its emailed link is opened. */
export interface TranscriptRequestTable {
  token_hash: string;
  tenant_id: string;
  conversation_id: string;
  email: string;
  created_at: string;
  sent_at: string | null;
}

/** A session that ended, logged by a trigger on every delete from `sessions`. */
export interface SessionEndTable {
  seq: Generated<number>;
  token_hash: string;
  ended_at: string;
}

export interface QueueMemberTable {
  tenant_id: string;
  queue_id: string;
  user_id: string;
  can_serve: number;
  /** Skill proficiency 1–5. */
  proficiency: number;
}

export interface SessionTable {
  /** SHA-256 of the session token, hex; the token itself is never stored. */
  token_hash: string;
  tenant_id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** A tenant API key (POST /api/v1/agent-tokens); only the key's SHA-256 is stored. */
export interface ApiKeyTable {
  id: string;
  tenant_id: string;
  name: string;
  key_hash: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  tenant_id: string;
  actor_id: string | null;
  action: string;
  /** JSON object with what the action concerned; never secrets. */
  detail: string;
  created_at: string;
}

export interface TenantSequenceTable {
  tenant_id: string;
  /** The last event sequence number handed out for the tenant. bigint: a string on PostgreSQL, a number on SQLite. */
  last_seq: number | string | bigint;
}

export interface InteractionTable {
  id: string;
  tenant_id: string;
  channel: string;
  direction: string;
  state: string;
  queue_id: string | null;
  agent_id: string | null;
  remote_address: string;
  local_address: string;
  subject: string | null;
  consultation_of: string | null;
  held: number;
  muted: number;
  recording: number;
  /** JSON `{code?, notes?}`. */
  wrapup: string | null;
  created_at: string;
  accepted_at: string | null;
  ended_at: string | null;
  /** The sequence number of the interaction's latest event. */
  last_seq: number | string | bigint;
  /** When the customer first started waiting (kept across transfers); routing order. */
  waiting_since: string | null;
  priority: number;
  offer_expires_at: string | null;
  /** JSON array of agent ids the contact is never offered to again. */
  excluded: string;
  preferred_agent_id: string | null;
  wrapup_until: string | null;
  /** The other leg of a consultation. */
  peer_id: string | null;
  transferred_from: string | null;
  /** JSON `{kind, id?, address}` of a consultation's target. */
  target: string | null;
  conference: number;
  /** The customer's conversation this leg serves (chat and message channels). */
  conversation_id: string | null;
  /** The customer behind the contact (`customers`), null for agent-to-agent legs. */
  customer_id: string | null;
  /** JSON object of strings: the data that came with the contact (pre-chat fields, a host's user data). */
  attributes: string;
  /** While held: since when. */
  held_since: string | null;
}

export interface CustomerTable {
  id: string;
  tenant_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** Set when an agent merged this customer into another: its identities and history moved there. */
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

/** How a customer is recognised: `phone` (E.164, calls/SMS/WhatsApp), `email` (lower case, email/chat). */
export interface CustomerIdentityTable {
  tenant_id: string;
  kind: string;
  value: string;
  customer_id: string;
}

/** An agent's internal note on an interaction: never shown or sent to the customer. */
/** A supervisor on an agent's call while they are on it. */
export interface InteractionMonitorTable {
  tenant_id: string;
  interaction_id: string;
  supervisor_id: string;
  /** `monitor`, `whisper` or `barge`. */
  mode: string;
  started_at: string;
}

export interface InteractionNoteTable {
  id: string;
  tenant_id: string;
  interaction_id: string;
  author_id: string;
  body: string;
  created_at: string;
}

/** A canned response: tenant-wide (`owner_id` null) or an agent's own. */
export interface CannedResponseTable {
  id: string;
  tenant_id: string;
  owner_id: string | null;
  shortcut: string;
  title: string;
  body: string;
  created_at: string;
}

export interface ConversationTable {
  id: string;
  tenant_id: string;
  channel: string;
  customer_name: string;
  customer_email: string | null;
  /** SHA-256 of the customer's token (web chat). */
  token_hash: string | null;
  /** The interaction (agent leg) serving it now. */
  interaction_id: string;
  /** `open` or `closed`. */
  state: string;
  created_at: string;
  /** The customer's phone number or email address (SMS, WhatsApp, email). */
  customer_address: string | null;
  /** The queue address the customer wrote to. */
  local_address: string | null;
  /** The email thread's subject. */
  subject: string | null;
}

export interface MessageTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  interaction_id: string;
  /** `in` (from the customer) or `out` (from an agent). */
  direction: string;
  author_id: string | null;
  client_message_id: string | null;
  body: string;
  /** `queued` (stored, not yet handed over), `sent`, `delivered`, `read` or `failed`. */
  status: string;
  created_at: string;
  subject: string | null;
  /** Sanitised HTML of an email. */
  html: string | null;
  /** The provider's message id (SMS sid) or the email's Message-ID. */
  external_id: string | null;
  /** Why delivery failed. */
  error: string | null;
  /** JSON: email addresses and thread headers, media URLs, WhatsApp template. */
  meta: string | null;
  /** 1: between agents (a consultation's thread), never shown or sent to the customer. */
  internal: number;
}

export interface AttachmentTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  message_id: string | null;
  name: string;
  content_type: string;
  size: number;
  /** Base64. */
  data: string;
  created_at: string;
}

export interface RecordingTable {
  id: string;
  tenant_id: string;
  interaction_id: string;
  agent_id: string | null;
  /** Relative to the data directory. */
  file: string;
  state: 'recording' | 'paused' | 'complete';
  started_at: string;
  ended_at: string | null;
  duration_ms: number;
  bytes: number;
}

export interface DemoHandsetMessageTable {
  id: string;
  sid: string;
  channel: string;
  handset: string;
  peer: string;
  /** `in` (to the handset) or `out` (from it). */
  direction: string;
  body: string;
  status: string;
  idempotency_key: string | null;
  created_at: string;
  /** Null for messages of before handsets belonged to a tenant. */
  tenant_id: string | null;
}

/** A demo handset number claimed by one browser (its device key, hashed). */
export interface DemoHandsetTable {
  tenant_id: string;
  number: string;
  device_hash: string;
  created_at: string;
}

export interface DemoMailboxTable {
  id: string;
  message_id: string | null;
  in_reply_to: string | null;
  references: string | null;
  from: string;
  to: string;
  cc: string | null;
  subject: string;
  text: string;
  received_at: string;
}

export interface InteractionEventTable {
  tenant_id: string;
  seq: number | string | bigint;
  interaction_id: string;
  type: string;
  /** JSON with what changed. */
  data: string;
  actor_id: string | null;
  created_at: string;
  /** The agent whose panel must hear of it (replayed on resume). */
  agent_id: string | null;
}

export interface InteractionRequestTable {
  tenant_id: string;
  user_id: string;
  /** The client's request id: a repeated request answers with the first one's result. */
  request_id: string;
  action: string;
  interaction_id: string;
  result_id: string;
  created_at: string;
}

export interface Database {
  tenants: TenantTable;
  presence_profiles: PresenceProfileTable;
  reason_codes: ReasonCodeTable;
  users: UserTable;
  queues: QueueTable;
  queue_addresses: QueueAddressTable;
  webhook_receipts: WebhookReceiptTable;
  transcript_requests: TranscriptRequestTable;
  session_ends: SessionEndTable;
  api_keys: ApiKeyTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  client_logs: ClientLogTable;
  queue_members: QueueMemberTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  tenant_sequences: TenantSequenceTable;
  interactions: InteractionTable;
  interaction_events: InteractionEventTable;
  interaction_requests: InteractionRequestTable;
  conversations: ConversationTable;
  customers: CustomerTable;
  customer_identities: CustomerIdentityTable;
  interaction_notes: InteractionNoteTable;
  interaction_monitors: InteractionMonitorTable;
  canned_responses: CannedResponseTable;
  messages: MessageTable;
  attachments: AttachmentTable;
  recordings: RecordingTable;
  demo_handset_messages: DemoHandsetMessageTable;
  demo_handsets: DemoHandsetTable;
  demo_mailbox: DemoMailboxTable;
}

/** A database handle or an open transaction: every repository function takes either. */
export type Db = Kysely<Database> | Transaction<Database>;
