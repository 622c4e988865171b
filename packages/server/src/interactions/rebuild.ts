/**
 * Rebuilds a desk's in-memory state from the store: queues, agents, their
 * interactions and every waiting contact in its line, in order. Runs when a
 * desk opens and after a failed write left memory ahead of the store.
 */
import { listUsers } from '../users/index.ts';
import type { Audience } from './audience.ts';
import type { GroupCommit } from './commit.ts';
import { lastSeq } from './events.ts';
import type { Ledger } from './ledger.ts';
import type { OpenInteractions } from './open-set.ts';
import { specOf, type QueueBook } from './queue-book.ts';
import { toRecord } from './records.ts';
import { specOfAgent, type Router } from './router.ts';
import { countsLoad, OPEN_STATES } from './rules.ts';

export interface RebuildDeps {
  readonly tenantId: string;
  readonly gc: GroupCommit;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly queues: QueueBook;
  readonly open: OpenInteractions;
  readonly audience: Audience;
  readonly clock: () => number;
  readonly isOnline: (userId: string) => boolean;
}

/** Rebuilds routing from the store: queues, agents, their interactions and every waiting contact in order. */
export async function rebuild(d: RebuildDeps): Promise<void> {
  const db = d.gc.db();
  d.gc.fresh();
  d.ledger.resume(await lastSeq(db, d.tenantId));
  const engine = d.router.reset();
  await d.queues.load(db);
  const now = d.clock();
  for (const q of d.queues.values()) engine.handle({ type: 'queue_configured', queue: specOf(q) }, now);
  const users = await listUsers(db, d.tenantId);
  const members = await db
    .selectFrom('queue_members')
    .select(['user_id', 'queue_id', 'proficiency'])
    .where('tenant_id', '=', d.tenantId)
    .where('can_serve', '=', 1)
    .execute();
  const byUser = new Map<string, Array<{ queue_id: string; proficiency: number }>>();
  for (const m of members) byUser.set(m.user_id, [...(byUser.get(m.user_id) ?? []), m]);
  // Every agent starts busy with nothing offered, so nothing is offered before the waiting contacts are back in line.
  const open = (
    await db
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', d.tenantId)
      .where('state', 'in', [...OPEN_STATES])
      .orderBy('waiting_since')
      .orderBy('created_at')
      .execute()
  ).map(toRecord);
  d.open.clear();
  for (const r of open) d.open.remember(r);
  d.audience.conversations.clear();
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'interaction_id'])
    .where('tenant_id', '=', d.tenantId)
    .where('state', '=', 'open')
    .execute();
  for (const c of conversations) d.audience.conversations.set(c.id, { interactionId: c.interaction_id, told: null });
  const specs = users.map((u) => specOfAgent(u.id, u, byUser.get(u.id) ?? [], d.isOnline(u.id)));
  for (const spec of specs) engine.handle({ type: 'agent_updated', agent: { ...spec, ready: false } }, now);
  const known = new Set(users.map((u) => u.id));
  for (const r of open) {
    if (r.agentId && known.has(r.agentId) && countsLoad(r))
      engine.handle({ type: 'interaction_assigned', agentId: r.agentId, channel: r.channel }, now);
    if (r.state === 'wrap_up' && r.wrapupUntil) d.router.schedule('wrapup', r.id, Date.parse(r.wrapupUntil));
    if (r.state === 'alerting' && r.direction === 'inbound' && r.target?.kind === 'agent' && r.offerExpiresAt)
      d.router.schedule('direct', r.id, Date.parse(r.offerExpiresAt));
  }
  await d.gc.commit(null, async (tx) => {
    for (const r of open) {
      const routed =
        r.direction === 'inbound' && (r.state === 'incoming' || r.state === 'alerting') && r.target?.kind !== 'agent';
      if (!routed || !r.queueId || !engine.hasQueue(r.queueId)) continue;
      let current = r;
      if (r.state === 'alerting') {
        // The offer died with the old process; the same agent is waited for first when they come back.
        current = await d.ledger.step(
          tx,
          r,
          'timeout',
          'offer_withdrawn',
          r.agentId,
          { agentId: null, offerExpiresAt: null },
          { reason: 'restart' },
        );
      }
      const preferred = r.state === 'alerting' ? r.agentId : r.preferredAgentId;
      await d.router.route(tx, {
        type: 'contact_arrived',
        contactId: r.id,
        queueId: r.queueId,
        arrivedAt: Date.parse(current.waitingSince ?? current.createdAt),
        priority: current.priority,
        excluded: current.excluded,
        ...(preferred ? { preferredAgentId: preferred } : {}),
      });
    }
    // Now agents are who they are: ready ones get the contacts at the head of their queues.
    for (const spec of specs) await d.router.route(tx, { type: 'agent_updated', agent: spec });
  });
}
