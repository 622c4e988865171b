/**
 * The wire User with what a client needs to tell the agent about their
 * state in words: the presence profiles, the not-ready reason's code and
 * label, and the name of whoever changed the state when it was not them.
 */
import type { User } from '@parley/protocol';
import { listPresenceProfiles } from '../presence/index.ts';
import type { Db } from '../store/index.ts';
import { toWireUser, type UserRecord } from './users.ts';

export async function wireUser(db: Db, user: UserRecord): Promise<User> {
  const base = toWireUser(user, await listPresenceProfiles(db, user.tenantId));
  const reason = base.not_ready_reason
    ? await db
        .selectFrom('reason_codes')
        .select(['code', 'label'])
        .where('tenant_id', '=', user.tenantId)
        .where('id', '=', base.not_ready_reason)
        .executeTakeFirst()
    : undefined;
  const changer = user.stateChangedBy
    ? await db
        .selectFrom('users')
        .select('display_name')
        .where('tenant_id', '=', user.tenantId)
        .where('id', '=', user.stateChangedBy)
        .executeTakeFirst()
    : undefined;
  return {
    ...base,
    not_ready_reason_code: reason?.code ?? null,
    not_ready_reason_label: reason?.label ?? null,
    state_changed_by_name: changer?.display_name ?? null,
  };
}
