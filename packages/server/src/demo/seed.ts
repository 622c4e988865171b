/**
 * The demo tenant: presence profiles and the demo users (agent1…agent5,
 * supervisor, admin), all with the demo password. Idempotent: run at every
 * demo start; a changed PARLEY_DEMO_PASSWORD re-hashes the demo users.
 */
import type { Role } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import type { Database } from '../store/index.ts';
import { addAllowedOrigins, ensureTenant, type Tenant } from '../tenants/index.ts';
import { ensurePresenceProfile, findUserForLogin, upsertUser } from '../users/index.ts';

/** The demo users: username, display name, role. */
export const DEMO_USERS: ReadonlyArray<{
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
}> = [
  { username: 'agent1', displayName: 'Ada Agent', role: 'agent' },
  { username: 'agent2', displayName: 'Ben Agent', role: 'agent' },
  { username: 'agent3', displayName: 'Cleo Agent', role: 'agent' },
  { username: 'agent4', displayName: 'Dev Agent', role: 'agent' },
  { username: 'agent5', displayName: 'Eve Agent', role: 'agent' },
  { username: 'supervisor', displayName: 'Sam Supervisor', role: 'supervisor' },
  { username: 'admin', displayName: 'Alex Admin', role: 'admin' },
];

const PROFILES = [
  ['Available', true],
  ['Away', false],
  ['Lunch', false],
  ['Meeting', false],
  ['Training', false],
  ['Offline', false],
] as const;

/** Seeds (or refreshes) the demo tenant and returns it. */
export async function seedDemo(
  db: Kysely<Database>,
  input: { password: string; allowedOrigins: readonly string[] },
): Promise<Tenant> {
  // Hash outside the transaction: argon2 is slow on purpose.
  let sharedHash: string | null = null;
  const hashFor = async () => (sharedHash ??= await hashPassword(input.password));
  const tenant = await ensureTenant(db, { slug: 'default', name: 'Parley Demo', allowedOrigins: input.allowedOrigins });
  const withOrigins = await addAllowedOrigins(db, tenant, input.allowedOrigins);
  const profileIds: string[] = [];
  for (const [index, [name, ready]] of PROFILES.entries()) {
    profileIds.push(await ensurePresenceProfile(db, tenant.id, name, ready, index));
  }
  for (const demo of DEMO_USERS) {
    const existing = await findUserForLogin(db, tenant.id, demo.username);
    const keep = existing?.passwordHash && (await verifyPassword(existing.passwordHash, input.password));
    await upsertUser(db, {
      tenantId: tenant.id,
      username: demo.username,
      displayName: demo.displayName,
      email: `${demo.username}@demo.parley.local`,
      role: demo.role,
      passwordHash: keep ? existing.passwordHash : await hashFor(),
      presenceProfileId: profileIds[0] ?? null,
    });
  }
  return withOrigins;
}
