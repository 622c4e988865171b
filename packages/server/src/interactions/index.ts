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
export { nextSeq, appendEvent, eventLog, eventsSince, lastSeq } from './events.ts';
export type { InteractionRecord, Target } from './records.ts';
export { toWire, findInteraction, conferenceParties } from './records.ts';
export type {
  Actor,
  AgentAction,
  InboundInput,
  OutboundInput,
  RemoteEvent,
  TargetInput,
  WaitingEntry,
  ConversationView,
  InboundMessageInput,
  MessageInput,
  OutgoingMessage,
} from './inputs.ts';
export { Desk, type DeskOptions } from './desk.ts';
export { MAX_WRAPUP_SECONDS } from './rules.ts';
export type { InteractionServiceOptions } from './service.ts';
export { InteractionService, REPLAY_LIMIT } from './service.ts';
export { listMissed } from './missed.ts';
export type { SupervisorActor, SuperviseOp } from './supervise.ts';
export type { DispatchOp } from './dispatch.ts';
