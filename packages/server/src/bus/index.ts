export type { Bus, BusEvents, BusEventType, CustomerState } from './bus.ts';
export { InProcessBus } from './bus.ts';
