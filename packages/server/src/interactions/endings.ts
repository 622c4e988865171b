/**
 * How conversations end: the agent's part becomes `ended`, then wrap-up
 * (the queue's wrap-up time) or handled; consultation legs close without
 * wrap-up; conference parties follow the customer.
 */
import { isTerminalState, type EndCause, type EventDetail } from '@parley/protocol';
import { nowIso } from '../store/index.ts';
import type { Tx } from './commit.ts';
import type { Ledger } from './ledger.ts';
import type { QueueBook } from './queue-book.ts';
import { findInteraction, toRecord, type InteractionRecord } from './records.ts';
import type { Router } from './router.ts';
import { isConsultLeg, TALKING } from './rules.ts';

export interface EndingsOptions {
  readonly tenantId: string;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly queues: QueueBook;
}

export class Endings {
  readonly #d: EndingsOptions;

  constructor(o: EndingsOptions) {
    this.#d = o;
  }

  /**
   * Ends a conversation: the agent's part becomes `ended`, then wrap-up (the
   * queue's wrap-up time) or handled. Conference parties follow the customer.
   */
  async end(
    tx: Tx,
    r: InteractionRecord,
    event: EndCause,
    opts: { detail?: EventDetail<'ended'>; customerLeft?: boolean } = {},
  ): Promise<InteractionRecord> {
    const ended = await this.#d.ledger.step(
      tx,
      r,
      'hangup',
      event,
      r.agentId,
      { held: false, endedAt: nowIso(new Date(tx.now)) },
      opts.detail,
    );
    if (r.conference) await this.leaveConference(tx, r, opts.customerLeft === true);
    // The consulted agent hung up: the consulting agent's leg ends too (the customer stays on hold).
    else if (r.peerId) await this.closeLeg(tx, await this.#d.ledger.reload(tx, r.peerId), 'consult_ended');
    return this.afterEnd(tx, ended);
  }

  /** After `ended`: wrap-up for the queue's time, or handled at once. Consultation legs need no wrap-up. */
  async afterEnd(tx: Tx, ended: InteractionRecord): Promise<InteractionRecord> {
    const seconds = isConsultLeg(ended)
      ? 0
      : ended.queueId
        ? (this.#d.queues.get(ended.queueId)?.wrapupSeconds ?? 0)
        : 0;
    if (seconds > 0) {
      const until = tx.now + seconds * 1000;
      const wrapping = await this.#d.ledger.step(tx, ended, 'wrapup', 'wrap_up', ended.agentId, {
        wrapupUntil: nowIso(new Date(until)),
      });
      this.#d.router.schedule('wrapup', ended.id, until);
      return wrapping;
    }
    const done = await this.#d.ledger.step(tx, ended, 'handle', 'handled', ended.agentId);
    await this.#d.router.released(tx, ended);
    return done;
  }

  /** Closes a consultation leg (no wrap-up). */
  async closeLeg(tx: Tx, leg: InteractionRecord, event: EndCause): Promise<void> {
    const current = await this.#d.ledger.reload(tx, leg.id);
    if (isTerminalState(current.state)) return;
    if (current.state === 'ended') {
      await this.afterEnd(tx, current);
      return;
    }
    const ended = await this.#d.ledger.step(tx, current, 'hangup', event, current.agentId, {
      endedAt: nowIso(new Date(tx.now)),
      peerId: leg.peerId,
    });
    await this.afterEnd(tx, ended);
  }

  /** Ends the consulted agent's leg, however far it got. */
  async dropPeer(tx: Tx, peerId: string, event: EndCause): Promise<void> {
    const peer = await this.#d.ledger.reload(tx, peerId);
    if (isTerminalState(peer.state)) return;
    if (peer.state === 'incoming' || peer.state === 'alerting') {
      const lostTo = peer.agentId;
      await this.#d.router.unroute(tx, peer);
      const current = await this.#d.ledger.reload(tx, peer.id);
      await this.#d.ledger.step(tx, current, 'abandon', event, lostTo ?? current.agentId);
      return;
    }
    if (TALKING.has(peer.state)) {
      const ended = await this.#d.ledger.step(tx, peer, 'hangup', event, peer.agentId, {
        held: false,
        endedAt: nowIso(new Date(tx.now)),
      });
      await this.afterEnd(tx, ended);
    }
  }

  /** A conference party left: when the customer leaves everyone goes; otherwise the others go on. */
  async leaveConference(tx: Tx, left: InteractionRecord, customerLeft: boolean): Promise<void> {
    const originalId = left.consultationOf ?? left.id;
    const parties = await tx.trx
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.#d.tenantId)
      .where((eb) => eb.or([eb('id', '=', originalId), eb('consultation_of', '=', originalId)]))
      .where('conference', '=', 1)
      .where('state', 'in', ['accepted', 'held'])
      .execute();
    const others = parties.map(toRecord).filter((p) => p.id !== left.id);
    const original = await findInteraction(tx.trx, this.#d.tenantId, originalId);
    for (const other of others) {
      if (customerLeft || (other.direction === 'outbound' && other.consultationOf)) {
        // The customer is gone, or the agent left an external party the customer no longer needs.
        const ended = await this.#d.ledger.step(tx, other, 'hangup', 'conference_ended', other.agentId, {
          held: false,
          endedAt: nowIso(new Date(tx.now)),
        });
        await this.afterEnd(tx, ended);
      } else if (others.length === 1) {
        // Two parties are left: no conference any more; the consulted agent now has the customer.
        await this.#d.ledger.write(
          tx,
          {
            ...other,
            conference: false,
            ...(left.id === originalId && original ? { remoteAddress: original.remoteAddress } : {}),
          },
          'conference_ended',
          other.agentId,
        );
      }
    }
  }
}
