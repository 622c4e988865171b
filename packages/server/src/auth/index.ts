/**
 * Who is calling: passwords (argon2id), sessions and their cookie, HTTP Basic
 * and OAuth bearer tokens, login rate limits. The login routes are in routes/.
 */
export { encodeBasicAuthorization } from './basic.ts';
export { changePassword } from './password-change.ts';
export { hashPassword, verifyPassword } from './password.ts';
export { AuthService } from './service.ts';
export {
  createSession,
  deleteSession,
  findSession,
  hasSession,
  hashToken,
  pruneSessionEnds,
  sessionsEndedSince,
  sweepSessions,
} from './sessions.ts';
export type { SessionLifetimes } from './sessions.ts';
export { SESSION_COOKIE } from './sessions.ts';
export type { Session } from './sessions.ts';
export { parseBasicAuthorization } from './basic.ts';
export { API_KEY_PREFIX, createApiKey, findApiKey, listApiKeys, revokeApiKey, type ApiKey } from './api-keys.ts';
