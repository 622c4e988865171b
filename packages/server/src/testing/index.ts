/**
 * Test helpers: a whole app on an ephemeral port (the harness), scripted
 * agents on the socket, test stores (SQLite and PostgreSQL) and a second tenant.
 */
export { TestAgent } from './agents.ts';
export type { Frame } from './agents.ts';
export { DEMO_PASSWORD, HOST_ORIGIN, basicForm, sessionCookie, startHarness } from './harness.ts';
export type { Harness } from './harness.ts';
export { STORE_KINDS, createPostgresDatabase, emptyTestDatabase, openTestStore } from './stores.ts';
export type { TestStore } from './stores.ts';
export { OTHER_TENANT_PASSWORD, otherTenant } from './tenants.ts';
export { OIDC_ACCOUNTS, listen, startOidcProvider } from './oidc.ts';
export type { Idp } from './oidc.ts';
