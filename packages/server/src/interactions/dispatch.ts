/**
 * A supervisor's hand on the line: a waiting contact moved to another queue
 * (keeping its age), offered to one agent directly (back to its queue if
 * they do not take it), or given another priority. Only contacts waiting
 * for an agent, not while an offer rings; the caller checks the rights.
 */
import type { Interaction } from '@parley/protocol';
import { CodedError } from '@parley/protocol';
import type { GroupCommit } from './commit.ts';
import type { Actor } from './inputs.ts';
import type { Ledger } from './ledger.ts';
import type { QueueBook } from './queue-book.ts';
import { findInteraction } from './records.ts';
import type { Router } from './router.ts';

/** Where a waiting contact goes. */
export type DispatchOp =
  | { readonly kind: 'queue'; readonly queueId: string }
  | { readonly kind: 'agent'; readonly agentId: string }
  | { readonly kind: 'priority'; readonly priority: number };

export interface DispatchOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly queues: QueueBook;
}

export class Dispatch {
  readonly #d: DispatchOptions;

  constructor(o: DispatchOptions) {
    this.#d = o;
  }

  async move(actor: Actor, id: string, op: DispatchOp): Promise<Interaction> {
    const r = await findInteraction(this.#d.gc.db(), this.#d.tenantId, id);
    if (!r) throw new CodedError('not_found', `No contact ${id}.`);
    const waiting = this.#d.router.engine.contact(id);
    if (!waiting || !r.queueId)
      throw new CodedError('invalid_state', `Contact ${id} is ${r.state}, not waiting in a queue.`);
    if (waiting.offeredTo)
      throw new CodedError(
        'invalid_state',
        `Contact ${id} is being offered to an agent right now; try again when the offer ends.`,
      );
    const from = r.queueId;
    if (op.kind === 'queue') {
      const to = this.#d.queues.get(op.queueId);
      if (!to || !this.#d.router.engine.hasQueue(op.queueId))
        throw new CodedError('not_found', `No queue ${op.queueId}.`);
      if (to.channel !== r.channel)
        throw CodedError.invalidArgument(`queue_id: ${to.name} takes ${to.channel}; this contact is a ${r.channel}`);
      if (op.queueId === from) throw CodedError.invalidArgument('queue_id: the contact waits in that queue already');
    }
    return this.#d.gc.commit(actor.id, async (tx) => {
      await this.#d.router.route(tx, { type: 'contact_abandoned', contactId: id });
      const current = await this.#d.ledger.reload(tx, id);
      const arrivedAt = Date.parse(current.waitingSince ?? current.createdAt);
      if (op.kind === 'agent') {
        const moved = await this.#d.ledger.write(tx, current, 'moved', null, {
          by: actor.id,
          from_queue_id: from,
          to_agent_id: op.agentId,
        });
        await this.#d.router.offerDirect(tx, moved, op.agentId);
        return this.#d.ledger.wire(await this.#d.ledger.reload(tx, id));
      }
      const queueId = op.kind === 'queue' ? op.queueId : from;
      const priority = op.kind === 'priority' ? op.priority : current.priority;
      const moved = await this.#d.ledger.write(tx, { ...current, queueId, priority }, 'moved', null, {
        by: actor.id,
        from_queue_id: from,
        ...(op.kind === 'queue' ? { to_queue_id: op.queueId } : { priority }),
      });
      await this.#d.router.route(tx, {
        type: 'contact_arrived',
        contactId: id,
        queueId,
        arrivedAt,
        priority,
        excluded: moved.excluded,
      });
      return this.#d.ledger.wire(await this.#d.ledger.reload(tx, id));
    });
  }
}
