/**
 * What an agent missed: their offers that timed out and contacts in their
 * queues whose customers gave up waiting, newest first, with what became of
 * each (a colleague may have taken it since), for the panel's call-back list.
 */
import { isRecord, type MissedEntry } from '@parley/protocol';
import type { Db } from '../store/index.ts';

export async function listMissed(
  db: Db,
  tenantId: string,
  userId: string,
  queueIds: readonly string[],
  since: string,
  limit = 50,
): Promise<MissedEntry[]> {
  const rows = await db
    .selectFrom('interaction_events as e')
    .innerJoin('interactions as i', (j) =>
      j.onRef('i.id', '=', 'e.interaction_id').onRef('i.tenant_id', '=', 'e.tenant_id'),
    )
    .leftJoin('queues as q', 'q.id', 'i.queue_id')
    .select([
      'e.interaction_id',
      'e.type',
      'e.data',
      'e.created_at',
      'i.channel',
      'i.remote_address',
      'i.queue_id',
      'i.customer_id',
      'i.state',
      'q.name as queue_name',
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.created_at', '>=', since)
    .where('i.consultation_of', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('e.type', '=', 'offer_withdrawn'), eb('e.agent_id', '=', userId)]),
        ...(queueIds.length > 0 ? [eb.and([eb('e.type', '=', 'missed'), eb('i.queue_id', 'in', queueIds)])] : []),
      ]),
    )
    .orderBy('e.created_at', 'desc')
    .limit(limit * 4)
    .execute();
  // One entry per contact, at its latest event; the agent's own missed offer names it even when the customer then gave up.
  const byId = new Map<string, MissedEntry>();
  for (const r of rows) {
    const reason = missedReason(r.type, r.data);
    if (!reason) continue;
    const known = byId.get(r.interaction_id);
    if (known) {
      if (reason === 'timeout') byId.set(r.interaction_id, { ...known, reason });
      continue;
    }
    if (byId.size === limit) continue;
    byId.set(r.interaction_id, {
      interaction_id: r.interaction_id,
      reason,
      at: r.created_at,
      channel_type: r.channel,
      remote_address: r.remote_address,
      queue_id: r.queue_id,
      queue_name: r.queue_name,
      customer_id: r.customer_id,
      state: r.state,
    });
  }
  return [...byId.values()];
}

/** An event's stored data as a missed reason: a timed-out offer, or a contact its customer abandoned. */
function missedReason(type: string, data: string): MissedEntry['reason'] | null {
  let detail: unknown;
  try {
    detail = (JSON.parse(data) as { detail?: unknown }).detail;
  } catch {
    return null;
  }
  if (!isRecord(detail)) return null;
  if (type === 'offer_withdrawn' && detail['reason'] === 'timeout') return 'timeout';
  if (type === 'missed' && detail['cause'] === 'abandoned') return 'abandoned';
  return null;
}
