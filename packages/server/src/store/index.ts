export type * from './schema.ts';
export type { StoreOptions, StoreKind } from './db.ts';
export { openStore, StoreError } from './db.ts';
export { isUniqueViolation, newId, nowIso, pingStore } from './util.ts';
export { audit, listAudit } from './audit.ts';
