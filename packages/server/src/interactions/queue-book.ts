/**
 * The tenant's queues as the desk knows them: loaded from the store when
 * the desk opens and whenever a queue's configuration changes.
 */
import type { Transaction } from 'kysely';
import { CodedError } from '@parley/protocol';
import { listQueues, type QueueRecord } from '../queues/index.ts';
import type { QueueSpec } from '../routing/index.ts';
import type { Database } from '../store/index.ts';

export class QueueBook {
  readonly #tenantId: string;
  #queues = new Map<string, QueueRecord>();

  constructor(tenantId: string) {
    this.#tenantId = tenantId;
  }

  async load(db: Transaction<Database>): Promise<void> {
    this.#queues = new Map((await listQueues(db, this.#tenantId)).map((q) => [q.id, q]));
  }

  get(id: string): QueueRecord | undefined {
    return this.#queues.get(id);
  }

  /** The queue, or `not_found`. */
  require(id: string): QueueRecord {
    const queue = this.#queues.get(id);
    if (!queue) throw new CodedError('not_found', `No queue ${id}.`);
    return queue;
  }

  values(): IterableIterator<QueueRecord> {
    return this.#queues.values();
  }

  /** The queue's name, for the wire. */
  name(id: string | null): string | null {
    return id ? (this.#queues.get(id)?.name ?? null) : null;
  }
}

/** A queue as routing sees it. */
export function specOf(q: QueueRecord): QueueSpec {
  return {
    id: q.id,
    channel: q.channel,
    priority: q.priority,
    offerTimeoutMs: q.offerTimeoutSeconds * 1000,
    skillsBased: q.skills.length > 0,
    ...(q.overflowQueueId && q.overflowAfterSeconds
      ? { overflow: { queueId: q.overflowQueueId, afterMs: q.overflowAfterSeconds * 1000 } }
      : {}),
  };
}
