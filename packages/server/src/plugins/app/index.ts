/**
 * The plugins that build Parley's services, in dependency order: bus,
 * tenants, auth, interactions, media, realtime, channels, and the context
 * the routes get. Each is an `fp` plugin that names what it depends on.
 */
export { authPlugin } from './auth.ts';
export { busPlugin } from './bus.ts';
export { channelsPlugin } from './channels.ts';
export { contextPlugin } from './context.ts';
export { interactionsPlugin, type InteractionsPluginOptions } from './interactions.ts';
export { mediaPlugin } from './media.ts';
export { realtimePlugin } from './realtime.ts';
export { rewriteTenantUrl, tenantsPlugin } from './tenants.ts';
