/**
 * The one catalogue of error codes. Each code is a stable string that crosses
 * postMessage, WebSocket and HTTP unchanged; `status` is the HTTP status the
 * server answers with. Documented in docs/errors.md.
 */
export const ERROR_CODES = {
  invalid_argument: { status: 400, message: 'The request is malformed or a value is out of range.' },
  unauthorized: { status: 401, message: 'The credentials were not accepted.' },
  not_logged_in: { status: 401, message: 'No agent is logged in to the panel.' },
  token_expired: { status: 401, message: 'The token expired and no new one came in time.' },
  forbidden: { status: 403, message: 'You are not allowed to do this.' },
  not_found: { status: 404, message: 'No such resource.' },
  invalid_state: { status: 409, message: 'The action is not allowed in the current state.' },
  conflict: { status: 409, message: 'The name, number or address is already in use.' },
  template_required: {
    status: 409,
    message: "WhatsApp allows free text only within 24 hours of the customer's last message; send a template.",
  },
  too_large: { status: 413, message: 'The upload or message is larger than allowed.' },
  unreachable: { status: 422, message: 'The destination cannot be reached.' },
  upstream_error: { status: 502, message: 'A provider or mail relay did not take the message.' },
  rate_limited: { status: 429, message: 'Too many attempts; retry later.' },
  unsupported: { status: 501, message: 'This command is not supported by this panel version.' },
  timeout: { status: 504, message: 'No answer arrived in time.' },
  panel_unavailable: { status: 503, message: 'The panel is not loaded or was reloaded.' },
  origin_not_allowed: { status: 403, message: "This page's origin may not embed the panel." },
  internal: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code from {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error as it travels on the wire: a stable code and a human-readable message. */
export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * The codes alone, so that code which only recognises codes (the SDK) does
 * not carry the catalogue's messages along; a test keeps both in step.
 */
export const ERROR_CODE_NAMES: readonly ErrorCode[] = (
  'invalid_argument unauthorized not_logged_in token_expired forbidden not_found invalid_state conflict template_required too_large ' +
  'unreachable upstream_error rate_limited unsupported timeout panel_unavailable origin_not_allowed internal'
).split(' ') as ErrorCode[];

/** True when `value` is one of the catalogued error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ERROR_CODE_NAMES.includes(value as ErrorCode);
}

/**
 * Reads an error payload from the wire. Unknown codes become `internal` so a
 * newer server never breaks an older client.
 */
export function parseErrorPayload(value: unknown): ErrorPayload | null {
  if (!isRecord(value) || typeof value['message'] !== 'string') return null;
  const code = value['code'];
  return { code: isErrorCode(code) ? code : 'internal', message: value['message'] };
}

/** True for plain objects (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An error with a stable code from the catalogue. Domain code throws it (or
 * a subclass); the HTTP layer only maps its code to the catalogue's status,
 * and the WebSocket gateways put the same code in their error frames.
 */
export class CodedError extends Error {
  override name = 'CodedError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    /** For `rate_limited`: when a retry can succeed (HTTP answers it as `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The HTTP status the catalogue gives the code. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  static unauthorized(message = 'Invalid username or password.'): CodedError {
    return new CodedError('unauthorized', message);
  }
  static rateLimited(retryAfterSeconds: number, what = 'Too many failed attempts'): CodedError {
    return new CodedError(
      'rate_limited',
      `${what}. Try again in ${waitInWords(retryAfterSeconds)}.`,
      retryAfterSeconds,
    );
  }
  static invalidArgument(message: string): CodedError {
    return new CodedError('invalid_argument', message);
  }
  static forbidden(message?: string): CodedError {
    return new CodedError('forbidden', message);
  }
  static notFound(message: string): CodedError {
    return new CodedError('not_found', message);
  }
  static invalidState(message: string): CodedError {
    return new CodedError('invalid_state', message);
  }
  static conflict(message: string): CodedError {
    return new CodedError('conflict', message);
  }
  static unreachable(message: string): CodedError {
    return new CodedError('unreachable', message);
  }
}

/** A wait as a person says it: "40 seconds", "15 minutes", "2 hours" (rounded up). */
export function waitInWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return unit(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), 'minute');
  return unit(Math.ceil(seconds / 3600), 'hour');
}
