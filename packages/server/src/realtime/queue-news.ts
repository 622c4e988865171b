/**
 * Queue awareness for agents: who waits in each queue an agent serves,
 * pushed to their panels after `hello` and whenever a line changes (at most
 * every `delayMs` per tenant, and only what changed for that agent).
 */
import type { QueueLoad } from '@parley/protocol';
import type { Bus } from '../bus/index.ts';
import type { Db } from '../store/index.ts';

export interface QueueNewsOptions {
  readonly bus: Bus;
  readonly db: Db;
  /** The users of a tenant with a panel connected now. */
  readonly online: (tenantId: string) => ReadonlySet<string>;
  readonly send: (tenantId: string, userId: string, queues: readonly QueueLoad[]) => void;
  readonly delayMs?: number;
}

/** Every queue of the tenant with its line: waiting contacts and the oldest one's waiting time. */
export async function queueLoads(db: Db, tenantId: string): Promise<Map<string, QueueLoad>> {
  const queues = await db
    .selectFrom('queues')
    .select(['id', 'name', 'channel'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const lines = await db
    .selectFrom('interactions')
    .select([
      'queue_id',
      (eb) => eb.fn.countAll<number | string>().as('waiting'),
      (eb) => eb.fn.min('waiting_since').as('oldest'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('state', 'in', ['incoming', 'alerting'])
    .where('direction', '=', 'inbound')
    .where('consultation_of', 'is', null)
    .where('queue_id', 'is not', null)
    .groupBy('queue_id')
    .execute();
  const byQueue = new Map(lines.map((l) => [l.queue_id, l]));
  return new Map(
    queues.map((q) => {
      const line = byQueue.get(q.id);
      return [
        q.id,
        {
          queue_id: q.id,
          name: q.name,
          channel: q.channel,
          waiting: Number(line?.waiting ?? 0),
          oldest_waiting_since: (line?.oldest as string | null | undefined) ?? null,
        },
      ];
    }),
  );
}

export class QueueNews {
  readonly #o: QueueNewsOptions;
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What each agent was sent last, so an unchanged line is not sent again. */
  readonly #sent = new Map<string, string>();
  readonly #unsubscribe: () => void;

  constructor(o: QueueNewsOptions) {
    this.#o = o;
    this.#unsubscribe = o.bus.subscribe('interaction.changed', (e) => {
      if (e.interaction.queue_id && !e.interaction.consultation_of) this.#schedule(e.tenantId);
    });
  }

  /** A panel said hello: it gets the lines at once. */
  async hello(tenantId: string, userId: string): Promise<void> {
    this.#sent.delete(`${tenantId}:${userId}`);
    await this.#push(tenantId, new Set([userId]));
  }

  close(): void {
    this.#unsubscribe();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(tenantId: string): void {
    if (this.#timers.has(tenantId)) return;
    this.#timers.set(
      tenantId,
      setTimeout(() => {
        this.#timers.delete(tenantId);
        void this.#push(tenantId, this.#o.online(tenantId)).catch(() => undefined);
      }, this.#o.delayMs ?? 500),
    );
  }

  async #push(tenantId: string, users: ReadonlySet<string>): Promise<void> {
    if (users.size === 0) return;
    const db = this.#o.db;
    const loads = await queueLoads(db, tenantId);
    const memberships = await db
      .selectFrom('queue_members')
      .select(['user_id', 'queue_id'])
      .where('tenant_id', '=', tenantId)
      .where('can_serve', '=', 1)
      .where('user_id', 'in', [...users])
      .execute();
    for (const userId of users) {
      const mine = memberships
        .filter((m) => m.user_id === userId)
        .map((m) => loads.get(m.queue_id))
        .filter((q): q is QueueLoad => q !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name));
      const key = `${tenantId}:${userId}`;
      const text = JSON.stringify(mine);
      if (this.#sent.get(key) === text) continue;
      this.#sent.set(key, text);
      this.#o.send(tenantId, userId, mine);
    }
  }
}
