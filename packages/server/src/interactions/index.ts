export type { InteractionState, InteractionAction, Direction } from './state-machine.ts';
export {
  INTERACTION_STATES,
  INTERACTION_ACTIONS,
  TERMINAL_STATES,
  InteractionError,
  initialState,
  transition,
  allowedActions,
} from './state-machine.ts';
export type { InteractionEvent } from './events.ts';
export { nextSeq, appendEvent, eventsSince, lastSeq } from './events.ts';
