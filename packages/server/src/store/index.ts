export type {
  Database,
  Db,
  TenantTable,
  UserTable,
  PresenceProfileTable,
  SessionTable,
  AuditLogTable,
} from './schema.ts';
export type { StoreOptions } from './db.ts';
export { openStore, StoreError } from './db.ts';
export { newId, nowIso } from './util.ts';
export { audit } from './audit.ts';
