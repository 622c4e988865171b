/**
 * @parley/server — build the server in-process (tests, tools) or run main.ts.
 */
export type { AppOptions, ParleyApp } from './app.ts';
export { buildApp, playgroundOrigin } from './app.ts';
export type { Config } from './config/index.ts';
export { loadConfig, ConfigError, DEFAULT_DEMO_PASSWORD } from './config/index.ts';
export { DEMO_USERS } from './demo/index.ts';
export { encodeBasicAuthorization } from './auth/index.ts';
// Building blocks for benchmarks and tools that set up a tenant in-process.
export { createSession } from './auth/index.ts';
export { hashPassword } from './auth/index.ts';
export { createUser } from './users/index.ts';
export { createQueue, setMembership } from './queues/index.ts';
export { openStore } from './store/index.ts';
export { ensureTenant, findTenantBySlug } from './tenants/index.ts';
export {
  Supervision,
  supervisionScope,
  wallboardTiles,
  agentRows,
  milestonesOf,
  DayBoard,
  StaffBook,
} from './supervision/index.ts';
