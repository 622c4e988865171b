/**
 * What the customers of open conversations hear: which leg serves each
 * conversation now, what its customer was last told (waiting, connected,
 * closed), their place in line and the estimated wait. Places in line are
 * only news and are never stored; the rest follows the rows the desk writes.
 */
import type { Transaction } from 'kysely';
import type { Bus, CustomerState } from '../bus/index.ts';
import type { RoutingEngine } from '../routing/index.ts';
import type { Database } from '../store/index.ts';
import type { GroupCommit, Tx } from './commit.ts';
import type { OpenInteractions } from './open-set.ts';
import type { InteractionRecord } from './records.ts';
import { customerStateOf } from './rules.ts';

/** The queues' lines, as routing keeps them. */
export type Lines = Pick<RoutingEngine, 'contact' | 'waiting' | 'hasQueue'>;

interface Served {
  interactionId: string;
  told: CustomerState | null;
  /** The agent the customer was told serves them, when connected. */
  toldAgent?: string | null;
  position?: number;
}

export interface AudienceOptions {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly bus: Bus;
  readonly open: OpenInteractions;
}

export class Audience {
  readonly #d: AudienceOptions;
  /** Open conversations: the interaction (agent leg) serving each now, and what its customer last heard. */
  readonly conversations = new Map<string, Served>();
  /** When each queue's last contacts were answered (newest last), for the estimated wait. */
  readonly #answered = new Map<string, number[]>();

  constructor(o: AudienceOptions) {
    this.#d = o;
  }

  /** A queue answered a contact at `at`: its pace feeds the estimated wait. */
  answered(queueId: string, at: number): void {
    this.#answered.set(queueId, [...(this.#answered.get(queueId) ?? []), at].slice(-11));
  }

  /** The leg serving a conversation now, when it is open. */
  current(conversationId: string): InteractionRecord | undefined {
    const entry = this.conversations.get(conversationId);
    return entry ? this.#d.open.get(entry.interactionId) : undefined;
  }

  /** Tells the customer when their conversation's current leg changes how it stands for them. */
  async tell(tx: Tx, r: InteractionRecord): Promise<void> {
    if (!r.conversationId) return;
    const entry = this.conversations.get(r.conversationId);
    if (!entry || entry.interactionId !== r.id) return;
    const state = customerStateOf(r.state);
    const agentId = state === 'connected' ? r.agentId : null;
    // A join moves a connected conversation to another agent's leg: still connected, but news.
    if (state === entry.told && agentId === (entry.toldAgent ?? null)) return;
    entry.told = state;
    entry.toldAgent = agentId;
    this.#d.gc.touch();
    if (state === 'closed') {
      this.conversations.delete(r.conversationId);
      await tx.trx.updateTable('conversations').set({ state: 'closed' }).where('id', '=', r.conversationId).execute();
    }
    tx.customers.push({
      tenantId: this.#d.tenantId,
      conversationId: r.conversationId,
      state,
      agent: agentId ? await this.displayName(tx.trx, agentId) : null,
    });
  }

  /** The conversation is now served by another leg (transfer, join). */
  async move(tx: Tx, conversationId: string, to: InteractionRecord): Promise<void> {
    await tx.trx.updateTable('conversations').set({ interaction_id: to.id }).where('id', '=', conversationId).execute();
    const entry = this.conversations.get(conversationId);
    this.conversations.set(conversationId, {
      interactionId: to.id,
      told: entry?.told ?? null,
      toldAgent: entry?.toldAgent ?? null,
    });
    this.#d.gc.touch();
    await this.tell(tx, to);
  }

  /** A waiting customer's place in line (1 = next), or undefined when not waiting in a queue. */
  positionOf(lines: Lines, interactionId: string): number | undefined {
    const r = this.#d.open.get(interactionId);
    if (!r?.queueId || !lines.contact(r.id)) return undefined;
    const index = lines.waiting(r.queueId).findIndex((c) => c.contactId === r.id);
    return index >= 0 ? index + 1 : undefined;
  }

  /** Tells waiting customers their new place in line when it changed (not stored: it is only news). */
  tellPositions(lines: Lines): void {
    // One pass over each line with a waiting chat in it, not one per chat.
    const seen = new Map<string, Map<string, number>>();
    for (const [conversationId, entry] of this.conversations) {
      if (entry.told !== 'waiting') continue;
      const queueId = this.#d.open.get(entry.interactionId)?.queueId;
      if (!queueId || !lines.hasQueue(queueId)) continue;
      let line = seen.get(queueId);
      if (!line) {
        line = new Map(lines.waiting(queueId).map((c, i) => [c.contactId, i + 1]));
        seen.set(queueId, line);
      }
      const position = line.get(entry.interactionId);
      if (position === undefined || position === entry.position) continue;
      entry.position = position;
      const estimate = this.estimate(queueId, position);
      this.#d.bus.publish('conversation.changed', {
        tenantId: this.#d.tenantId,
        conversationId,
        state: 'waiting',
        position,
        ...(estimate === undefined ? {} : { estimatedWaitSeconds: estimate }),
      });
    }
  }

  /**
   * About how long the customer at `position` waits: the queue's recent pace
   * (the mean time between its last answered contacts, gaps over half an
   * hour left out as idle time) times the place in line. Undefined until the
   * queue has answered a few contacts: no number beats a made-up one.
   */
  estimate(queueId: string, position: number): number | undefined {
    const times = this.#answered.get(queueId) ?? [];
    const gaps: number[] = [];
    for (let k = 1; k < times.length; k++) {
      const gap = (times[k] ?? 0) - (times[k - 1] ?? 0);
      if (gap <= 30 * 60_000) gaps.push(gap);
    }
    if (gaps.length < 2) return undefined;
    const pace = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    return Math.max(10, Math.round((pace * position) / 1000 / 10) * 10);
  }

  /** The name a customer sees for an agent. */
  async displayName(db: Transaction<Database>, userId: string): Promise<string | null> {
    const u = await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
    return u?.display_name ?? null;
  }
}
