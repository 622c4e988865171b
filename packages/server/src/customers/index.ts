export type { Identity, IdentityKind, Seen } from './identity.ts';
export { normalEmail, normalPhone, seenIn } from './identity.ts';
export type { Customer, HistoryEntry, Note } from './customers.ts';
export {
  resolveCustomer,
  findCustomer,
  searchCustomers,
  customerHistory,
  updateCustomer,
  mergeCustomers,
  addNote,
  listNotes,
} from './customers.ts';
export type { CannedResponse } from './canned.ts';
export { listCanned, findCanned, shortcutTaken, createCanned, deleteCanned } from './canned.ts';
