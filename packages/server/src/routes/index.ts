/**
 * The edge's route plugins that are not the REST API (rest/) or the remote
 * integration API (ri/): login, the agent and customer sockets, voice
 * (phone page, recordings) and the SMS/WhatsApp provider webhooks. Each
 * gets the app context; nothing below the edge imports this folder.
 */
export { authRoutes } from './auth.ts';
export { customerRoutes } from './customer.ts';
export { mediaRoutes } from './media.ts';
export { realtimeRoutes, WS_MAX_PAYLOAD } from './realtime.ts';
export { secretOf, webhookRoutes } from './webhooks.ts';
