/**
 * The demo SMS/WhatsApp provider and its virtual handsets (demo mode only).
 * It stands in for an outside provider and speaks that provider's wire
 * format both ways: Parley sends through its Messages endpoint
 * (`POST demo/provider/2010-04-01/Accounts/{account}/Messages.json`, Basic
 * auth, form fields) and gets signed status callbacks; a handset's text
 * reaches Parley as a signed form-encoded webhook over real HTTP.
 * The `/handset` page is a phone in the browser: pick a number, text a
 * queue number, read the replies as they arrive (server-sent events).
 */
import { CodedError } from '@parley/protocol';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { secretOf } from '../routes/index.ts';
import { signRequest } from '../channels/index.ts';
import type { AppContext } from '../context.ts';
import type { DemoHandsetMessageTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';
import { splitTenantUrl, type Tenant } from '../tenants/index.ts';
import { assertOwnHandset, claimHandset } from './devices.ts';

/** A number that always fails delivery, to show what a failed message looks like. */
export const UNREACHABLE_NUMBER = '+15555550999';
const PHONE = /^\+[0-9]{6,20}$/;

export interface HandsetMessage {
  readonly sid: string;
  readonly channel: 'sms' | 'whatsapp';
  /** The handset's own number. */
  readonly handset: string;
  /** The other side (a queue number). */
  readonly peer: string;
  /** `in`: received by the handset; `out`: sent from it. */
  readonly direction: 'in' | 'out';
  readonly body: string;
  readonly status: string;
  readonly created: string;
}

const HandsetSend = Type.Object(
  {
    from: Type.String({ pattern: PHONE.source, description: "The handset's number, e.g. +4915112345678" }),
    to: Type.String({ pattern: PHONE.source, description: 'A queue number' }),
    body: Type.String({ minLength: 1, maxLength: 1600 }),
    channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('whatsapp')])),
  },
  { additionalProperties: false },
);

function toWire(row: DemoHandsetMessageTable): HandsetMessage {
  return {
    sid: row.sid,
    channel: row.channel === 'whatsapp' ? 'whatsapp' : 'sms',
    handset: row.handset,
    peer: row.peer,
    direction: row.direction === 'out' ? 'out' : 'in',
    body: row.body,
    status: row.status,
    created: row.created_at,
  };
}

export function demoProviderRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const news = new EventEmitter();
    news.setMaxListeners(0);
    const streams = new Set<FastifyReply['raw']>();
    app.addHook('onClose', async () => {
      for (const raw of streams) raw.end();
    });

    const store = async (m: Omit<DemoHandsetMessageTable, 'id' | 'created_at'>): Promise<HandsetMessage> => {
      const row = { ...m, id: newId(), created_at: nowIso() };
      await ctx.db.insertInto('demo_handset_messages').values(row).execute();
      const wire = toWire(row);
      news.emit(`${row.tenant_id}:${row.handset}`, wire);
      return wire;
    };

    const post = async (url: string, secret: string, form: Record<string, string>): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signRequest(secret, url, form),
        },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(10_000),
      });

    /** The tenant a callback URL belongs to (its `/t/{slug}/` prefix). */
    const tenantOfUrl = async (url: string): Promise<Tenant | null> => {
      let path: string;
      try {
        path = new URL(url).pathname;
      } catch {
        return null;
      }
      return ctx.tenants.get(splitTenantUrl(path).slug);
    };

    // ── the provider's Messages endpoint (what Parley's adapter calls) ──────
    app.post<{ Params: { account: string } }>(
      '/demo/provider/2010-04-01/Accounts/:account/Messages.json',
      { schema: { hide: true } },
      async (request, reply) => {
        const form = (request.body ?? {}) as Record<string, unknown>;
        const callback = typeof form['StatusCallback'] === 'string' ? form['StatusCallback'] : '';
        const tenant = await tenantOfUrl(callback);
        const secret = tenant ? await secretOf(ctx, tenant) : null;
        const auth = request.headers.authorization ?? '';
        const expected = secret
          ? `Basic ${Buffer.from(`${request.params.account}:${secret}`).toString('base64')}`
          : null;
        if (!secret || auth !== expected)
          return reply.code(401).send({ code: 20003, message: 'Authenticate', status: 401 });
        const strip = (v: unknown) => (typeof v === 'string' ? v.replace(/^whatsapp:/, '') : '');
        const to = strip(form['To']);
        const from = strip(form['From']);
        const body = typeof form['Body'] === 'string' ? form['Body'] : '';
        if (!PHONE.test(to))
          return reply.code(400).send({ code: 21211, message: `The 'To' number ${to} is not a valid phone number.` });
        if (body === '' || body.length > 1600)
          return reply.code(400).send({ code: 21617, message: 'The message body is empty or too long.' });
        const channel = typeof form['To'] === 'string' && form['To'].startsWith('whatsapp:') ? 'whatsapp' : 'sms';
        const key = request.headers['i-twilio-idempotency-token'];
        const idempotencyKey = typeof key === 'string' && key.length <= 128 ? key : null;
        if (idempotencyKey) {
          const seen = await ctx.db
            .selectFrom('demo_handset_messages')
            .selectAll()
            .where('idempotency_key', '=', idempotencyKey)
            .executeTakeFirst();
          if (seen) return reply.code(201).send({ sid: seen.sid, status: 'queued', to, from, body });
        }
        const sid = `SM${randomBytes(16).toString('hex')}`;
        const failing = to === UNREACHABLE_NUMBER;
        const message = await store({
          tenant_id: tenant?.id ?? null,
          sid,
          channel,
          handset: to,
          peer: from,
          direction: 'in',
          body,
          status: failing ? 'failed' : 'delivered',
          idempotency_key: idempotencyKey,
        });
        // Delivery reports follow, as a real provider's do, a moment later.
        const reports = failing ? ['sent', 'failed'] : ['sent', 'delivered'];
        setTimeout(() => {
          void (async () => {
            for (const status of reports) {
              const fields: Record<string, string> = {
                MessageSid: sid,
                MessageStatus: status,
                To: form['To'] as string,
              };
              if (status === 'failed')
                Object.assign(fields, { ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' });
              const res = await post(callback, secret, fields).catch(() => null);
              if (!res?.ok) request.log.warn({ status: res?.status, sid }, 'demo provider: status callback not taken');
            }
          })();
        }, 50);
        return reply.code(201).send({
          sid: message.sid,
          status: 'queued',
          to: form['To'],
          from: form['From'],
          body,
          date_created: message.created,
        });
      },
    );

    // ── the handsets (what the /handset page calls) ─────────────────────────
    // A browser claims a number first; then only it reads and sends as that number.
    const Claim = Type.Object({ number: Type.String({ pattern: PHONE.source }) }, { additionalProperties: false });
    app.post<{ Body: Static<typeof Claim> }>(
      '/demo/handsets',
      { schema: { body: Claim, hide: true } },
      async (request, reply) => {
        await claimHandset(ctx, request, reply, request.body.number);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: Static<typeof HandsetSend> }>(
      '/demo/handset/messages',
      { schema: { body: HandsetSend, hide: true } },
      async (request, reply) => {
        const { from, to, body } = request.body;
        await assertOwnHandset(ctx, request, from);
        const channel = request.body.channel ?? 'sms';
        const secret = await secretOf(ctx, request.tenant);
        if (!secret) throw new CodedError('invalid_state', 'This tenant has no webhook secret.');
        const sid = `SM${randomBytes(16).toString('hex')}`;
        const prefix = channel === 'whatsapp' ? 'whatsapp:' : '';
        const url = `${ctx.baseUrlOf(request.tenant)}webhooks/${channel}`;
        const res = await post(url, secret, {
          AccountSid: 'demo',
          MessageSid: sid,
          SmsSid: sid,
          From: prefix + from,
          To: prefix + to,
          Body: body,
          NumMedia: '0',
        }).catch(() => null);
        if (!res) throw new CodedError('unreachable', 'Parley did not answer the webhook.');
        if (!res.ok) {
          const answer = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new CodedError(
            res.status === 404 ? 'not_found' : 'unreachable',
            answer?.error?.message ?? `The webhook was answered with HTTP ${res.status}.`,
          );
        }
        const message = await store({
          tenant_id: request.tenant.id,
          sid,
          channel,
          handset: from,
          peer: to,
          direction: 'out',
          body,
          status: 'delivered',
          idempotency_key: null,
        });
        return reply.code(201).send(message);
      },
    );

    const Number_ = Type.Object({ number: Type.String({ pattern: PHONE.source }) });
    app.get<{ Params: Static<typeof Number_> }>(
      '/demo/handset/:number/messages',
      { schema: { params: Number_, hide: true } },
      async (request) => {
        await assertOwnHandset(ctx, request, request.params.number);
        const rows = await ctx.db
          .selectFrom('demo_handset_messages')
          .selectAll()
          .where('tenant_id', '=', request.tenant.id)
          .where('handset', '=', request.params.number)
          .orderBy('created_at')
          .limit(500)
          .execute();
        return rows.map(toWire);
      },
    );

    // Live: each message to or from the number as it happens (server-sent events).
    app.get<{ Params: Static<typeof Number_> }>(
      '/demo/handset/:number/events',
      { schema: { params: Number_, hide: true } },
      async (request, reply: FastifyReply) => {
        await assertOwnHandset(ctx, request, request.params.number);
        const topic = `${request.tenant.id}:${request.params.number}`;
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        reply.raw.write(': connected\n\n');
        const listener = (m: HandsetMessage) => reply.raw.write(`data: ${JSON.stringify(m)}\n\n`);
        const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
        news.on(topic, listener);
        streams.add(reply.raw);
        request.raw.on('close', () => {
          streams.delete(reply.raw);
          clearInterval(ping);
          news.off(topic, listener);
        });
      },
    );
  };
}
