/**
 * Queues, their addresses (numbers, email addresses) and their members.
 */
import { idFrom, parseQueueId } from '@parley/protocol';
import type { ChannelType, Queue } from '@parley/protocol';
import { CHANNEL_TYPES, CodedError } from '@parley/protocol';
import type { Db, QueueTable } from '../store/index.ts';
import { isUniqueViolation, newId, nowIso } from '../store/index.ts';

/** A queue as the server sees it. */
export interface QueueRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly channel: ChannelType;
  /** Higher is served first. */
  readonly priority: number;
  /** Seconds an offer waits for the agent (5–900). */
  readonly offerTimeoutSeconds: number;
  /** Seconds of wrap-up after an interaction ends (0–900). */
  readonly wrapupSeconds: number;
  readonly skills: readonly string[];
  readonly overflowQueueId: string | null;
  readonly overflowAfterSeconds: number | null;
  /** Answered within so many seconds counts as within service level (1–3600). */
  readonly slThresholdSeconds: number;
  /** Addresses in order; the first is the default caller id / sender. */
  readonly addresses: readonly string[];
}

/** A member of a queue. */
export interface QueueMember {
  readonly queueId: string;
  readonly userId: string;
  readonly canServe: boolean;
  /** 1–5. */
  readonly proficiency: number;
}

function toRecord(row: QueueTable, addresses: readonly string[]): QueueRecord {
  const skills: unknown = JSON.parse(row.skills);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    channel: (CHANNEL_TYPES as readonly string[]).includes(row.channel) ? (row.channel as ChannelType) : 'phone',
    priority: row.priority,
    offerTimeoutSeconds: row.offer_timeout_s,
    wrapupSeconds: row.wrapup_s,
    skills: Array.isArray(skills) ? skills.filter((s): s is string => typeof s === 'string') : [],
    overflowQueueId: row.overflow_queue_id,
    overflowAfterSeconds: row.overflow_after_s,
    slThresholdSeconds: row.sl_threshold_s,
    addresses,
  };
}

async function addressesOf(db: Db, tenantId: string, queueIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (queueIds.length === 0) return map;
  const rows = await db
    .selectFrom('queue_addresses')
    .select(['queue_id', 'address'])
    .where('tenant_id', '=', tenantId)
    .where('queue_id', 'in', queueIds)
    .orderBy('queue_id')
    .orderBy('sort')
    .execute();
  for (const row of rows) {
    const list = map.get(row.queue_id) ?? [];
    list.push(row.address);
    map.set(row.queue_id, list);
  }
  return map;
}

/** Lists a tenant's queues, optionally of one channel, by name. */
export async function listQueues(db: Db, tenantId: string, channel?: ChannelType): Promise<QueueRecord[]> {
  let query = db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId);
  if (channel) query = query.where('channel', '=', channel);
  const rows = await query.orderBy('name').execute();
  const addresses = await addressesOf(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toRecord(r, addresses.get(r.id) ?? []));
}

/** Finds one queue of a tenant. */
export async function findQueue(db: Db, tenantId: string, id: string): Promise<QueueRecord | null> {
  const row = await db
    .selectFrom('queues')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return toRecord(row, (await addressesOf(db, tenantId, [id])).get(id) ?? []);
}

/** The queues a user is a member of (with serve rights when `servingOnly`). */
export async function listQueuesOfUser(
  db: Db,
  tenantId: string,
  userId: string,
  servingOnly = true,
): Promise<QueueRecord[]> {
  let query = db
    .selectFrom('queue_members')
    .innerJoin('queues', 'queues.id', 'queue_members.queue_id')
    .selectAll('queues')
    .where('queue_members.tenant_id', '=', tenantId)
    .where('queue_members.user_id', '=', userId);
  if (servingOnly) query = query.where('queue_members.can_serve', '=', 1);
  const rows = await query.orderBy('queues.name').execute();
  const addresses = await addressesOf(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toRecord(r, addresses.get(r.id) ?? []));
}

/** Input for {@link createQueue}. */
export interface QueueInput {
  readonly name: string;
  readonly channel: ChannelType;
  readonly priority?: number;
  readonly offerTimeoutSeconds?: number;
  readonly wrapupSeconds?: number;
  readonly skills?: readonly string[];
  readonly addresses?: readonly string[];
  readonly overflowQueueId?: string | null;
  readonly overflowAfterSeconds?: number | null;
  readonly slThresholdSeconds?: number;
}

/**
 * Thrown when an address is already used by another queue, of this tenant or
 * any other: numbers and email addresses route from the outside world to one
 * queue. The message names no owner.
 */
export class AddressTakenError extends CodedError {
  override name = 'AddressTakenError';
  constructor(readonly address: string) {
    super(
      'conflict',
      `The address ${address} is already in use; each number and email address can route to one queue only.`,
    );
  }
}

/**
 * The key an address routes by, unique across tenants: `mail:` and the
 * lower-cased address for email, `tel:` and the number without blanks and
 * punctuation for phone, SMS and WhatsApp, `chat:{tenant}:` and the address
 * for web chat (reached through the tenant's own URL, so tenant-local).
 */
export function routeKey(channel: ChannelType, tenantId: string, address: string): string {
  const trimmed = address.trim();
  if (channel === 'email') return `mail:${trimmed.toLowerCase()}`;
  if (channel === 'chat') return `chat:${tenantId}:${trimmed}`;
  return `tel:${trimmed.replace(/^whatsapp:/i, '').replace(/[\s().-]/g, '')}`;
}

/** Creates a queue with its addresses. Run it inside a transaction so a taken address writes nothing. */
export async function createQueue(db: Db, tenantId: string, input: QueueInput): Promise<QueueRecord> {
  const id = newId();
  await db
    .insertInto('queues')
    .values({
      id,
      tenant_id: tenantId,
      name: input.name,
      channel: input.channel,
      priority: input.priority ?? 0,
      offer_timeout_s: input.offerTimeoutSeconds ?? 30,
      wrapup_s: input.wrapupSeconds ?? 60,
      skills: JSON.stringify(input.skills ?? []),
      overflow_queue_id: input.overflowQueueId ?? null,
      overflow_after_s: input.overflowAfterSeconds ?? null,
      sl_threshold_s: input.slThresholdSeconds ?? 20,
      created_at: nowIso(),
    })
    .execute();
  await setQueueAddresses(db, tenantId, id, input.channel, input.addresses ?? []);
  const created = await findQueue(db, tenantId, id);
  if (!created) throw new Error('queue vanished after insert');
  return created;
}

/** Replaces a queue's addresses. Run it inside a transaction: a taken address throws and must write nothing. */
export async function setQueueAddresses(
  db: Db,
  tenantId: string,
  queueId: string,
  channel: ChannelType,
  addresses: readonly string[],
): Promise<void> {
  const keyed = addresses.map((address) => ({ address, key: routeKey(channel, tenantId, address) }));
  const seen = new Set<string>();
  for (const { address, key } of keyed) {
    if (seen.has(key)) throw new AddressTakenError(address);
    seen.add(key);
  }
  const taken = keyed.length
    ? await db
        .selectFrom('queue_addresses')
        .select('route_key')
        .where(
          'route_key',
          'in',
          keyed.map((k) => k.key),
        )
        .where('queue_id', '!=', queueId)
        .executeTakeFirst()
    : undefined;
  if (taken) throw new AddressTakenError(keyed.find((k) => k.key === taken.route_key)?.address ?? '');
  await db.deleteFrom('queue_addresses').where('tenant_id', '=', tenantId).where('queue_id', '=', queueId).execute();
  if (keyed.length === 0) return;
  try {
    await db
      .insertInto('queue_addresses')
      .values(
        keyed.map(({ address, key }, sort) => ({
          tenant_id: tenantId,
          queue_id: queueId,
          address,
          sort,
          route_key: key,
        })),
      )
      .execute();
  } catch (err) {
    // Another writer claimed one of them between the check and the insert.
    if (isUniqueViolation(err)) throw new AddressTakenError(keyed.map((k) => k.address).join(', '));
    throw err;
  }
}

/**
 * Finds the tenant's queue an address belongs to, as the outside world or
 * the tenant's widget names it (`+1 555 0100` is `+15550100`; email ignores
 * case). An exact match wins over a normalised one.
 */
export async function findQueueByAddress(db: Db, tenantId: string, address: string): Promise<QueueRecord | null> {
  const keys = (['email', 'phone', 'chat'] as const).map((c) => routeKey(c, tenantId, address));
  const rows = await db
    .selectFrom('queue_addresses')
    .select(['queue_id', 'address'])
    .where('tenant_id', '=', tenantId)
    .where('route_key', 'in', keys)
    .execute();
  const row = rows.find((r) => r.address === address) ?? rows[0];
  return row ? findQueue(db, tenantId, row.queue_id) : null;
}

/** The queue an email address receives for, whichever tenant has it (inbound SMTP); null when none. */
export async function findMailbox(
  db: Db,
  address: string,
): Promise<{ tenantId: string; queueId: string; address: string } | null> {
  const row = await db
    .selectFrom('queue_addresses')
    .innerJoin('queues', 'queues.id', 'queue_addresses.queue_id')
    .select(['queue_addresses.tenant_id', 'queue_addresses.queue_id', 'queue_addresses.address'])
    .where('queue_addresses.route_key', '=', routeKey('email', '', address))
    .where('queues.channel', '=', 'email')
    .executeTakeFirst();
  return row ? { tenantId: row.tenant_id, queueId: row.queue_id, address: row.address } : null;
}

/** Adds a user to a queue or updates the membership. */
export async function setMembership(db: Db, tenantId: string, member: QueueMember): Promise<void> {
  const values = { can_serve: member.canServe ? 1 : 0, proficiency: member.proficiency };
  const updated = await db
    .updateTable('queue_members')
    .set(values)
    .where('queue_id', '=', member.queueId)
    .where('user_id', '=', member.userId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db
      .insertInto('queue_members')
      .values({ tenant_id: tenantId, queue_id: member.queueId, user_id: member.userId, ...values })
      .execute();
  }
}

/** Removes a user from a queue; true when there was a membership. */
export async function removeMembership(db: Db, tenantId: string, queueId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('queue_members')
    .where('tenant_id', '=', tenantId)
    .where('queue_id', '=', queueId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Lists the members of a queue. */
export async function listMembers(db: Db, tenantId: string, queueId: string): Promise<QueueMember[]> {
  const rows = await db
    .selectFrom('queue_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('queue_id', '=', queueId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({
    queueId: r.queue_id,
    userId: r.user_id,
    canServe: r.can_serve === 1,
    proficiency: r.proficiency,
  }));
}

/** The wire Queue object (PROTOCOL.md §1.5). */
export function toWireQueue(queue: QueueRecord): Queue {
  return {
    id: idFrom(parseQueueId, queue.id, 'id'),
    name: queue.name,
    type: queue.channel,
    addresses: queue.addresses.map((address) => ({ address })),
  };
}
