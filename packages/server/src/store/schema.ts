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
  created_at: string;
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
  work_status: string;
  created_at: string;
}

export interface PresenceProfileTable {
  id: string;
  tenant_id: string;
  name: string;
  ready: number;
  sort: number;
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

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  actor_id: string | null;
  action: string;
  /** JSON object with what the action concerned; never secrets. */
  detail: string;
  created_at: string;
}

export interface Database {
  tenants: TenantTable;
  users: UserTable;
  presence_profiles: PresenceProfileTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
}

/** A database handle or an open transaction: every repository function takes either. */
export type Db = Kysely<Database> | Transaction<Database>;
