export { AgentGateway, CLOSE_CODES } from './gateway.ts';
export type { GatewayOptions } from './gateway.ts';
export { realtimeRoutes, WS_MAX_PAYLOAD } from './routes.ts';
