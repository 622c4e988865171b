/**
 * @parley/protocol — the wire contracts shared by the SDK, the panel, the
 * widget and the server. Types plus runtime guards; no I/O.
 */
export type { Brand, InteractionId, UserId, TenantId, QueueId } from './ids.ts';
export {
  idFrom,
  isHexId,
  optionalIdFrom,
  parseInteractionId,
  parseUserId,
  parseTenantId,
  parseQueueId,
} from './ids.ts';

export type { ErrorCode, ErrorPayload } from './errors.ts';
export { ERROR_CODES, ERROR_CODE_NAMES, CodedError, isErrorCode, parseErrorPayload, isRecord } from './errors.ts';

export type {
  ChannelType,
  WorkStatus,
  Role,
  PresenceProfile,
  User,
  AgentPreferences,
  Queue,
  Interaction,
  Contact,
  Message,
  Attachment,
  MessageStatus,
} from './objects.ts';
export { CHANNEL_TYPES, WORK_STATUSES, ROLES, MESSAGE_STATUSES } from './objects.ts';
export type {
  Customer,
  CustomerIdentity,
  CustomerCard,
  CustomerHistoryEntry,
  Note,
  CannedResponse,
  MissedEntry,
  ConferenceParty,
} from './customers.ts';

export type {
  Command,
  DetailSubject,
  Credentials,
  InitRequest,
  ActionPayload,
  ActionRequest,
  HostMessage,
  InitResponse,
  ResponseMessage,
  StatePayload,
  CallQuality,
  StatusPayload,
  AgentStateChange,
  StateMessage,
  StatusMessage,
  PanelMessage,
} from './host.ts';
export {
  INIT_ID,
  PROTOCOL_VERSION,
  COMMANDS,
  DETAIL_SUBJECTS,
  isCommand,
  parseHostMessage,
  parsePanelMessage,
  parseCredentials,
} from './host.ts';

export type {
  ServerEventMap,
  AgentState,
  QueueLoad,
  ServerEventType,
  ServerEvent,
  ClientRequestMap,
  ClientRequestType,
  ClientRequest,
  ServerReply,
  ServerFrame,
  RestTunnelRequest,
  SessionEnd,
} from './ws.ts';
export {
  forcedLogoutReason,
  parseSessionEnd,
  MAX_CLIENT_FRAME_BYTES,
  isTunnelMethod,
  parseClientRequest,
  parseServerFrame,
  tunnelPathProblem,
} from './ws.ts';

export type {
  InteractionEventDetails,
  InteractionEventName,
  InteractionEventOf,
  InteractionFrame,
  EventDetail,
  EndCause,
  TransferTarget,
  WithdrawReason,
} from './events.ts';

export { MAX_JSON_DEPTH, nulIn } from './input.ts';

export type { InteractionState, TerminalState, OpenState, AgentActionName, MonitorMode } from './vocabulary.ts';
export {
  INTERACTION_STATES,
  TERMINAL_STATES,
  OPEN_STATES,
  AGENT_ACTIONS,
  MONITOR_MODES,
  isInteractionState,
  isTerminalState,
  isAgentAction,
} from './vocabulary.ts';

export type {
  CustomerState,
  CustomerStanding,
  CustomerFrameMap,
  CustomerFrameType,
  CustomerFrame,
  PhoneClientFrame,
  PhoneServerFrame,
} from './customer.ts';
export { parseCustomerFrame, parsePhoneServerFrame } from './customer.ts';

export type { ChannelTraits, ExternalChannel } from './channels.ts';
export { CHANNEL_TRAITS, EXTERNAL_CHANNELS, isExternalChannel } from './channels.ts';

export type { AgentEventMap, AgentEventSink } from './agent-events.ts';
export { emitState, emitStatus } from './agent-events.ts';
export { Emitter, type EventMap } from './emitter.ts';
export { redactSecrets } from './redact.ts';
export type {
  AgentRow,
  AgentWork,
  ConsoleEvent,
  ConsoleEventMap,
  ConsoleEventType,
  QueueBoard,
  QueueDayStats,
  WaitingRow,
} from './supervision.ts';
