export type { Tenant, TenantPatch } from './tenants.ts';
export {
  DEFAULT_TENANT_SLUG,
  verifyingSecret,
  findTenantBySlug,
  findTenant,
  ensureTenant,
  updateTenant,
  addAllowedOrigins,
  webhookSecret,
  setWebhookSecret,
} from './tenants.ts';
export { TenantRegistry, splitTenantUrl, tenantBasePath } from './registry.ts';
