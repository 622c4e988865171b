export type { Bus, BusEvents, BusEventType } from './bus.ts';
export { InProcessBus } from './bus.ts';
