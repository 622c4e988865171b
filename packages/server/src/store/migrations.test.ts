/**
 * Migrations that change data, run against rows written by the schema
 * before them, on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyTestDatabase, STORE_KINDS } from '../testing/index.ts';
import { openStore } from './index.ts';

describe.each(STORE_KINDS)('migrations on %s', (kind) => {
  let cleanUp: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanUp?.();
    cleanUp = null;
  });

  it('07 address keys: the first claim of an address keeps it, later claims are removed and audited', async () => {
    const fresh = await emptyTestDatabase(kind);
    cleanUp = fresh.cleanUp;
    // Rows written by the schema before the migration.
    const old = await openStore({ ...fresh.options, migrateTo: '2026-11-21-06-recordings' });
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    for (const [id, slug] of [
      ['t1', 'one'],
      ['t2', 'two'],
    ] as const)
      await old
        .insertInto('tenants')
        .values({ id, slug, name: slug, allowed_origins: '[]', settings: '{}', created_at: at(0) } as never)
        .execute();
    const queue = (id: string, tenant: string, channel: string, s: number) =>
      old
        .insertInto('queues')
        .values({
          id,
          tenant_id: tenant,
          name: id,
          channel,
          priority: 0,
          offer_timeout_s: 30,
          wrapup_s: 60,
          skills: '[]',
          created_at: at(s),
        } as never)
        .execute();
    await queue('q1', 't1', 'email', 1);
    await queue('q2', 't2', 'email', 2);
    await queue('q3', 't2', 'chat', 3);
    await queue('q4', 't1', 'chat', 4);
    for (const [tenant, q, address] of [
      ['t1', 'q1', 'help@example.com'],
      ['t2', 'q2', 'HELP@example.com'],
      ['t2', 'q2', 'other@example.com'],
      ['t2', 'q3', 'web'],
      ['t1', 'q4', 'web'],
    ] as const)
      await old
        .insertInto('queue_addresses')
        .values({ tenant_id: tenant, queue_id: q, address, sort: 0 } as never)
        .execute();
    await old.destroy();

    const db = await openStore(fresh.options);
    try {
      const rows = await db
        .selectFrom('queue_addresses')
        .select(['queue_id', 'address', 'route_key'])
        .orderBy('queue_id')
        .execute();
      expect(rows).toEqual([
        { queue_id: 'q1', address: 'help@example.com', route_key: 'mail:help@example.com' },
        { queue_id: 'q2', address: 'other@example.com', route_key: 'mail:other@example.com' },
        { queue_id: 'q3', address: 'web', route_key: 'chat:t2:web' },
        { queue_id: 'q4', address: 'web', route_key: 'chat:t1:web' },
      ]);
      const audit = await db.selectFrom('audit_log').select(['tenant_id', 'action', 'detail']).execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ tenant_id: 't2', action: 'queue_address_removed' });
      expect(JSON.parse(audit[0]!.detail)).toMatchObject({ target: 'q2', address: 'HELP@example.com' });
    } finally {
      await db.destroy();
    }
  });
});
