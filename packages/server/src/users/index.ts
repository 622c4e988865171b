export type { UserRecord, UserInput, UserPatch, Capacity } from './users.ts';
export {
  DEFAULT_CAPACITY,
  DEFAULT_THEME,
  findUserForLogin,
  findUser,
  passwordHashOf,
  findUsersByOAuth,
  listUsers,
  rightsOf,
  toWireUser,
  createUser,
  updateUser,
  setAgentState,
  UsernameTakenError,
} from './users.ts';
export { wireUser } from './wire.ts';
