export { AgentGateway, CLOSE_CODES } from './gateway.ts';
export type { GatewayOptions } from './gateway.ts';
export { SocketLimits, FrameBucket, DEFAULT_SOCKET_LIMITS, LIMIT_CLOSE } from './limits.ts';
export type { SocketKind, SocketLimitRules } from './limits.ts';
export { CustomerGateway, hashConversationToken, CUSTOMER_PROTOCOL_PREFIX } from './customer.ts';
export type { CustomerGatewayDeps } from './customer.ts';
