/** The tenant (admin) and its audit log. */
import { CodedError } from '@parley/protocol';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../agents/index.ts';
import { audit, listAudit } from '../store/index.ts';
import { setWebhookSecret, updateTenant } from '../tenants/index.ts';
import { tenantDetail } from './dto.ts';
import { Origin } from './schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { parseOrigin } from '../config/index.ts';
import { restHelpers } from './helpers.ts';

const TenantPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    allowed_origins: Type.Optional(Type.Array(Origin, { maxItems: 100, uniqueItems: true })),
    oauth_issuers: Type.Optional(
      Type.Array(Type.String({ pattern: '^https?://\\S+$', maxLength: 500 }), { maxItems: 20, uniqueItems: true }),
    ),
    settings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Normalises allowlist entries with the same parser as PARLEY_ALLOWED_ORIGINS; 400 names the first bad one. */
function origins(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const origin = parseOrigin(entry);
    if (!origin)
      throw CodedError.invalidArgument(
        `body/allowed_origins: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], lowercase, nothing after)`,
      );
    return origin;
  });
}

export function tenantRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const { caller } = restHelpers(ctx);
    app.get('/api/v1/tenant', async (request) => {
      const { user: actor } = await caller(request);
      requireRole(actor, 'admin');
      return tenantDetail(request.tenant, ctx.baseUrlOf(request.tenant));
    });

    app.patch<{ Body: Static<typeof TenantPatchBody> }>(
      '/api/v1/tenant',
      { schema: { body: TenantPatchBody } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const b = request.body;
        const updated = await ctx.db.transaction().execute(async (trx) => {
          const t = await updateTenant(trx, request.tenant.id, {
            ...(b.name === undefined ? {} : { name: b.name }),
            ...(b.allowed_origins === undefined ? {} : { allowedOrigins: origins(b.allowed_origins) }),
            ...(b.oauth_issuers === undefined ? {} : { oauthIssuers: b.oauth_issuers }),
            ...(b.settings === undefined ? {} : { settings: b.settings }),
          });
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'tenant_updated',
            detail: { fields: Object.keys(b) },
          });
          return t;
        });
        if (!updated) throw new CodedError('not_found', 'The tenant vanished.');
        ctx.tenants.remember(updated);
        return tenantDetail(updated, ctx.baseUrlOf(updated));
      },
    );

    // Write-only: the secret that signs SMS/WhatsApp webhooks (a provider's auth token) is never served back.
    const SecretBody = Type.Object(
      { secret: Type.String({ minLength: 16, maxLength: 256, pattern: '^\\S+$' }) },
      { additionalProperties: false },
    );
    app.put<{ Body: Static<typeof SecretBody> }>(
      '/api/v1/tenant/webhook-secret',
      { schema: { body: SecretBody } },
      async (request, reply) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        await ctx.db.transaction().execute(async (trx) => {
          await setWebhookSecret(trx, request.tenant.id, request.body.secret);
          await audit(trx, {
            tenantId: request.tenant.id,
            actorId: actor.id,
            action: 'webhook_secret_set',
            detail: {},
          });
        });
        return reply.code(204).send();
      },
    );

    const AuditQuery = Type.Object(
      { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
      { additionalProperties: false },
    );
    app.get<{ Querystring: Static<typeof AuditQuery> }>(
      '/api/v1/audit',
      { schema: { querystring: AuditQuery } },
      async (request) => {
        const { user: actor } = await caller(request);
        requireRole(actor, 'admin');
        const entries = await listAudit(ctx.db, request.tenant.id, request.query.limit ?? 100);
        return entries.map((e) => ({
          seq: e.seq,
          actor_id: e.actorId,
          action: e.action,
          detail: e.detail,
          created_at: e.createdAt,
        }));
      },
    );
  };
}
