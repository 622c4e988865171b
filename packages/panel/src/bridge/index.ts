export type { HostTransport } from './transport.ts';
export { createWindowTransport } from './transport.ts';
export type { BridgeOptions } from './bridge.ts';
export { HostBridge, CommandError } from './bridge.ts';
export type { EmbeddingFacts, HostOrigin } from './origin.ts';
export { resolveHostOrigin } from './origin.ts';
