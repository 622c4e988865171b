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
