export type { ReasonCode, ReasonKind } from './presence.ts';
export {
  REASON_KINDS,
  listPresenceProfiles,
  findPresenceProfile,
  ensurePresenceProfile,
  listReasonCodes,
  findReasonCode,
  ensureReasonCode,
  notReadyPresence,
} from './presence.ts';
export { OnlineUsers } from './online.ts';
