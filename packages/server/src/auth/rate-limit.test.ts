import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit.ts';

describe('FailureLimiter', () => {
  it('blocks a key after the limit until the window ends', () => {
    const limiter = new FailureLimiter({ limit: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('k', 1000)).toBe(0);
      limiter.fail('k', 1000);
    }
    expect(limiter.retryAfter('k', 1000)).toBe(60);
    expect(limiter.retryAfter('k', 31_000)).toBe(30);
    expect(limiter.retryAfter('other', 31_000)).toBe(0);
    expect(limiter.retryAfter('k', 61_000)).toBe(0);
  });

  it('forgets a key on success', () => {
    const limiter = new FailureLimiter({ limit: 1, windowMs: 60_000 });
    limiter.fail('k', 0);
    expect(limiter.retryAfter('k', 0)).toBeGreaterThan(0);
    limiter.clear('k');
    expect(limiter.retryAfter('k', 0)).toBe(0);
  });
});
