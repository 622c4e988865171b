/** A second tenant with an admin, for tests of what tenants may not share. */
import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/index.ts';
import type { Database } from '../store/index.ts';
import { ensureTenant, type Tenant } from '../tenants/index.ts';
import { createUser } from '../users/index.ts';

export const OTHER_TENANT_PASSWORD = 'acme-password';

/** Tenant `slug` (acme by default) with the admin `alice`, whose password is {@link OTHER_TENANT_PASSWORD}. */
export async function otherTenant(db: Kysely<Database>, slug = 'acme'): Promise<Tenant> {
  const tenant = await ensureTenant(db, { slug, name: 'Acme Inc' });
  await createUser(db, tenant.id, {
    username: 'alice',
    displayName: 'Alice',
    email: `alice@${slug}.example`,
    role: 'admin',
    passwordHash: await hashPassword(OTHER_TENANT_PASSWORD),
  });
  return tenant;
}
