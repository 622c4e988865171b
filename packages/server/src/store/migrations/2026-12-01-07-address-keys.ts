/**
 * Addresses that route from the outside world are unique across tenants:
 * an email address or a phone number reaches one queue of one tenant. Each
 * queue address gets its routing key (`mail:` + the lower-cased address,
 * `tel:` + the number without blanks and punctuation, `chat:{tenant}:` +
 * the address for web chat, which stays tenant-local), and the key is
 * unique. Where two tenants claimed the same address before this, the
 * queue created first keeps it and the later claims are removed, each with
 * an audit row for its tenant. Frozen in time: imports nothing from the app.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design */
import type { Kysely } from 'kysely';

function routeKey(channel: string, tenantId: string, address: string): string {
  const trimmed = address.trim();
  if (channel === 'email') return `mail:${trimmed.toLowerCase()}`;
  if (channel === 'chat') return `chat:${tenantId}:${trimmed}`;
  return `tel:${trimmed.replace(/^whatsapp:/i, '').replace(/[\s().-]/g, '')}`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('queue_addresses').addColumn('route_key', 'varchar(400)').execute();
  const rows: Array<{ tenant_id: string; queue_id: string; address: string; channel: string; created_at: string }> =
    await db
      .selectFrom('queue_addresses')
      .innerJoin('queues', 'queues.id', 'queue_addresses.queue_id')
      .select([
        'queue_addresses.tenant_id',
        'queue_addresses.queue_id',
        'queue_addresses.address',
        'queues.channel',
        'queues.created_at',
      ])
      .orderBy('queues.created_at')
      .orderBy('queues.id')
      .execute();
  const seen = new Set<string>();
  for (const row of rows) {
    const key = routeKey(row.channel, row.tenant_id, row.address);
    const where = (q: any) =>
      q.where('tenant_id', '=', row.tenant_id).where('queue_id', '=', row.queue_id).where('address', '=', row.address);
    if (seen.has(key)) {
      await where(db.deleteFrom('queue_addresses')).execute();
      await db
        .insertInto('audit_log')
        .values({
          tenant_id: row.tenant_id,
          actor_id: null,
          action: 'queue_address_removed',
          detail: JSON.stringify({
            target: row.queue_id,
            address: row.address,
            reason: 'another tenant had it first; addresses are unique across tenants',
          }),
          created_at: new Date().toISOString(),
        })
        .execute();
      continue;
    }
    seen.add(key);
    await where(db.updateTable('queue_addresses').set({ route_key: key })).execute();
  }
  await db.schema.createIndex('queue_addresses_route').on('queue_addresses').column('route_key').unique().execute();
}
