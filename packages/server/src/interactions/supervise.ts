/**
 * A supervisor on an agent's call: listening in (`monitor`), coaching the
 * agent (`whisper`), joining the conversation (`barge`), leaving, or taking
 * the call over (`intercept`). Who may is the caller's concern (the route
 * checks the supervisor's teams); here the call must be one a supervisor can
 * be on, and every change is stored with its event.
 */
import type { Interaction, MonitorMode } from '@parley/protocol';
import { CHANNEL_TRAITS, CodedError } from '@parley/protocol';
import { nowIso } from '../store/index.ts';
import type { GroupCommit } from './commit.ts';
import type { Endings } from './endings.ts';
import type { Actor } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import type { InteractionRecord } from './records.ts';
import type { Router } from './router.ts';
import { isConsultLeg, TALKING } from './rules.ts';
import type { Transfers } from './transfers.ts';

export interface SuperviseOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly endings: Endings;
  readonly transfers: Transfers;
}

/** What a supervisor does on a call. */
export type SuperviseOp =
  | { readonly kind: 'monitor'; readonly mode: MonitorMode | null; readonly notify: boolean }
  | { readonly kind: 'intercept' };

/** Who is acting, with the name the agent (and the event log) is told. */
export interface SupervisorActor extends Actor {
  readonly displayName: string;
}

export class Supervise {
  readonly #d: SuperviseOptions;

  constructor(o: SuperviseOptions) {
    this.#d = o;
  }

  /** Joins, changes or leaves (`mode` null) an agent's call; `notify`: the agent's panel hears of it. */
  async monitor(
    actor: SupervisorActor,
    r: InteractionRecord,
    mode: MonitorMode | null,
    notify: boolean,
  ): Promise<Interaction> {
    this.#check(actor, r, mode === null ? 'leave' : mode);
    const db = this.#d.gc.db();
    const on = await db
      .selectFrom('interaction_monitors')
      .select('mode')
      .where('interaction_id', '=', r.id)
      .where('supervisor_id', '=', actor.id)
      .executeTakeFirst();
    if (mode === null && !on) throw new CodedError('invalid_state', `You are not on call ${r.id}.`);
    if (mode !== null && on?.mode === mode) return this.#d.ledger.wire(r);
    return this.#d.gc.commit(actor.id, async (tx) => {
      if (mode === null)
        await tx.trx
          .deleteFrom('interaction_monitors')
          .where('interaction_id', '=', r.id)
          .where('supervisor_id', '=', actor.id)
          .execute();
      else
        await tx.trx
          .insertInto('interaction_monitors')
          .values({
            tenant_id: this.#d.tenantId,
            interaction_id: r.id,
            supervisor_id: actor.id,
            mode,
            started_at: nowIso(new Date(tx.now)),
          })
          .onConflict((oc) => oc.columns(['interaction_id', 'supervisor_id']).doUpdateSet({ mode }))
          .execute();
      const done = await this.#d.ledger.write(tx, r, 'monitor', notify ? r.agentId : null, {
        supervisor_id: actor.id,
        supervisor_name: actor.displayName,
        mode,
      });
      return this.#d.ledger.wire(done);
    });
  }

  /**
   * Takes the call over: a new row, the supervisor's and connected at once,
   * carries the customer on (off hold); the agent's row ends (`intercepted`) and
   * wraps up.
   * Returns the supervisor's row.
   */
  async intercept(actor: SupervisorActor, r: InteractionRecord): Promise<Interaction> {
    this.#check(actor, r, 'intercept');
    if (r.conference || r.consultationOf !== null)
      throw new CodedError(
        'invalid_state',
        `Call ${r.id} is a consultation or a conference; take over a two-party call, or wait until it is one.`,
      );
    return this.#d.gc.commit(actor.id, async (tx) => {
      const next = await this.#d.transfers.successor(
        tx,
        r,
        {
          state: 'accepted',
          agentId: actor.id,
          acceptedAt: nowIso(new Date(tx.now)),
          held: false,
          muted: false,
        },
        { intercepted_by: actor.id },
        actor.id,
      );
      this.#d.router.decide(tx, { type: 'interaction_assigned', agentId: actor.id, channel: r.channel });
      await tx.trx.deleteFrom('interaction_monitors').where('interaction_id', '=', r.id).execute();
      await this.#d.endings.end(tx, r, 'intercepted', {
        detail: { transferred_to: next.id, reason: `taken over by ${actor.displayName}` },
      });
      return this.#d.ledger.wire(await this.#d.ledger.reload(tx, next.id));
    });
  }

  #check(actor: Actor, r: InteractionRecord, what: string): void {
    if (!CHANNEL_TRAITS[r.channel].voice)
      throw CodedError.invalidArgument(`${what}: supervisors listen to calls; this is a ${r.channel}`);
    if (isConsultLeg(r) && r.direction === 'outbound')
      throw CodedError.invalidArgument(`${what}: listen to the customer's call, not the consultation's own leg`);
    if (!TALKING.has(r.state) || !r.agentId)
      throw new CodedError('invalid_state', `Call ${r.id} is ${r.state}; ${what} needs a call an agent is on.`);
    if (r.agentId === actor.id) throw new CodedError('invalid_state', `Call ${r.id} is your own.`);
  }
}
