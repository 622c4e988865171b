export { RoutingEngine } from './engine.ts';
export type {
  QueueSpec,
  AgentSpec,
  RoutingOptions,
  RoutingEvent,
  Decision,
  WaitingContact,
  WithdrawReason,
} from './types.ts';
export { RoutingError } from './types.ts';
export { MinHeap } from './heap.ts';
