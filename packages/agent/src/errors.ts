/** The error every agent-client call fails with: a stable code from the catalogue and a message that says what to fix. */
import { ERROR_CODES, type ErrorCode } from '@parley/protocol';

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
  ) {
    super(message);
  }
}
