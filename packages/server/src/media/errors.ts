import { CodedError } from '@parley/protocol';

/** Errors of the media plane, with stable codes the edges turn into 4xx answers. */
export type MediaErrorCode =
  'invalid_argument' | 'not_found' | 'unreachable' | 'invalid_state' | 'conflict' | 'rate_limited';

/** A media plane failure; its code is one of {@link MediaErrorCode}. */
export class MediaError extends CodedError {
  override name = 'MediaError';
  declare readonly code: MediaErrorCode;
}
