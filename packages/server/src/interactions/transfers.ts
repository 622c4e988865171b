/**
 * Moving a contact between people: blind transfer (to a queue, an agent or
 * a number), consultation (the customer waits while the agent talks to
 * someone), cancelling it, joining the customer to the consulted party,
 * making it a conference, and requeueing a call whose agent went away.
 */
import { isTerminalState } from '@parley/protocol';
import type { ChannelType, Interaction } from '@parley/protocol';
import type { Kysely, Transaction } from 'kysely';
import { CHANNEL_TRAITS, CodedError } from '@parley/protocol';
import { PHONE_NUMBER } from '../channels/index.ts';
import { findQueueByAddress } from '../queues/index.ts';
import type { Database } from '../store/index.ts';
import { nowIso } from '../store/index.ts';
import type { Audience } from './audience.ts';
import type { GroupCommit, Tx } from './commit.ts';
import type { Endings } from './endings.ts';
import type { Actor, TargetInput } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import type { QueueBook } from './queue-book.ts';
import { findInteraction, toRecord, type InteractionRecord, type Target } from './records.ts';
import type { Router } from './router.ts';
import { blank, checkReachable, isConsultLeg, needsConversation, TALKING } from './rules.ts';

export interface TransfersOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly queues: QueueBook;
  readonly audience: Audience;
  readonly endings: Endings;
  /** Whether the phone trunk can ring a number now. */
  readonly reachable?: ((number: string) => boolean) | undefined;
}

export class Transfers {
  readonly #d: TransfersOptions;

  constructor(o: TransfersOptions) {
    this.#d = o;
  }

  async transfer(actor: Actor, r: InteractionRecord, to: TargetInput): Promise<Interaction> {
    if (!TALKING.has(r.state)) throw needsConversation(r, 'transfer');
    if (isConsultLeg(r))
      throw CodedError.invalidArgument('transfer: use join to hand the customer to the consulted party');
    const target = await this.target(actor, to, r.channel);
    return this.#d.gc.commit(actor.id, async (tx) => {
      const next =
        target.kind === 'number'
          ? null
          : await this.successor(
              tx,
              r,
              {
                queueId: target.kind === 'queue' ? target.id : r.queueId,
                target: target.kind === 'agent' ? target : null,
              },
              { transferred_by: actor.id },
            );
      const ended = await this.#d.endings.end(tx, r, 'transferred', {
        detail: { target, ...(next ? { transferred_to: next.id } : {}) },
      });
      if (next && target.kind === 'queue') {
        await this.#queueAgain(tx, next, target.id);
      } else if (next && target.kind === 'agent') {
        await this.#d.router.offerDirect(tx, next, target.id);
      }
      return this.#d.ledger.wire(ended);
    });
  }

  async consult(actor: Actor, r: InteractionRecord, to: TargetInput): Promise<Interaction> {
    if (r.channel === 'email')
      throw CodedError.invalidArgument('consult: an email is not consulted on; transfer it instead');
    if (isConsultLeg(r)) throw CodedError.invalidArgument('consult: this is already a consultation');
    if (!TALKING.has(r.state)) throw needsConversation(r, 'consult');
    if (await this.#openConsultation(this.#d.gc.db(), r, actor.id))
      throw new CodedError('invalid_state', `Interaction ${r.id} has a consultation already; cancel or join it first.`);
    const target = await this.target(actor, to, r.channel);
    return this.#d.gc.commit(actor.id, async (tx) => {
      // A call goes on hold; a chat or message conversation simply waits.
      if (r.state === 'accepted' && CHANNEL_TRAITS[r.channel].voice)
        await this.#d.ledger.step(tx, r, 'hold', 'held', actor.id, { held: true });
      let leg = await this.#d.ledger.write(
        tx,
        {
          ...blank(this.#d.tenantId, tx.now),
          channel: r.channel,
          direction: 'outbound',
          state: 'outgoing',
          queueId: r.queueId,
          agentId: actor.id,
          remoteAddress: target.address,
          localAddress: r.localAddress,
          consultationOf: r.id,
          // A conversation's consultation reads its transcript, and carries the agents' own thread.
          conversationId: r.conversationId,
          customerId: r.customerId,
          attributes: r.attributes,
          target,
        },
        'consult_started',
        actor.id,
        undefined,
        true,
      );
      if (target.kind === 'number')
        return this.#d.ledger.wire(await this.#d.ledger.step(tx, leg, 'alert', 'alerting', actor.id));
      const other = await this.#d.ledger.write(
        tx,
        {
          ...blank(this.#d.tenantId, tx.now),
          channel: r.channel,
          direction: 'inbound',
          state: 'incoming',
          queueId: target.kind === 'queue' ? target.id : null,
          remoteAddress: actor.username,
          localAddress: r.remoteAddress,
          consultationOf: r.id,
          conversationId: r.conversationId,
          customerId: r.customerId,
          attributes: r.attributes,
          peerId: leg.id,
          waitingSince: nowIso(new Date(tx.now)),
          priority: target.kind === 'queue' ? this.#d.queues.require(target.id).priority : 0,
          target: target.kind === 'agent' ? target : null,
        },
        'created',
        null,
        { consulted_by: actor.id },
        true,
      );
      leg = await this.#d.ledger.write(tx, { ...leg, peerId: other.id }, 'consult_linked', actor.id);
      if (target.kind === 'queue')
        await this.#d.router.route(tx, { type: 'contact_arrived', contactId: other.id, queueId: target.id });
      else await this.#d.router.offerDirect(tx, other, target.id);
      return this.#d.ledger.wire(await this.#d.ledger.reload(tx, leg.id));
    });
  }

  async cancelConsult(actor: Actor, r: InteractionRecord): Promise<Interaction> {
    const leg =
      r.consultationOf && r.direction === 'outbound' ? r : await this.#openConsultation(this.#d.gc.db(), r, actor.id);
    if (!leg || isTerminalState(leg.state) || leg.state === 'ended')
      throw new CodedError('invalid_state', `Interaction ${r.id} has no consultation in progress.`);
    return this.#d.gc.commit(actor.id, async (tx) => {
      await this.#d.endings.closeLeg(tx, leg, 'consult_cancelled');
      if (leg.peerId) await this.#d.endings.dropPeer(tx, leg.peerId, 'consult_cancelled');
      const original = leg.consultationOf ? await this.#d.ledger.reload(tx, leg.consultationOf) : null;
      if (original && original.state === 'held')
        await this.#d.ledger.step(tx, original, 'unhold', 'unheld', actor.id, { held: false });
      return this.#d.ledger.wire(
        original ? await this.#d.ledger.reload(tx, original.id) : await this.#d.ledger.reload(tx, leg.id),
      );
    });
  }

  async joinOrConference(actor: Actor, r: InteractionRecord, kind: 'join' | 'conference'): Promise<Interaction> {
    const leg =
      r.consultationOf && r.direction === 'outbound' ? r : await this.#openConsultation(this.#d.gc.db(), r, actor.id);
    if (!leg || leg.state !== 'accepted')
      throw new CodedError(
        'invalid_state',
        `Interaction ${r.id} has no answered consultation; ${kind} needs the consulted party on the line.`,
      );
    return this.#d.gc.commit(actor.id, async (tx) => {
      const original = await this.#d.ledger.reload(tx, leg.consultationOf ?? '');
      const peer = leg.peerId ? await this.#d.ledger.reload(tx, leg.peerId) : null;
      if (kind === 'join') {
        // The customer and the consulted party go on together; the agent leaves and wraps up.
        if (peer && original.conversationId) await this.#d.audience.move(tx, original.conversationId, peer);
        if (peer)
          await this.#d.ledger.write(
            tx,
            {
              ...peer,
              remoteAddress: original.remoteAddress,
              peerId: null,
              conversationId: original.conversationId,
              // The contact is the queue's still: its wrap-up and its reports follow it to the consulted agent.
              queueId: peer.queueId ?? original.queueId,
            },
            'joined',
            peer.agentId,
            {
              customer: original.remoteAddress,
            },
          );
        await this.#d.endings.closeLeg(tx, { ...leg, peerId: null }, 'joined');
        return this.#d.ledger.wire(
          await this.#d.endings.end(tx, original, 'joined', { detail: { to: leg.remoteAddress } }),
        );
      }
      // Three parties: the agent is back with the customer, and the consulted party stays.
      if (peer) {
        await this.#d.ledger.write(tx, { ...peer, conference: true }, 'conference', peer.agentId);
        await this.#d.endings.closeLeg(tx, leg, 'conference');
      } else {
        await this.#d.ledger.write(tx, { ...leg, conference: true }, 'conference', actor.id);
      }
      const held =
        original.state === 'held'
          ? await this.#d.ledger.step(tx, original, 'unhold', 'unheld', actor.id, { held: false })
          : original;
      return this.#d.ledger.wire(await this.#d.ledger.write(tx, { ...held, conference: true }, 'conference', actor.id));
    });
  }

  /**
   * The conference's agent hangs up on one other party (a consulted agent or
   * number): their part ends, and the customer stays with whoever is left.
   */
  async dropParty(actor: Actor, r: InteractionRecord, partyId: string): Promise<Interaction> {
    if (!r.conference || r.consultationOf)
      throw new CodedError(
        'invalid_state',
        `Interaction ${r.id} is not a conference of yours; only its agent drops a party.`,
      );
    const party = await this.#d.ledger.find(this.#d.gc.db(), partyId);
    if (!party || party.consultationOf !== r.id || !party.conference || !TALKING.has(party.state))
      throw new CodedError('not_found', `${partyId} is not a party of the conference ${r.id}.`);
    return this.#d.gc.commit(actor.id, async (tx) => {
      await this.#d.endings.end(tx, await this.#d.ledger.reload(tx, party.id), 'removed');
      return this.#d.ledger.wire(await this.#d.ledger.reload(tx, r.id));
    });
  }

  /**
   * A call whose agent's panel stayed away too long goes back to its queue,
   * ahead of newer contacts (it keeps its original waiting time).
   */
  async requeue(id: string, reason: string): Promise<Interaction | null> {
    const r = await findInteraction(this.#d.gc.db(), this.#d.tenantId, id);
    if (!r || !TALKING.has(r.state) || !r.queueId || isConsultLeg(r)) return null;
    const queueId = r.queueId;
    return this.#d.gc.commit(null, async (tx) => {
      const next = await this.successor(
        tx,
        r,
        { queueId, excluded: r.agentId ? [r.agentId] : [] },
        { requeued: reason },
      );
      const ended = await this.#d.endings.end(tx, r, 'requeued', { detail: { reason, transferred_to: next.id } });
      await this.#queueAgain(tx, next, queueId);
      return this.#d.ledger.wire(ended);
    });
  }

  /**
   * The row that carries a contact on after `r` (a transfer, a requeue): the
   * same customer, age and priority, waiting again; the conversation goes with it.
   */
  async successor(
    tx: Tx,
    r: InteractionRecord,
    patch: Partial<InteractionRecord>,
    detail: Record<string, unknown>,
    /** Whose panels hear of the new row (nobody's while it waits). */
    agentId: string | null = null,
  ): Promise<InteractionRecord> {
    const next = await this.#d.ledger.write(
      tx,
      {
        ...blank(this.#d.tenantId, tx.now),
        channel: r.channel,
        direction: 'inbound',
        state: 'incoming',
        queueId: r.queueId,
        remoteAddress: r.remoteAddress,
        localAddress: r.localAddress,
        subject: r.subject,
        waitingSince: r.waitingSince ?? r.createdAt,
        priority: r.priority,
        transferredFrom: r.id,
        conversationId: r.conversationId,
        customerId: r.customerId,
        attributes: r.attributes,
        ...patch,
      },
      'created',
      agentId,
      detail,
      true,
    );
    if (r.conversationId) await this.#d.audience.move(tx, r.conversationId, next);
    return next;
  }

  /** Puts a successor row in its queue's line, at the age it had. */
  async #queueAgain(tx: Tx, next: InteractionRecord, queueId: string): Promise<void> {
    await this.#d.router.route(tx, {
      type: 'contact_arrived',
      contactId: next.id,
      queueId,
      arrivedAt: Date.parse(next.waitingSince ?? next.createdAt),
      priority: next.priority,
    });
  }

  /** Resolves a transfer or consultation target and checks it can take the interaction now. */
  async target(actor: Actor, to: TargetInput, channel: ChannelType): Promise<Target> {
    const given = [to.queueId, to.agentId, to.number, to.address].filter((v) => v !== undefined).length;
    if (given !== 1) throw CodedError.invalidArgument('to: give exactly one of queue_id, agent_id, number or address');
    let queueId = to.queueId;
    let agentId = to.agentId;
    let number = to.number;
    if (to.address !== undefined) {
      const queue = await findQueueByAddress(this.#d.gc.db(), this.#d.tenantId, to.address);
      const user = queue
        ? undefined
        : await this.#d.gc
            .db()
            .selectFrom('users')
            .select('id')
            .where('tenant_id', '=', this.#d.tenantId)
            .where('username', '=', to.address)
            .executeTakeFirst();
      if (queue) queueId = queue.id;
      else if (user) agentId = user.id;
      else number = to.address;
    }
    if (queueId !== undefined) {
      const queue = this.#d.queues.get(queueId);
      if (!queue) throw new CodedError('not_found', `No queue ${queueId}.`);
      if (queue.channel !== channel)
        throw CodedError.invalidArgument(`to: queue ${queue.name} takes ${queue.channel}, not ${channel}`);
      return { kind: 'queue', id: queue.id, address: queue.addresses[0] ?? queue.name };
    }
    if (agentId !== undefined) {
      if (agentId === actor.id) throw CodedError.invalidArgument('to: that is you');
      const user = await this.#d.gc
        .db()
        .selectFrom('users')
        .select(['id', 'username'])
        .where('tenant_id', '=', this.#d.tenantId)
        .where('id', '=', agentId)
        .executeTakeFirst();
      if (!user) throw new CodedError('not_found', `No user ${agentId}.`);
      if (!this.#d.router.engine.isAvailable(user.id, channel))
        throw new CodedError('unreachable', `${user.username} is not available for a ${channel} right now.`);
      return { kind: 'agent', id: user.id, address: user.username };
    }
    const cleaned = (number ?? '').replace(/[\s()-]/g, '');
    if (!CHANNEL_TRAITS[channel].voice)
      throw CodedError.invalidArgument(`to: a ${channel} can go to a queue or an agent, not a number`);
    if (!PHONE_NUMBER.test(cleaned))
      throw CodedError.invalidArgument(
        `to: ${JSON.stringify(number)} is not a phone number. Enter digits, with the country code after a + (for example +49 30 1234567).`,
      );
    checkReachable(this.#d.reachable, cleaned);
    return { kind: 'number', address: cleaned };
  }

  async #openConsultation(
    db: Kysely<Database> | Transaction<Database>,
    r: InteractionRecord,
    agentId: string,
  ): Promise<InteractionRecord | null> {
    const row = await db
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', this.#d.tenantId)
      .where('consultation_of', '=', r.id)
      .where('agent_id', '=', agentId)
      .where('direction', '=', 'outbound')
      .where('state', 'in', ['outgoing', 'alerting', 'accepted', 'held'])
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }
}
