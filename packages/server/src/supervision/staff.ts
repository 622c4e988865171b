/**
 * Who serves each queue, by work status, kept in memory: read once per
 * tenant, then one agent at a time as their state or memberships change.
 * A wallboard push reads these counts instead of every membership (at
 * 10,000 agents in 1,000 queues that read alone took 70 ms; bench/src/wallboard.ts).
 */
import type { Db } from '../store/index.ts';

export const STATUSES = ['ready', 'busy', 'wrap_up', 'not_ready', 'offline'] as const;
export type Status = (typeof STATUSES)[number];
export type StaffCounts = Record<Status, number>;

const statusOf = (s: string): Status => ((STATUSES as readonly string[]).includes(s) ? (s as Status) : 'offline');
const zero = (): StaffCounts => ({ ready: 0, busy: 0, wrap_up: 0, not_ready: 0, offline: 0 });

export class StaffBook {
  readonly #agents = new Map<string, { status: Status; queues: readonly string[] }>();
  readonly #queues = new Map<string, StaffCounts>();

  private constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  /** Reads every serving membership of the tenant once. */
  static async load(db: Db, tenantId: string): Promise<StaffBook> {
    const book = new StaffBook(db, tenantId);
    const rows = await db
      .selectFrom('queue_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'm.queue_id', 'u.work_status'])
      .where('m.tenant_id', '=', tenantId)
      .where('m.can_serve', '=', 1)
      .execute();
    const byAgent = new Map<string, { status: Status; queues: string[] }>();
    for (const r of rows) {
      let a = byAgent.get(r.user_id);
      if (!a) byAgent.set(r.user_id, (a = { status: statusOf(r.work_status), queues: [] }));
      a.queues.push(r.queue_id);
    }
    for (const [id, a] of byAgent) book.#set(id, a);
    return book;
  }

  /** One agent changed (state, memberships): read them again. */
  async refresh(userId: string): Promise<void> {
    const rows = await this.db
      .selectFrom('queue_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.queue_id', 'u.work_status'])
      .where('m.tenant_id', '=', this.tenantId)
      .where('m.user_id', '=', userId)
      .where('m.can_serve', '=', 1)
      .execute();
    this.#set(userId, { status: statusOf(rows[0]?.work_status ?? 'offline'), queues: rows.map((r) => r.queue_id) });
  }

  counts(queueId: string): StaffCounts {
    return { ...(this.#queues.get(queueId) ?? zero()) };
  }

  #set(userId: string, next: { status: Status; queues: readonly string[] }): void {
    const before = this.#agents.get(userId);
    if (before)
      for (const q of before.queues) {
        const c = this.#queues.get(q);
        if (c) c[before.status] -= 1;
      }
    for (const q of next.queues) {
      let c = this.#queues.get(q);
      if (!c) this.#queues.set(q, (c = zero()));
      c[next.status] += 1;
    }
    if (next.queues.length > 0) this.#agents.set(userId, next);
    else this.#agents.delete(userId);
  }
}
