export { AgentGateway, CLOSE_CODES } from './gateway.ts';
export type { GatewayOptions } from './gateway.ts';
export { realtimeRoutes, WS_MAX_PAYLOAD } from './routes.ts';
export { SocketLimits, FrameBucket, DEFAULT_SOCKET_LIMITS, LIMIT_CLOSE } from './limits.ts';
export type { SocketKind, SocketLimitRules } from './limits.ts';
