/**
 * The dialect's own log: the last calls, their outcomes and the events the
 * host was sent, kept in memory for `cc.uploadLogs()` (Webex's "upload logs
 * for troubleshooting"). Secrets never enter it: tokens are not logged, and
 * anything that looks like one (a long opaque string, a bearer header) is
 * masked on the way in.
 */
import { redactSecrets } from '@parley/protocol';

export interface LogEntry {
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

/** How many entries are kept (and uploaded at most). */
export const LOG_LIMIT = 500;
const MESSAGE_LIMIT = 2000;

/** The protocol's masking (kept under its old name for the dialect's exports). */
export const redact = redactSecrets;

export class ClientLog {
  readonly #entries: LogEntry[] = [];

  add(level: LogEntry['level'], message: string): void {
    this.#entries.push({ at: new Date().toISOString(), level, message: redact(message).slice(0, MESSAGE_LIMIT) });
    if (this.#entries.length > LOG_LIMIT) this.#entries.splice(0, this.#entries.length - LOG_LIMIT);
  }

  entries(): LogEntry[] {
    return [...this.#entries];
  }
}
