import { describe, expect, it } from 'vitest';
import { encodeBasicAuthorization, parseBasicAuthorization } from './basic.ts';

describe('parseBasicAuthorization', () => {
  it('decodes UTF-8 credentials and keeps colons in the password', () => {
    expect(parseBasicAuthorization(encodeBasicAuthorization('jürgen', 'pä:ss wörd'))).toEqual({
      ok: true,
      username: 'jürgen',
      password: 'pä:ss wörd',
    });
  });

  it.each([
    [undefined, /required/],
    ['', /required/],
    ['Bearer abc', /must be "Basic "/],
    ['Basic !!!', /must be "Basic "/],
    [`Basic ${Buffer.from('nocolon').toString('base64')}`, /user:password/],
    [`Basic ${Buffer.from(':pw').toString('base64')}`, /non-empty user/],
    [`Basic ${Buffer.from('user:').toString('base64')}`, /password is empty/],
    [`Basic ${Buffer.from([0x75, 0x3a, 0xff, 0xfe]).toString('base64')}`, /UTF-8/],
    ['Basic ' + 'a'.repeat(2000), /too long/],
  ])('refuses %j', (field, message) => {
    const result = parseBasicAuthorization(field);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
