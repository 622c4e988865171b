/**
 * The storage suite, on real SQLite and real PostgreSQL alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, deleteSession, findSession } from '../auth/index.ts';
import {
  ensurePresenceProfile,
  ensureReasonCode,
  findPresenceProfile,
  findReasonCode,
  listReasonCodes,
} from '../presence/index.ts';
import {
  AddressTakenError,
  createQueue,
  findQueueByAddress,
  listMembers,
  listQueues,
  listQueuesOfUser,
  removeMembership,
  setMembership,
} from '../queues/index.ts';
import { ensureTenant, findTenantBySlug, updateTenant, type Tenant } from '../tenants/index.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../testing/index.ts';
import {
  createUser,
  findUsersByOAuth,
  listUsers,
  setAgentState,
  updateUser,
  UsernameTakenError,
} from '../users/index.ts';
import { audit } from './audit.ts';
import { openStore } from './db.ts';

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let store: TestStore;
  let tenant: Tenant;
  let other: Tenant;
  beforeAll(async () => {
    store = await openTestStore(kind);
    tenant = await ensureTenant(store.db, {
      slug: 'default',
      name: 'Default',
      allowedOrigins: ['https://crm.example'],
    });
    other = await ensureTenant(store.db, { slug: 'acme', name: 'Acme' });
  });
  afterAll(async () => {
    await store.close();
  });

  const newUser = (username: string, t: Tenant = tenant) =>
    createUser(store.db, t.id, {
      username,
      displayName: username.toUpperCase(),
      email: `${username}@x.example`,
      role: 'agent',
      passwordHash: 'h',
    });

  it('runs migrations once: opening the same store again changes nothing', async () => {
    const again = await openStore(store.options);
    expect((await findTenantBySlug(again, 'default'))?.id).toBe(tenant.id);
    await again.destroy();
  });

  it('keeps tenants apart and updates their settings', async () => {
    expect(await ensureTenant(store.db, { slug: 'default', name: 'ignored' })).toEqual(tenant);
    const updated = await updateTenant(store.db, other.id, {
      allowedOrigins: ['https://a.example', 'https://a.example'],
      oauthIssuers: ['https://idp.example'],
      settings: { x: 1 },
    });
    expect(updated).toMatchObject({
      allowedOrigins: ['https://a.example'],
      oauthIssuers: ['https://idp.example'],
      settings: { x: 1 },
    });
  });

  it('creates users, refuses a taken username within a tenant but not across tenants', async () => {
    const ada = await newUser('ada');
    expect(ada).toMatchObject({
      username: 'ada',
      role: 'agent',
      workStatus: 'offline',
      capacity: { phone: 1, chat: 3, email: 5, sms: 3, whatsapp: 3 },
    });
    await expect(newUser('ada')).rejects.toBeInstanceOf(UsernameTakenError);
    await expect(newUser('ada', other)).resolves.toMatchObject({ tenantId: other.id });
    expect((await listUsers(store.db, tenant.id)).map((u) => u.username)).toEqual(['ada']);
  });

  it('updates users and their agent state; finds OAuth candidates by subject or email', async () => {
    const ben = await newUser('ben');
    const profile = await ensurePresenceProfile(store.db, tenant.id, 'Lunch', false, 2);
    const reason = await ensureReasonCode(store.db, tenant.id, {
      kind: 'not_ready',
      code: 'lunch',
      label: 'Lunch',
      sort: 0,
    });
    await setAgentState(store.db, tenant.id, ben.id, {
      workStatus: 'not_ready',
      presenceProfileId: profile,
      notReadyReasonId: reason,
    });
    const updated = await updateUser(store.db, tenant.id, ben.id, {
      oauthSubject: 'sub-ben',
      theme: { dark: true, primary: '#000000' },
      capacity: { phone: 1, chat: 5, email: 0, sms: 1, whatsapp: 1 },
    });
    expect(updated).toMatchObject({
      workStatus: 'not_ready',
      presenceProfileId: profile,
      notReadyReasonId: reason,
      oauthSubject: 'sub-ben',
      theme: { dark: true },
    });
    expect(updated?.capacity.chat).toBe(5);
    expect((await findUsersByOAuth(store.db, tenant.id, 'sub-ben', 'nobody@x')).map((u) => u.id)).toEqual([ben.id]);
    expect((await findUsersByOAuth(store.db, tenant.id, 'none', 'ben@x.example')).map((u) => u.id)).toEqual([ben.id]);
    expect(await findUsersByOAuth(store.db, other.id, 'sub-ben', 'ben@x.example')).toEqual([]);
  });

  it('finds presence profiles and reason codes by id or name', async () => {
    const id = await ensurePresenceProfile(store.db, tenant.id, 'Available', true, 0);
    expect(await ensurePresenceProfile(store.db, tenant.id, 'Available', true, 0)).toBe(id);
    expect(await findPresenceProfile(store.db, tenant.id, 'Available')).toEqual({ id, name: 'Available', ready: true });
    expect(await findPresenceProfile(store.db, tenant.id, id)).toMatchObject({ name: 'Available' });
    expect(await findPresenceProfile(store.db, other.id, 'Available')).toBeNull();
    await ensureReasonCode(store.db, tenant.id, { kind: 'wrap_up', code: 'resolved', label: 'Resolved', sort: 0 });
    expect((await listReasonCodes(store.db, tenant.id, 'wrap_up')).map((c) => c.code)).toEqual(['resolved']);
    expect(await findReasonCode(store.db, tenant.id, 'not_ready', 'resolved')).toBeNull();
  });

  it('creates queues with addresses; a taken address writes nothing', async () => {
    const sales = await store.db.transaction().execute((trx) =>
      createQueue(trx, tenant.id, {
        name: 'Sales',
        channel: 'phone',
        addresses: ['+15550100', '+15550101'],
        priority: 5,
        skills: ['sales'],
      }),
    );
    expect(sales).toMatchObject({
      name: 'Sales',
      channel: 'phone',
      priority: 5,
      offerTimeoutSeconds: 30,
      skills: ['sales'],
      addresses: ['+15550100', '+15550101'],
    });
    await expect(
      store.db
        .transaction()
        .execute((trx) => createQueue(trx, tenant.id, { name: 'Clash', channel: 'phone', addresses: ['+15550101'] })),
    ).rejects.toBeInstanceOf(AddressTakenError);
    expect((await listQueues(store.db, tenant.id)).map((q) => q.name)).toEqual(['Sales']);
    // A number routes from the outside world to one queue: another tenant cannot claim it, however it writes it.
    for (const address of ['+15550100', '+1 555 0100', '+1 (555) 01-00'])
      await expect(
        store.db
          .transaction()
          .execute((trx) => createQueue(trx, other.id, { name: 'Sales', channel: 'sms', addresses: [address] })),
      ).rejects.toBeInstanceOf(AddressTakenError);
    expect(await listQueues(store.db, other.id)).toEqual([]);
    expect((await findQueueByAddress(store.db, tenant.id, '+15550100'))?.id).toBe(sales.id);
    expect((await findQueueByAddress(store.db, tenant.id, '+1 555 0100'))?.id).toBe(sales.id);
    expect(await findQueueByAddress(store.db, other.id, '+15550100')).toBeNull();
    // Email addresses ignore case; web chat addresses stay the tenant's own.
    await store.db.transaction().execute(async (trx) => {
      await createQueue(trx, tenant.id, { name: 'Mail', channel: 'email', addresses: ['Help@Example.com'] });
      await createQueue(trx, tenant.id, { name: 'Web', channel: 'chat', addresses: ['webchat'] });
    });
    await expect(
      store.db
        .transaction()
        .execute((trx) =>
          createQueue(trx, other.id, { name: 'Mail', channel: 'email', addresses: ['help@example.COM'] }),
        ),
    ).rejects.toBeInstanceOf(AddressTakenError);
    await store.db
      .transaction()
      .execute((trx) => createQueue(trx, other.id, { name: 'Web', channel: 'chat', addresses: ['webchat'] }));
    expect((await findQueueByAddress(store.db, other.id, 'webchat'))?.name).toBe('Web');
    // Two writers racing for one address: the unique key lets one win, the other gets the same clear error.
    const results = await Promise.allSettled(
      [tenant.id, other.id].map((t, i) =>
        store.db
          .transaction()
          .execute((trx) => createQueue(trx, t, { name: `Race ${i}`, channel: 'phone', addresses: ['+15559999'] })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(AddressTakenError);
    await store.db.deleteFrom('queues').where('name', 'in', ['Mail', 'Web', 'Race 0', 'Race 1']).execute();
    expect(await listQueues(store.db, tenant.id, 'chat')).toEqual([]);
  });

  it('keeps memberships with serve rights and proficiency', async () => {
    const cleo = await newUser('cleo');
    const [sales] = await listQueues(store.db, tenant.id);
    const chat = await createQueue(store.db, tenant.id, { name: 'Chat', channel: 'chat' });
    await setMembership(store.db, tenant.id, { queueId: sales!.id, userId: cleo.id, canServe: true, proficiency: 4 });
    await setMembership(store.db, tenant.id, { queueId: chat.id, userId: cleo.id, canServe: false, proficiency: 2 });
    expect((await listQueuesOfUser(store.db, tenant.id, cleo.id)).map((q) => q.name)).toEqual(['Sales']);
    expect((await listQueuesOfUser(store.db, tenant.id, cleo.id, false)).map((q) => q.name)).toEqual(['Chat', 'Sales']);
    await setMembership(store.db, tenant.id, { queueId: sales!.id, userId: cleo.id, canServe: true, proficiency: 5 });
    expect(await listMembers(store.db, tenant.id, sales!.id)).toEqual([
      { queueId: sales!.id, userId: cleo.id, canServe: true, proficiency: 5 },
    ]);
    expect(await removeMembership(store.db, tenant.id, sales!.id, cleo.id)).toBe(true);
    expect(await removeMembership(store.db, tenant.id, sales!.id, cleo.id)).toBe(false);
  });

  it('stores only hashes of session tokens and honours idle and absolute expiry', async () => {
    const dev = await newUser('dev');
    const lifetimes = { idleSeconds: 60, maxSeconds: 3600 };
    const t0 = new Date('2026-01-01T00:00:00Z');
    const { token, session } = await createSession(store.db, { tenantId: tenant.id, userId: dev.id }, lifetimes, t0);
    const rows = await store.db.selectFrom('sessions').selectAll().where('user_id', '=', dev.id).execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await findSession(store.db, token, lifetimes, new Date(t0.getTime() + 59_000))).toMatchObject({
      userId: dev.id,
    });
    expect(await findSession(store.db, `${token}x`, lifetimes, t0)).toBeNull();
    // Idle for longer than 60 s after that last use at +59 s: gone, and deleted.
    expect(await findSession(store.db, token, lifetimes, new Date(t0.getTime() + 59_000 + 61_000))).toBeNull();
    expect(
      await store.db
        .selectFrom('sessions')
        .select('token_hash')
        .where('token_hash', '=', session.tokenHash)
        .executeTakeFirst(),
    ).toBeUndefined();

    const kept = await createSession(store.db, { tenantId: tenant.id, userId: dev.id }, lifetimes, t0);
    // Active every 50 s, it still ends at the absolute limit.
    let now = t0.getTime();
    while (now + 50_000 < t0.getTime() + 3_600_000) {
      now += 50_000;
      expect(await findSession(store.db, kept.token, lifetimes, new Date(now))).not.toBeNull();
    }
    expect(await findSession(store.db, kept.token, lifetimes, new Date(t0.getTime() + 3_600_000))).toBeNull();
    const third = await createSession(store.db, { tenantId: tenant.id, userId: dev.id }, lifetimes, t0);
    await deleteSession(store.db, third.session.tokenHash);
    expect(await findSession(store.db, third.token, lifetimes, t0)).toBeNull();
  });

  it('appends to the audit log in order', async () => {
    for (const action of ['a', 'b', 'c'])
      await audit(store.db, { tenantId: other.id, actorId: null, action, detail: { n: action } });
    const rows = await store.db
      .selectFrom('audit_log')
      .select(['seq', 'action'])
      .where('tenant_id', '=', other.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['a', 'b', 'c']);
    expect(Number(rows[0]!.seq)).toBeLessThan(Number(rows[2]!.seq));
  });
});
