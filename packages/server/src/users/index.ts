export type { UserRecord, UserInput } from './users.ts';
export {
  findUserForLogin,
  findUser,
  listPresenceProfiles,
  toWireUser,
  upsertUser,
  ensurePresenceProfile,
  getPasswordHash,
  setWorkStatus,
} from './users.ts';
