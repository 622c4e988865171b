/**
 * The Webex Contact Center dialect: `window.Webex` and `webex.cc` as the
 * Webex JS SDK documents them, built on the headless agent client
 * (@parley/agent). docs/dialects/webex.md maps every method and event.
 */
export { Webex, type WebexOptions } from './webex.ts';
export { ContactCenter, type Credentials } from './contact-center.ts';
export { Task, type TaskResponse } from './task.ts';
export { ContactCenterError } from './errors.ts';
export { EventEmitter } from './events.ts';
export { redact, LOG_LIMIT, type LogEntry } from './log.ts';
export {
  profileOf,
  stateChangeOf,
  taskDataOf,
  targetOf,
  findCode,
  interactionStateOf,
  MEDIA_TYPE,
  LOGIN_OPTIONS,
  type Profile,
  type StateChange,
  type TaskData,
  type LoginOption,
} from './mapping.ts';
