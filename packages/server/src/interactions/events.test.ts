/**
 * The event log on real SQLite and PostgreSQL: monotonic, gap-free, per
 * tenant, concurrent writers, rollbacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTenant, type Tenant } from '../tenants/index.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../testing/index.ts';
import { appendEvent, eventsSince, lastSeq } from './events.ts';

describe.each(STORE_KINDS)('event log on %s', (kind) => {
  let store: TestStore;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    store = await openTestStore(kind);
    a = await ensureTenant(store.db, { slug: 'a', name: 'A' });
    b = await ensureTenant(store.db, { slug: 'b', name: 'B' });
  });
  afterAll(async () => {
    await store.close();
  });

  const append = (tenant: Tenant, type: string) =>
    store.db
      .transaction()
      .execute((trx) => appendEvent(trx, { tenantId: tenant.id, interactionId: 'i'.repeat(32), type, data: { type } }));

  it('numbers events 1, 2, 3 per tenant, independently', async () => {
    expect(await lastSeq(store.db, a.id)).toBe(0);
    expect([await append(a, 'x'), await append(a, 'y'), await append(b, 'z'), await append(a, 'w')]).toEqual([
      1, 2, 1, 3,
    ]);
    expect((await eventsSince(store.db, a.id, 1)).map((e) => [e.seq, e.type])).toEqual([
      [2, 'y'],
      [3, 'w'],
    ]);
    expect(await lastSeq(store.db, b.id)).toBe(1);
  });

  it('leaves neither an event nor a gap when the transaction rolls back', async () => {
    const before = await lastSeq(store.db, a.id);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendEvent(trx, { tenantId: a.id, interactionId: 'j'.repeat(32), type: 'doomed' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await lastSeq(store.db, a.id)).toBe(before);
    expect(await append(a, 'next')).toBe(before + 1);
    expect((await eventsSince(store.db, a.id, 0)).some((e) => e.type === 'doomed')).toBe(false);
  });

  it('gives concurrent writers distinct, contiguous numbers in commit order', async () => {
    const start = await lastSeq(store.db, b.id);
    const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => append(b, `c${i}`)));
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => start + i + 1));
    const events = await eventsSince(store.db, b.id, start);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => start + i + 1));
    expect(new Set(events.map((e) => e.type)).size).toBe(40);
  });
});
