/** Errors of the media plane, with stable codes the edges turn into 4xx answers. */
export type MediaErrorCode =
  'invalid_argument' | 'not_found' | 'unreachable' | 'invalid_state' | 'conflict' | 'rate_limited';

export class MediaError extends Error {
  override name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}
