/**
 * Tenants: the default one (the demo's, seeded, in demo mode), the registry
 * every request is resolved through (`/t/{slug}/…` is tenant {slug}, the
 * rest the default), and the origins each tenant lets in.
 */
import type { IncomingMessage } from 'node:http';
import { CodedError } from '@parley/protocol';
import fp from 'fastify-plugin';
import { seedDemo } from '../../demo/index.ts';
import {
  DEFAULT_TENANT_SLUG,
  ensureTenant,
  splitTenantUrl,
  tenantBasePath,
  TenantRegistry,
  type Tenant,
} from '../../tenants/index.ts';
import { PLUGIN, type Origins } from '../decorations.ts';

const TENANT_SLUG = Symbol('parley.tenantSlug');
type TaggedRequest = IncomingMessage & { [TENANT_SLUG]?: string };

/** Fastify's `rewriteUrl`: `/t/{slug}/rest` is routed as `/rest`, and the slug kept for the tenant hook. */
export function rewriteTenantUrl(req: IncomingMessage): string {
  const { slug, url } = splitTenantUrl(req.url ?? '/');
  (req as TaggedRequest)[TENANT_SLUG] = slug;
  return url;
}

export const tenantsPlugin = fp<{ playgroundOrigin: string | null }>(
  async (app, { playgroundOrigin }) => {
    const { config, db } = app;
    const tenant = config.demo
      ? await seedDemo(db, {
          password: config.demoPassword,
          allowedOrigins: playgroundOrigin ? [playgroundOrigin] : [],
        })
      : await ensureTenant(db, { slug: DEFAULT_TENANT_SLUG, name: 'Parley' });
    const tenants = new TenantRegistry(db);
    tenants.remember(tenant);
    const allowedOrigins = (t: Tenant) =>
      t.slug === DEFAULT_TENANT_SLUG ? [...new Set([...t.allowedOrigins, ...config.allowedOrigins])] : t.allowedOrigins;
    const origins: Origins = {
      allowedOrigins,
      isAllowedOrigin: (t, origin) => origin !== undefined && allowedOrigins(t).includes(origin),
      baseUrlOf: (t) => new URL(tenantBasePath(t.slug).slice(1), config.publicUrl).href,
    };
    app.decorate('tenants', tenants);
    app.decorate('defaultTenant', tenant);
    app.decorate('origins', origins);
    app.decorateRequest('tenant', null as unknown as Tenant);
    app.addHook('onRequest', async (request) => {
      const slug = (request.raw as TaggedRequest)[TENANT_SLUG] ?? DEFAULT_TENANT_SLUG;
      const found = await tenants.get(slug);
      if (!found) throw new CodedError('not_found', `No tenant ${JSON.stringify(slug)}.`);
      request.tenant = found;
    });
  },
  { name: PLUGIN.tenants, dependencies: [PLUGIN.config, PLUGIN.store] },
);
