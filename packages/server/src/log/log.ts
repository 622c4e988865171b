/**
 * Logging: pino, one child logger per subsystem. Secrets are redacted by
 * configuration so no code path can log them by accident.
 *
 * Levels: error = needs an operator; warn = a client or peer misbehaved;
 * info = lifecycle (start, stop, login, logout); debug = one line per ignored
 * message or request detail.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths removed from every log line, whatever the subsystem. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
  'headers.cookie',
  'body.Authorization',
  'body.password',
  '*.password',
  '*.token',
  'password',
  'token',
];

/** Creates the root logger; `destination` lets tests capture every line. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
