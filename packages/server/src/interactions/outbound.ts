/**
 * An agent starts a contact: a call, or an SMS, WhatsApp or email
 * conversation, from an address of a queue they serve.
 */
import { CHANNEL_TRAITS, type Interaction } from '@parley/protocol';
import { CodedError } from '@parley/protocol';
import { adapterOf } from '../channels/index.ts';
import { resolveCustomer, seenIn } from '../customers/index.ts';
import type { QueueRecord } from '../queues/index.ts';
import { nowIso } from '../store/index.ts';
import type { Audience } from './audience.ts';
import type { GroupCommit } from './commit.ts';
import type { Conversations } from './conversations.ts';
import type { Actor, OutboundInput } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import type { QueueBook } from './queue-book.ts';
import type { Router } from './router.ts';
import { blank, checkReachable } from './rules.ts';

export interface OutboundOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly queues: QueueBook;
  readonly audience: Audience;
  readonly conversations: Conversations;
  readonly reachable?: ((number: string) => boolean) | undefined;
}

export class Outbound {
  readonly #d: OutboundOptions;

  constructor(o: OutboundOptions) {
    this.#d = o;
  }

  /** An agent starts a call, SMS, WhatsApp or email from an address of a queue they serve. */
  async outbound(actor: Actor, input: OutboundInput, requestId?: string): Promise<Interaction> {
    return this.#d.gc.idempotent(actor, requestId, 'outbound', '', async () => {
      if (!CHANNEL_TRAITS[input.channel].outbound)
        throw CodedError.invalidArgument(
          'channel: chats start from the customer; outbound works for phone, sms, whatsapp and email',
        );
      const traits = CHANNEL_TRAITS[input.channel];
      // The channel's own address shape: a number without spaces and brackets, or an email address.
      const to = adapterOf(input.channel).outboundAddress(input.to);
      if (traits.voice) checkReachable(this.#d.reachable, to);
      const queue = await this.#outboundQueue(actor, input);
      const from = input.from ?? queue.addresses[0];
      if (!from) throw CodedError.forbidden(`Queue ${queue.name} has no address to send or call from.`);
      if (!this.#d.router.engine.hasRoom(actor.id, input.channel))
        throw new CodedError(
          'invalid_state',
          `You have no free ${input.channel} capacity (finish or hang up the current one first).`,
        );
      if (input.message && traits.subject && !(input.subject ?? input.message.subject))
        throw CodedError.invalidArgument('subject: an email sent at once needs a subject');
      return this.#d.gc.commit(actor.id, async (tx) => {
        // Messages need a conversation to live in; a call does not.
        const conversationId = traits.voice
          ? null
          : await this.#d.conversations.newConversation(tx, {
              channel: input.channel,
              name: to,
              address: to,
              local: from,
              subject: input.subject ?? input.message?.subject ?? null,
            });
        let r = await this.#d.ledger.write(
          tx,
          {
            ...blank(this.#d.tenantId, tx.now),
            channel: input.channel,
            direction: 'outbound',
            state: 'outgoing',
            queueId: queue.id,
            agentId: actor.id,
            remoteAddress: to,
            localAddress: from,
            subject: input.subject ?? input.message?.subject ?? null,
            conversationId,
            customerId: await resolveCustomer(tx.trx, this.#d.tenantId, seenIn(input.channel, to), new Date(tx.now)),
            attributes: input.attributes ?? {},
          },
          'created',
          actor.id,
          undefined,
          true,
        );
        this.#d.router.decide(tx, { type: 'interaction_assigned', agentId: actor.id, channel: input.channel });
        // A call rings the far end; a message conversation is open at once.
        r = traits.voice
          ? await this.#d.ledger.step(tx, r, 'alert', 'alerting', actor.id)
          : await this.#d.ledger.step(tx, r, 'accept', 'accepted', actor.id, {
              acceptedAt: nowIso(new Date(tx.now)),
            });
        if (conversationId) {
          await tx.trx
            .updateTable('conversations')
            .set({ interaction_id: r.id })
            .where('id', '=', conversationId)
            .execute();
          this.#d.audience.conversations.set(conversationId, { interactionId: r.id, told: 'connected' });
          if (input.message)
            await this.#d.conversations.storeMessage(tx, conversationId, r, 'out', actor.id, input.message);
        }
        return this.#d.ledger.wire(r);
      });
    });
  }

  /** The queue an outbound interaction belongs to; 403 unless the agent serves it. */
  async #outboundQueue(actor: Actor, input: OutboundInput): Promise<QueueRecord> {
    const served = await this.#d.gc
      .db()
      .selectFrom('queue_members')
      .select('queue_id')
      .where('tenant_id', '=', this.#d.tenantId)
      .where('user_id', '=', actor.id)
      .where('can_serve', '=', 1)
      .execute();
    const mine = served
      .map((m) => this.#d.queues.get(m.queue_id))
      .filter((q): q is QueueRecord => !!q && q.channel === input.channel);
    if (input.from !== undefined) {
      const queue = mine.find((q) => q.addresses.includes(input.from as string));
      if (!queue)
        throw CodedError.forbidden(`from: ${input.from} is not an address of a ${input.channel} queue you serve.`);
      if (input.queueId !== undefined && input.queueId !== queue.id)
        throw CodedError.invalidArgument(`from: ${input.from} belongs to another queue than queue_id`);
      return queue;
    }
    if (input.queueId !== undefined) {
      const queue = mine.find((q) => q.id === input.queueId);
      if (!queue) throw CodedError.forbidden(`queue_id: you do not serve a ${input.channel} queue ${input.queueId}.`);
      return queue;
    }
    const first = [...mine].sort((a, b) => a.name.localeCompare(b.name)).find((q) => q.addresses.length > 0);
    if (!first) throw CodedError.forbidden(`You serve no ${input.channel} queue with an address to send or call from.`);
    return first;
  }
}
