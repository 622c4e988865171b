import { describe, expect, it } from 'vitest';
import { ERROR_CODE_NAMES, ERROR_CODES, isErrorCode, parseErrorPayload } from './errors.ts';

describe('error codes', () => {
  it('lists exactly the catalogued codes', () => {
    expect([...ERROR_CODE_NAMES].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('words a rate limit as a person would, not in seconds', async () => {
    const { CodedError } = await import('./errors.ts');
    expect(CodedError.rateLimited(871).message).toBe('Too many failed attempts. Try again in 15 minutes.');
    expect(CodedError.rateLimited(1).message).toBe('Too many failed attempts. Try again in 1 second.');
    expect(CodedError.rateLimited(7200, 'Enough for today').message).toBe('Enough for today. Try again in 2 hours.');
  });

  it('recognises codes and reads unknown ones as internal', () => {
    expect(isErrorCode('template_required')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(parseErrorPayload({ code: 'from_the_future', message: 'x' })).toEqual({ code: 'internal', message: 'x' });
  });
});

describe('CodedError', () => {
  it('carries a catalogued code, its status and the catalogue message by default', async () => {
    const { CodedError } = await import('./errors.ts');
    const e = CodedError.conflict('taken');
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.status, e.message]).toEqual(['conflict', 409, 'taken']);
    expect(new CodedError('not_found').message).toBe(ERROR_CODES.not_found.message);
  });
});
