import type { ErrorCode } from '@parley/protocol';

/** Every failure of the SDK: a stable `code` (see docs/errors.md) and a message for people. */
export class ParleyError extends Error {
  override name = 'ParleyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** No answer arrived within the request timeout. */
  static timeout(command: string, ms: number): ParleyError {
    return new ParleyError('timeout', `The panel did not answer ${command} within ${ms} ms.`);
  }

  /** The panel was reloaded or removed while the request was pending. */
  static unavailable(): ParleyError {
    return new ParleyError('panel_unavailable', 'The panel is not loaded or was reloaded.');
  }
}
