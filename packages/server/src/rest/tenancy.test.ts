/**
 * What routes from the outside world — email addresses, phone numbers,
 * WhatsApp senders — belongs to one queue of one tenant, on SQLite and
 * PostgreSQL: another tenant cannot claim it, and inbound mail stays with
 * its owner.
 */
import type { InjectOptions } from 'fastify';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  startHarness,
  type Harness,
  OTHER_TENANT_PASSWORD,
  otherTenant,
  STORE_KINDS,
} from '../testing/index.ts';

describe.each(STORE_KINDS)('addresses across tenants on %s', (kind) => {
  let h: Harness;
  const tokens = new Map<string, string>();
  const as = (username: string, options: InjectOptions & { url: string }) =>
    h.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${tokens.get(username)}` } });

  beforeAll(async () => {
    h = await startHarness({}, kind);
    await otherTenant(h.db);
    for (const [name, base, password] of [
      ['admin', '', DEMO_PASSWORD],
      ['alice', '/t/acme', OTHER_TENANT_PASSWORD],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: `${base}/api/v1/auth/login`,
        payload: { username: name, password },
      });
      tokens.set(name, res.json().token);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it("refuses another tenant's numbers and email addresses, and inbound mail stays with its owner", async () => {
    const mine = await as('admin', { method: 'GET', url: '/api/v1/queues' });
    const email = mine.json().find((q: { type: string }) => q.type === 'email');
    for (const [type, address] of [
      ['email', 'support@demo.parley.local'],
      ['email', 'Support@Demo.Parley.Local'],
      ['sms', '+15555550300'],
      ['sms', '+1-555-555-0300'],
      ['phone', '+15555550100'],
      ['whatsapp', '+15555550400'],
    ] as const) {
      const res = await as('alice', {
        method: 'POST',
        url: '/t/acme/api/v1/queues',
        payload: { name: `Claim ${type} ${address}`, type, addresses: [address] },
      });
      expect(res.statusCode, `${type} ${address}`).toBe(409);
      expect(res.json().error.code).toBe('conflict');
      // Owner-neutral: nothing says who has it.
      expect(res.json().error.message).not.toMatch(/default|demo tenant|Parley Demo/i);
    }
    expect((await as('alice', { method: 'GET', url: '/t/acme/api/v1/queues' })).json()).toEqual([]);
    // A web chat address is reached through the tenant's own URL: each tenant may have its own "webchat".
    const chat = await as('alice', {
      method: 'POST',
      url: '/t/acme/api/v1/queues',
      payload: { name: 'Chat', type: 'chat', addresses: ['webchat'] },
    });
    expect(chat.statusCode, chat.body).toBe(201);
    // The owner re-saves its queue, as the hijack needed; the address is still its own.
    const resaved = await as('admin', {
      method: 'PATCH',
      url: `/api/v1/queues/${email.id}`,
      payload: { addresses: email.addresses.map((a: { address: string }) => a.address) },
    });
    expect(resaved.statusCode, resaved.body).toBe(200);
    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: h.smtpPort ?? 0,
      secure: false,
      ignoreTLS: true,
    });
    await smtp.sendMail({
      from: 'owner-test@example.com',
      to: 'support@demo.parley.local',
      subject: 'Mine',
      text: 'Hi.',
    });
    smtp.close();
    const stored = await h.db
      .selectFrom('conversations')
      .select(['tenant_id'])
      .where('customer_address', '=', 'owner-test@example.com')
      .execute();
    expect(stored.map((r) => r.tenant_id)).toEqual([h.tenant.id]);
  });
});
