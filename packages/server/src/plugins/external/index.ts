/**
 * The plugins that bring outside libraries in: configuration, the store,
 * HTTP basics, WebSockets, CORS and OpenAPI. They know nothing of contact
 * centres; plugins/app/ builds the services on them.
 */
export { configPlugin } from './config.ts';
export { corsPlugin } from './cors.ts';
export { httpPlugin } from './http.ts';
export { storePlugin } from './store.ts';
export { swaggerPlugin } from './swagger.ts';
export { websocketPlugin } from './websocket.ts';
