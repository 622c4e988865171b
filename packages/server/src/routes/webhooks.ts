/**
 * Provider webhooks (docs/channels.md): inbound SMS at `{base}webhooks/sms`,
 * WhatsApp at `{base}webhooks/whatsapp`, delivery reports at
 * `{base}webhooks/status`. Form-encoded in the widely used provider format
 * (`From`, `To`, `Body`, `MessageSid`, `NumMedia`, `MediaUrl0`…), signed with
 * the tenant's webhook secret (`X-Twilio-Signature`). A bad or missing
 * signature is a 403 and nothing is stored; a message is stored before the
 * provider gets its 200, and a retried webhook (same `MessageSid`) is
 * answered without storing twice.
 */
import { CodedError, type ExternalChannel } from '@parley/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { findQueueByAddress } from '../queues/index.ts';
import { verifyingSecret, type Tenant } from '../tenants/index.ts';
import {
  parseDeliveryReport,
  SIGNATURE_HEADER,
  verifyRequest,
  WEBHOOK_ADAPTERS,
  WebhookReceipts,
  type FormParams,
  type WebhookParser,
} from '../channels/index.ts';

/** The secret that verifies a tenant's webhooks: the operator's for the default tenant, else the stored one. */
export function secretOf(ctx: Pick<AppContext, 'config' | 'db'>, tenant: Tenant): Promise<string | null> {
  return verifyingSecret(ctx.db, tenant, ctx.config.channels.webhookSecret);
}

export function webhookRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const receipts = new WebhookReceipts(ctx.db);
    /**
     * Stores a verified webhook once per signature: a replay (the same signed
     * bytes, however split into fields) is answered as taken and stores nothing.
     */
    const once = async (request: FastifyRequest, signature: string, store: () => Promise<void>): Promise<void> => {
      if (!(await receipts.claim(request.tenant.id, signature))) {
        request.log.info('a signed webhook was replayed; answered, not stored again');
        return;
      }
      try {
        await store();
      } catch (err) {
        await receipts.release(request.tenant.id, signature).catch(() => undefined);
        throw err;
      }
    };
    /** The form, once its signature is verified against the URL the provider called. */
    const verified = async (request: FastifyRequest): Promise<{ form: Record<string, string>; signature: string }> => {
      const params = request.body;
      if (typeof params !== 'object' || params === null || Array.isArray(params))
        throw CodedError.invalidArgument('body: expected application/x-www-form-urlencoded fields');
      const secret = await secretOf(ctx, request.tenant);
      if (!secret) throw CodedError.forbidden('Webhooks are not set up for this tenant: set its webhook secret first.');
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const path = request.url.split('?')[0]?.replace(/^\//, '') ?? '';
      const url = ctx.baseUrlOf(request.tenant) + path + query;
      const header = request.headers[SIGNATURE_HEADER];
      const signature = typeof header === 'string' ? header : undefined;
      if (!signature || !verifyRequest(secret, url, params as FormParams, signature))
        throw CodedError.forbidden(`Bad or missing ${SIGNATURE_HEADER} header: the request is not from your provider.`);
      const form: Record<string, string> = {};
      for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
        if (typeof value !== 'string') throw CodedError.invalidArgument(`${name}: expected one value`);
        form[name] = value;
      }
      return { form, signature };
    };

    /** A channel's inbound webhook: its adapter reads the form, the message is stored once. */
    const inbound =
      (channel: ExternalChannel, parse: WebhookParser) => async (request: FastifyRequest, reply: FastifyReply) => {
        const { form, signature } = await verified(request);
        const { from, to, content, externalId, media } = parse(form);
        const queue = await findQueueByAddress(ctx.db, request.tenant.id, to);
        if (!queue || queue.channel !== channel)
          throw new CodedError('not_found', `No ${channel} queue has the number ${to}.`);
        await once(request, signature, async () => {
          await ctx.interactions.inboundMessage(request.tenant.id, {
            channel,
            queueId: queue.id,
            from,
            to,
            content,
            externalId,
            ...(media?.length ? { media } : {}),
          });
        });
        // An empty reply document: Parley answers through the agent, not here.
        return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      };

    const schema = { hide: false, tags: ['webhooks'], security: [] };
    for (const { channel, parse } of WEBHOOK_ADAPTERS)
      app.post(`/webhooks/${channel}`, { schema }, inbound(channel, parse));

    // Delivery reports; `?message=` is Parley's own id, so a report that outruns the send's answer still lands.
    app.post('/webhooks/status', { schema }, async (request, reply) => {
      const { form } = await verified(request);
      const report = parseDeliveryReport(form);
      const own = (request.query as Record<string, unknown>)['message'];
      const id = typeof own === 'string' && /^[0-9a-f]{32}$/.test(own) ? own : undefined;
      if (report.status === 'queued') return reply.code(204).send();
      const message = await ctx.interactions.messageStatus(request.tenant.id, {
        ...(id ? { id } : { externalId: report.sid }),
        status: report.status,
        ...(report.status === 'failed' ? { error: report.error ?? 'not delivered' } : {}),
      });
      if (!message) throw new CodedError('not_found', `No message ${id ?? report.sid}.`);
      return reply.code(204).send();
    });
  };
}
