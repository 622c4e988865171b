/**
 * An agent's actions on one of their interactions (accept, reject, hang up,
 * hold, mute, record, tones, wrap-up), the far party's (answer, hang up,
 * decline, no answer, failure), and taking a contact from the picklist.
 */
import type { Interaction } from '@parley/protocol';
import { CHANNEL_TRAITS, CodedError } from '@parley/protocol';
import { findReasonCode } from '../presence/index.ts';
import { nowIso } from '../store/index.ts';
import type { Audience } from './audience.ts';
import type { GroupCommit } from './commit.ts';
import type { Endings } from './endings.ts';
import type { Actor, RemoteEvent } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import { findInteraction, type InteractionRecord } from './records.ts';
import type { Router } from './router.ts';
import { invalid, MAX_WRAPUP_SECONDS, TALKING } from './rules.ts';
import { transition } from './state-machine.ts';

export interface CallsOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly audience: Audience;
  readonly endings: Endings;
}

export class Calls {
  readonly #d: CallsOptions;

  constructor(o: CallsOptions) {
    this.#d = o;
  }

  async accept(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    if (r.direction !== 'inbound' || r.state !== 'alerting') throw invalid(r, 'accept');
    return this.#d.gc.commit(actor.id, async (tx) => {
      if (this.#d.router.isDirect(r.id)) this.#d.router.forgetDirect(r.id);
      else {
        await this.#d.router.route(tx, { type: 'offer_accepted', contactId: r.id, agentId: actor.id });
        if (r.queueId) this.#d.audience.answered(r.queueId, tx.now);
      }
      const done = await this.#d.ledger.step(tx, r, 'accept', 'accepted', actor.id, {
        acceptedAt: nowIso(new Date(tx.now)),
        offerExpiresAt: null,
      });
      const peer = r.peerId ? await this.#d.ledger.reload(tx, r.peerId) : null;
      if (peer && peer.state === 'alerting')
        await this.#d.ledger.step(tx, peer, 'accept', 'consult_accepted', peer.agentId, {
          acceptedAt: nowIso(new Date(tx.now)),
        });
      return this.#d.ledger.wire(done);
    });
  }

  async reject(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    if (r.direction !== 'inbound' || r.state !== 'alerting') throw invalid(r, 'reject');
    return this.#d.gc.commit(actor.id, async (tx) => {
      if (this.#d.router.isDirect(r.id))
        return this.#d.ledger.wire(await this.#d.router.directEnded(tx, r, 'rejected'));
      const decisions = this.#d.router.decide(tx, { type: 'offer_rejected', contactId: r.id, agentId: actor.id });
      const back = await this.#d.ledger.step(tx, r, 'reject', 'rejected', actor.id, {
        agentId: null,
        offerExpiresAt: null,
        excluded: [...new Set([...r.excluded, actor.id])],
      });
      await this.#d.router.apply(tx, decisions);
      return this.#d.ledger.wire(back);
    });
  }

  async hangup(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    const ringingOut = r.direction === 'outbound' && (r.state === 'outgoing' || r.state === 'alerting');
    if (!ringingOut && !TALKING.has(r.state)) throw invalid(r, 'hangup');
    return this.#d.gc.commit(actor.id, async (tx) => this.#d.ledger.wire(await this.#d.endings.end(tx, r, 'hangup')));
  }

  async hold(actor: Actor, r: InteractionRecord, action: 'hold' | 'unhold'): Promise<Interaction> {
    if (!CHANNEL_TRAITS[r.channel].voice)
      throw CodedError.invalidArgument(`${action}: only calls can be held; this is a ${r.channel}`);
    return this.#d.gc.commit(actor.id, async (tx) =>
      this.#d.ledger.wire(
        await this.#d.ledger.step(tx, r, action, action === 'hold' ? 'held' : 'unheld', actor.id, {
          held: action === 'hold',
        }),
      ),
    );
  }

  async flag(
    actor: Actor,
    r: InteractionRecord,
    action: 'mute' | 'unmute' | 'start_recording' | 'stop_recording',
  ): Promise<Interaction> {
    if (!CHANNEL_TRAITS[r.channel].voice)
      throw CodedError.invalidArgument(`${action}: only calls can be muted or recorded; this is a ${r.channel}`);
    if (!TALKING.has(r.state)) {
      throw new CodedError('invalid_state', `Interaction ${r.id} is ${r.state}; ${action} needs a call in progress.`);
    }
    const patch =
      action === 'mute' || action === 'unmute'
        ? { muted: action === 'mute' }
        : { recording: action === 'start_recording' };
    return this.#d.gc.commit(actor.id, async (tx) =>
      this.#d.ledger.wire(await this.#d.ledger.write(tx, { ...r, ...patch }, action, actor.id)),
    );
  }

  /** Tones into a call (an IVR's menu, say). Recorded as an event; the audio arrives with the media plane. */
  async dtmf(actor: Actor, r: InteractionRecord, digits: string): Promise<Interaction> {
    if (!CHANNEL_TRAITS[r.channel].voice)
      throw CodedError.invalidArgument(`dtmf: tones go into calls; this is a ${r.channel}`);
    if (r.state !== 'accepted')
      throw new CodedError('invalid_state', `Interaction ${r.id} is ${r.state}; tones need a call in progress.`);
    return this.#d.gc.commit(actor.id, async (tx) =>
      this.#d.ledger.wire(await this.#d.ledger.write(tx, r, 'dtmf', actor.id, { digits })),
    );
  }

  async handle(actor: Actor, r: InteractionRecord, input: { code?: string; notes?: string }): Promise<Interaction> {
    if (r.state !== 'ended' && r.state !== 'wrap_up') throw invalid(r, 'handle');
    const wrapup = await this.#disposition(r, input);
    return this.#d.gc.commit(actor.id, async (tx) => {
      const done = await this.#d.ledger.step(tx, r, 'handle', 'handled', actor.id, { wrapup });
      this.#d.router.forgetWrapup(r.id);
      await this.#d.router.released(tx, r);
      return this.#d.ledger.wire(done);
    });
  }

  async wrapup(
    actor: Actor,
    r: InteractionRecord,
    input: { code?: string; notes?: string; extendSeconds?: number },
  ): Promise<Interaction> {
    if (!['accepted', 'held', 'ended', 'wrap_up'].includes(r.state)) {
      throw new CodedError(
        'invalid_state',
        `Interaction ${r.id} is ${r.state}; a disposition can be set until it is handled.`,
      );
    }
    const wrapup = await this.#disposition(r, input);
    let wrapupUntil = r.wrapupUntil;
    if (input.extendSeconds !== undefined) {
      if (r.state !== 'wrap_up' || !r.wrapupUntil || !r.endedAt)
        throw new CodedError(
          'invalid_state',
          `Interaction ${r.id} is ${r.state}; only a running wrap-up can be extended.`,
        );
      const until = Date.parse(r.wrapupUntil) + input.extendSeconds * 1000;
      const total = Math.round((until - Date.parse(r.endedAt)) / 1000);
      if (total > MAX_WRAPUP_SECONDS)
        throw CodedError.invalidArgument(
          `extend_seconds: wrap-up may last at most ${MAX_WRAPUP_SECONDS} s in all; ${Math.max(0, MAX_WRAPUP_SECONDS - Math.round((Date.parse(r.wrapupUntil) - Date.parse(r.endedAt)) / 1000))} s are left`,
        );
      wrapupUntil = nowIso(new Date(until));
    }
    return this.#d.gc.commit(actor.id, async (tx) => {
      const done = await this.#d.ledger.write(tx, { ...r, wrapup, wrapupUntil }, 'disposition', actor.id, {
        ...(input.extendSeconds === undefined ? {} : { extended_by: input.extendSeconds }),
      });
      if (wrapupUntil && wrapupUntil !== r.wrapupUntil)
        this.#d.router.schedule('wrapup', r.id, Date.parse(wrapupUntil));
      return this.#d.ledger.wire(done);
    });
  }

  /** An agent takes a waiting contact from the picklist. */
  async pick(
    actor: Actor,
    contactId: string,
    servedQueueIds: readonly string[],
    requestId?: string,
  ): Promise<Interaction> {
    return this.#d.gc.idempotent(actor, requestId, 'pick', contactId, async () => {
      const waiting = this.#d.router.engine.contact(contactId);
      if (!waiting) {
        const r = await findInteraction(this.#d.gc.db(), this.#d.tenantId, contactId);
        if (!r) throw new CodedError('not_found', `No contact ${contactId}.`);
        throw new CodedError(
          'invalid_state',
          `Contact ${contactId} is ${r.state}; only waiting contacts can be picked.`,
        );
      }
      if (!servedQueueIds.includes(waiting.queueId))
        throw CodedError.forbidden('You may pick contacts only from queues you serve.');
      if (waiting.offeredTo === actor.id) {
        const r = await this.#d.ledger.own(actor, contactId);
        return this.accept(actor, r);
      }
      return this.#d.gc.commit(actor.id, async (tx) => {
        await this.#d.router.route(tx, { type: 'contact_picked', contactId, agentId: actor.id });
        let r = await this.#d.ledger.reload(tx, contactId);
        r = await this.#d.ledger.write(
          tx,
          {
            ...r,
            state: transition({ ...r, state: transition(r, 'alert') }, 'accept'),
            agentId: actor.id,
            acceptedAt: nowIso(new Date(tx.now)),
            offerExpiresAt: null,
          },
          'picked',
          actor.id,
        );
        return this.#d.ledger.wire(r);
      });
    });
  }

  /** The far party answers, hangs up, declines, does not answer, or cannot be reached. */
  async remote(id: string, event: RemoteEvent): Promise<Interaction> {
    const r = await findInteraction(this.#d.gc.db(), this.#d.tenantId, id);
    if (!r) throw new CodedError('not_found', `No interaction ${id}.`);
    return this.#d.gc.commit(null, async (tx) => {
      switch (event) {
        case 'answer': {
          if (r.direction !== 'outbound') throw invalid(r, 'accept');
          const ringing = r.state === 'outgoing' ? await this.#d.ledger.step(tx, r, 'alert', 'alerting', r.agentId) : r;
          return this.#d.ledger.wire(
            await this.#d.ledger.step(tx, ringing, 'accept', 'answered', r.agentId, {
              acceptedAt: nowIso(new Date(tx.now)),
            }),
          );
        }
        case 'reject':
        case 'no_answer': {
          if (r.direction !== 'outbound') throw invalid(r, event === 'reject' ? 'reject' : 'timeout');
          const ringing = r.state === 'outgoing' ? await this.#d.ledger.step(tx, r, 'alert', 'alerting', r.agentId) : r;
          const done = await this.#d.ledger.step(
            tx,
            ringing,
            event === 'reject' ? 'reject' : 'timeout',
            event === 'reject' ? 'declined' : 'no_answer',
            r.agentId,
          );
          await this.#d.router.released(tx, r);
          return this.#d.ledger.wire(done);
        }
        case 'fail': {
          if (r.direction === 'inbound' && (r.state === 'incoming' || r.state === 'alerting'))
            await this.#d.router.unroute(tx, r);
          const current = await this.#d.ledger.reload(tx, r.id);
          const done = await this.#d.ledger.step(tx, current, 'fail', 'failed', current.agentId);
          await this.#d.router.released(tx, current);
          return this.#d.ledger.wire(done);
        }
        case 'hangup': {
          if (r.direction === 'inbound' && (r.state === 'incoming' || r.state === 'alerting')) {
            // The customer gave up while waiting.
            const lostTo = r.state === 'alerting' ? r.agentId : null;
            await this.#d.router.unroute(tx, r);
            const current = await this.#d.ledger.reload(tx, r.id);
            return this.#d.ledger.wire(
              await this.#d.ledger.step(tx, current, 'abandon', 'abandoned', lostTo ?? current.agentId),
            );
          }
          if (r.direction === 'outbound' && (r.state === 'outgoing' || r.state === 'alerting')) {
            return this.#d.ledger.wire(await this.#d.endings.end(tx, r, 'remote_hangup'));
          }
          if (!TALKING.has(r.state)) throw invalid(r, 'hangup');
          return this.#d.ledger.wire(await this.#d.endings.end(tx, r, 'remote_hangup', { customerLeft: true }));
        }
      }
    });
  }

  /** The far party pressed keys during a call (RFC 4733 events): recorded in the interaction's event log. */
  async remoteTones(id: string, digits: string): Promise<Interaction> {
    const r = await findInteraction(this.#d.gc.db(), this.#d.tenantId, id);
    if (!r) throw new CodedError('not_found', `No interaction ${id}.`);
    if (!CHANNEL_TRAITS[r.channel].voice)
      throw CodedError.invalidArgument(`dtmf: tones come with calls; this is a ${r.channel}`);
    return this.#d.gc.commit(null, async (tx) =>
      this.#d.ledger.wire(await this.#d.ledger.write(tx, r, 'dtmf_received', r.agentId, { digits })),
    );
  }

  async #disposition(
    r: InteractionRecord,
    input: { code?: string; notes?: string },
  ): Promise<InteractionRecord['wrapup']> {
    if (input.code !== undefined) {
      const code = await findReasonCode(this.#d.gc.db(), this.#d.tenantId, 'wrap_up', input.code);
      if (!code) throw CodedError.invalidArgument(`code: no wrap-up code ${JSON.stringify(input.code)}`);
    }
    if (input.code === undefined && input.notes === undefined) return r.wrapup;
    return {
      ...(r.wrapup ?? {}),
      ...(input.code === undefined ? {} : { code: input.code }),
      ...(input.notes === undefined ? {} : { notes: input.notes }),
    };
  }
}
