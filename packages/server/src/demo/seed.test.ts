import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/index.ts';
import { openStore } from '../store/index.ts';
import { findUserForLogin } from '../users/index.ts';
import { DEMO_QUEUES, DEMO_USERS, seedDemo } from './seed.ts';

describe('seedDemo', () => {
  it('is idempotent, and a changed demo password re-hashes every demo user', async () => {
    const db = await openStore({ sqliteFile: ':memory:' });
    const tenant = await seedDemo(db, { password: 'first-password', allowedOrigins: ['http://127.0.0.1:3000'] });
    const again = await seedDemo(db, { password: 'first-password', allowedOrigins: ['http://127.0.0.1:3000'] });
    expect(again.id).toBe(tenant.id);
    expect(again.allowedOrigins).toEqual(['http://127.0.0.1:3000']);
    expect((await db.selectFrom('users').select('id').execute()).length).toBe(DEMO_USERS.length);
    expect((await db.selectFrom('queues').select('id').execute()).length).toBe(DEMO_QUEUES.length);
    const before = (await findUserForLogin(db, tenant.id, 'agent1'))!.passwordHash!;

    await seedDemo(db, { password: 'second-password', allowedOrigins: [] });
    for (const { username } of DEMO_USERS) {
      const hash = (await findUserForLogin(db, tenant.id, username))!.passwordHash!;
      expect(hash).not.toBe(before);
      expect(await verifyPassword(hash, 'second-password')).toBe(true);
      expect(await verifyPassword(hash, 'first-password')).toBe(false);
    }
    await db.destroy();
  }, 30_000); // argon2id for every demo user, twice: about 4 s alone, more on a loaded machine
});
