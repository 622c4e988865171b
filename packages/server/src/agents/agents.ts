/**
 * Agent state: ready / not ready (with a reason), presence profile, work
 * status. One place for every change, whether it comes from the panel, REST,
 * the CPC RI or a supervisor: it checks rights, writes, audits and publishes
 * `user.changed` so every panel of the agent updates at once.
 */
import { forcedLogoutReason, idFrom, parseUserId } from '@parley/protocol';
import type { AgentState, User, WorkStatus } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Bus } from '../bus/index.ts';
import { CodedError } from '@parley/protocol';
import { hasRole, mayManageAgent } from '../access/index.ts';
import { findPresenceProfile, findReasonCode, listPresenceProfiles, notReadyPresence } from '../presence/index.ts';
import type { Database } from '../store/index.ts';
import { audit, nowIso } from '../store/index.ts';
import { supervisedAgentIds } from '../teams/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { findUser, setAgentState, wireUser, type UserRecord } from '../users/index.ts';

/** The agents `actor` supervises (empty for agents; admins manage everyone without a list). */
export async function supervisedBy(db: Kysely<Database>, tenantId: string, actor: UserRecord): Promise<Set<string>> {
  return actor.role === 'supervisor' ? supervisedAgentIds(db, tenantId, actor.id) : new Set();
}

/** Throws 403 unless the actor holds at least `role`. */
export function requireRole(actor: UserRecord, role: 'supervisor' | 'admin'): void {
  if (!hasRole(actor, role)) throw CodedError.forbidden(`This needs the ${role} role.`);
}

export class AgentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: Bus,
  ) {}

  /** The wire User of a user, or null. */
  async snapshot(tenantId: string, userId: string): Promise<User | null> {
    const user = await findUser(this.db, tenantId, userId);
    return user ? wireUser(this.db, user) : null;
  }

  /** What supervisors see of an agent, or null. */
  async agentState(tenantId: string, userId: string, connected: boolean): Promise<AgentState | null> {
    const user = await findUser(this.db, tenantId, userId);
    if (!user) return null;
    return {
      id: idFrom(parseUserId, user.id, 'id'),
      username: user.username,
      display_name: user.displayName,
      work_status: user.workStatus,
      presence: user.presenceProfileId,
      not_ready_reason: user.notReadyReasonId,
      connected,
    };
  }

  /** Loads the target of an action, checking the actor may manage it (404 across tenants, 403 for others). */
  async target(tenant: Tenant, actor: UserRecord, targetId: string): Promise<UserRecord> {
    const target = await findUser(this.db, tenant.id, targetId);
    if (!target) throw new CodedError('not_found', `No user ${targetId}.`);
    if (!mayManageAgent(actor, targetId, await supervisedBy(this.db, tenant.id, actor)))
      throw CodedError.forbidden(
        actor.role === 'agent'
          ? 'Agents may change only their own state.'
          : `${target.displayName} is in no team you supervise; ask an admin to add them to one.`,
      );
    return target;
  }

  /**
   * Ready or not ready. Ready switches a presence profile that does not count
   * as ready to the first one that does; not ready may carry a reason code.
   */
  async setReady(
    tenant: Tenant,
    actor: UserRecord,
    targetId: string,
    ready: boolean,
    reason?: string,
  ): Promise<UserRecord> {
    const target = await this.target(tenant, actor, targetId);
    this.#assertOnline(target);
    if (ready) {
      const profiles = await listPresenceProfiles(this.db, tenant.id);
      const current = profiles.find((p) => p.id === target.presenceProfileId);
      const presence = current?.ready ? current.id : (profiles.find((p) => p.ready)?.id ?? target.presenceProfileId);
      return this.#apply(
        tenant,
        actor,
        target,
        {
          workStatus: this.#keepBusy(target, 'ready'),
          ready: true,
          presenceProfileId: presence,
          notReadyReasonId: null,
        },
        'agent_ready',
        {},
      );
    }
    let reasonId: string | null = null;
    let label: string | null = null;
    if (reason !== undefined) {
      const code = await findReasonCode(this.db, tenant.id, 'not_ready', reason);
      if (!code) throw CodedError.invalidArgument(`reason: no not-ready reason code ${JSON.stringify(reason)}`);
      reasonId = code.id;
      label = code.label;
    }
    const presence = notReadyPresence(await listPresenceProfiles(this.db, tenant.id), target.presenceProfileId, label);
    return this.#apply(
      tenant,
      actor,
      target,
      {
        workStatus: this.#keepBusy(target, 'not_ready'),
        ready: false,
        notReadyReasonId: reasonId,
        presenceProfileId: presence,
      },
      'agent_not_ready',
      {
        reason: reason ?? null,
      },
    );
  }

  /** Switches the presence profile (by id or exact name); work status follows whether the profile counts as ready. */
  async setPresence(tenant: Tenant, actor: UserRecord, targetId: string, profile: string): Promise<UserRecord> {
    const target = await this.target(tenant, actor, targetId);
    this.#assertOnline(target);
    const found = await findPresenceProfile(this.db, tenant.id, profile);
    if (!found) throw new CodedError('not_found', `No presence profile ${JSON.stringify(profile)}.`);
    const workStatus = this.#keepBusy(target, found.ready ? 'ready' : 'not_ready');
    return this.#apply(
      tenant,
      actor,
      target,
      {
        workStatus,
        ready: found.ready,
        presenceProfileId: found.id,
        ...(found.ready ? { notReadyReasonId: null } : {}),
      },
      'agent_presence',
      { profile: found.name },
    );
  }

  /** A login made the agent present: offline becomes not ready. */
  async loggedIn(tenant: Tenant, user: UserRecord): Promise<UserRecord> {
    if (user.workStatus !== 'offline') return user;
    return this.#apply(tenant, user, user, { workStatus: 'not_ready', ready: false }, null, {});
  }

  /** The agent's last session ended: offline. */
  async loggedOut(tenant: Tenant, userId: string): Promise<void> {
    const user = await findUser(this.db, tenant.id, userId);
    if (user && user.workStatus !== 'offline')
      await this.#apply(tenant, user, user, { workStatus: 'offline', ready: false }, null, {});
  }

  /** A supervisor ends every session of an agent. */
  async forceLogout(tenant: Tenant, actor: UserRecord, targetId: string): Promise<void> {
    requireRole(actor, 'supervisor');
    const target = await this.target(tenant, actor, targetId);
    await this.db.deleteFrom('sessions').where('tenant_id', '=', tenant.id).where('user_id', '=', target.id).execute();
    await audit(this.db, {
      tenantId: tenant.id,
      actorId: actor.id,
      action: 'agent_logged_out',
      detail: { target: target.id },
    });
    // The agent's panel and client are told who signed them out.
    this.bus.publish('user.loggedOut', {
      tenantId: tenant.id,
      userId: target.id,
      reason: forcedLogoutReason(actor.displayName),
    });
    await this.loggedOut(tenant, target.id);
  }

  #assertOnline(target: UserRecord): void {
    if (target.workStatus === 'offline') {
      throw new CodedError(
        'invalid_state',
        `${target.username} is offline; an agent must be logged in to change state.`,
      );
    }
  }

  /** Busy and wrap-up come from interactions; an explicit choice takes effect when they end. */
  #keepBusy(target: UserRecord, wanted: WorkStatus): WorkStatus {
    return target.workStatus === 'busy' || target.workStatus === 'wrap_up' ? target.workStatus : wanted;
  }

  async #apply(
    tenant: Tenant,
    actor: UserRecord,
    target: UserRecord,
    state: Parameters<typeof setAgentState>[3],
    action: string | null,
    detail: Record<string, unknown>,
  ): Promise<UserRecord> {
    // The answer is read in the same transaction: after the commit, the change's listeners queue for the store.
    const updated = await this.db.transaction().execute(async (trx) => {
      await setAgentState(trx, tenant.id, target.id, {
        ...state,
        changedAt: nowIso(),
        changedBy: actor.id === target.id ? null : actor.id,
      });
      if (action)
        await audit(trx, { tenantId: tenant.id, actorId: actor.id, action, detail: { target: target.id, ...detail } });
      return findUser(trx, tenant.id, target.id);
    });
    this.bus.publish('user.changed', { tenantId: tenant.id, userId: target.id });
    return updated ?? target;
  }
}
