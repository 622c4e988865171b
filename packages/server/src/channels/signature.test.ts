import { describe, expect, it } from 'vitest';
import { signRequest, verifyRequest } from './signature.ts';

describe('webhook signatures', () => {
  // The example of the widely used provider's documentation (auth token 12345).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };

  it('computes the documented signature', () => {
    expect(signRequest('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('accepts the right signature and nothing else', () => {
    const signature = signRequest('12345', url, params);
    expect(verifyRequest('12345', url, params, signature)).toBe(true);
    expect(verifyRequest('12346', url, params, signature)).toBe(false);
    expect(verifyRequest('12345', url, { ...params, Digits: '1235' }, signature)).toBe(false);
    expect(verifyRequest('12345', `${url}&x=1`, params, signature)).toBe(false);
    expect(verifyRequest('12345', url, params, undefined)).toBe(false);
    expect(verifyRequest('12345', url, params, 'short')).toBe(false);
  });
});
