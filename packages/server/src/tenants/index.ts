export type { Tenant } from './tenants.ts';
export { findTenantBySlug, ensureTenant, addAllowedOrigins } from './tenants.ts';
