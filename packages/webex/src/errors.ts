/**
 * What every failed `webex.cc` call rejects with (and its `*Failed` event
 * carries): Parley's stable `code`, a message that says what to fix, and the
 * call's `trackingId`, in the shape of the Webex SDK's errors
 * (`{type, message, data, trackingId}`).
 */
import type { ErrorCode } from '@parley/protocol';

export class ContactCenterError extends Error {
  override name = 'ContactCenterError';
  readonly type: string;
  readonly data: { readonly code: ErrorCode; readonly reason: string; readonly trackingId: string };
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly trackingId: string,
    operation: string,
  ) {
    super(message);
    this.type = `${operation}Failed`;
    this.data = { code, reason: message, trackingId };
  }
}

/** A Parley CommandError (or anything thrown) as a ContactCenterError. */
export function toContactCenterError(err: unknown, trackingId: string, operation: string): ContactCenterError {
  if (err instanceof ContactCenterError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new ContactCenterError(
    typeof code === 'string' ? (code as ErrorCode) : 'internal',
    message,
    trackingId,
    operation,
  );
}
