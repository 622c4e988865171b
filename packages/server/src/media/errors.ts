import { CodedError } from '@parley/protocol';

/** A media plane failure (an unknown number, a busy call id, too many dials), with a catalogued code the edges answer. */
export class MediaError extends CodedError {
  override name = 'MediaError';
}
