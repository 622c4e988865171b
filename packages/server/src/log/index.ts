export type { Logger } from './log.ts';
export { createLogger, REDACT_PATHS } from './log.ts';
