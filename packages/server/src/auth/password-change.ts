/**
 * One rule for every password change (own, admin reset, CLI): hash, store,
 * end the sessions opened with the old password, audit. Changing one's own
 * password keeps the session that made the change.
 */
import type { Kysely } from 'kysely';
import type { Bus } from '../bus/index.ts';
import type { Database } from '../store/index.ts';
import { audit } from '../store/index.ts';
import { updateUser } from '../users/index.ts';
import { hashPassword } from './password.ts';

export async function changePassword(
  db: Kysely<Database>,
  input: {
    tenantId: string;
    userId: string;
    password: string;
    actorId: string | null;
    /** The session that made the change, kept alive (own change). */
    keepSessionHash?: string;
    via?: 'rest' | 'cli';
    /** When given, the ended sessions' sockets are closed at once. */
    bus?: Bus;
  },
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const ended = await db.transaction().execute(async (trx) => {
    await updateUser(trx, input.tenantId, input.userId, { passwordHash });
    let query = trx
      .selectFrom('sessions')
      .select('token_hash')
      .where('tenant_id', '=', input.tenantId)
      .where('user_id', '=', input.userId);
    if (input.keepSessionHash) query = query.where('token_hash', '!=', input.keepSessionHash);
    const sessions = (await query.execute()).map((r) => r.token_hash);
    if (sessions.length) await trx.deleteFrom('sessions').where('token_hash', 'in', sessions).execute();
    await audit(trx, {
      tenantId: input.tenantId,
      actorId: input.actorId,
      action: 'password_changed',
      detail: { target: input.userId, sessions_ended: sessions.length, ...(input.via ? { via: input.via } : {}) },
    });
    return sessions;
  });
  for (const tokenHash of ended)
    input.bus?.publish('session.ended', { tenantId: input.tenantId, tokenHash, reason: 'password changed' });
}
