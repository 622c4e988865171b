import { describe, expect, it } from 'vitest';
import { ERROR_CODE_NAMES, ERROR_CODES, isErrorCode, parseErrorPayload } from './errors.ts';

describe('error codes', () => {
  it('lists exactly the catalogued codes', () => {
    expect([...ERROR_CODE_NAMES].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('recognises codes and reads unknown ones as internal', () => {
    expect(isErrorCode('template_required')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(parseErrorPayload({ code: 'from_the_future', message: 'x' })).toEqual({ code: 'internal', message: 'x' });
  });
});
