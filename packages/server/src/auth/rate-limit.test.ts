import { describe, expect, it } from 'vitest';
import { FailureLimiter, LoginGuard, Throttle } from './rate-limit.ts';

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

  it('reserves before the check it guards, and a release gives one back', () => {
    const limiter = new FailureLimiter({ limit: 2, windowMs: 60_000 });
    expect([limiter.reserve('k', 0), limiter.reserve('k', 0), limiter.reserve('k', 0)]).toEqual([0, 0, 60]);
    limiter.release('k');
    expect(limiter.reserve('k', 0)).toBe(0);
    expect(limiter.reserve('k', 0)).toBe(60);
    limiter.clear('k');
    expect(limiter.retryAfter('k', 0)).toBe(0);
  });
});

describe('Throttle', () => {
  const rule = { free: 2, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000 };

  it.each([
    // [attempt times in ms, the wait each one is answered with (0: it went)]
    [
      [0, 0, 0],
      [0, 0, 1],
    ],
    [
      [0, 0, 1000, 1000, 3000, 3000],
      [0, 0, 0, 2, 0, 4],
    ],
    [
      [0, 0, 1000, 3000, 7000, 15_000, 23_000, 31_000],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ],
  ])('attempts at %j are answered %j', (times, waits) => {
    const t = new Throttle(rule);
    expect(
      times.map((now) => {
        const wait = t.retryAfter('k', now);
        if (wait === 0) t.count('k', now);
        return wait;
      }),
    ).toEqual(waits);
  });

  it('caps the delay and forgets a quiet key', () => {
    const t = new Throttle(rule);
    let now = 0;
    for (let i = 0; i < 20; i++) {
      now += t.retryAfter('k', now) * 1000;
      t.count('k', now);
    }
    expect(t.retryAfter('k', now)).toBe(8);
    expect(t.retryAfter('k', now + 60_000)).toBe(0);
    expect(t.attempts('k')).toBe(0);
  });
});

describe('LoginGuard', () => {
  it('counts parallel attempts of one pair before any of them is judged', () => {
    const guard = new LoginGuard();
    const answers = Array.from({ length: 60 }, () => guard.begin('t:ada', '198.51.100.7', 0));
    expect(answers.filter((a) => 'user' in a)).toHaveLength(5);
    expect(answers.filter((a) => 'retryAfter' in a)).toHaveLength(55);
  });

  it('limits an address to 50 attempts, whichever users it names', () => {
    const guard = new LoginGuard();
    const answers = Array.from({ length: 80 }, (_, i) => guard.begin(`t:user${i}`, '198.51.100.7', 0));
    expect(answers.filter((a) => 'user' in a)).toHaveLength(50);
  });

  it('slows a spread-out attack on one user, but not the owner at a known place, and an admin unlocks', () => {
    const guard = new LoginGuard();
    const home = '192.0.2.10';
    const ticket = guard.begin('t:ada', home, 0);
    if (!('user' in ticket)) throw new Error('the first login must go');
    guard.succeeded(ticket);
    // 40 addresses guess 5 times each.
    for (let a = 0; a < 40; a++) for (let i = 0; i < 5; i++) guard.begin('t:ada', `203.0.113.${a}`, 1000);
    expect(guard.begin('t:ada', '203.0.113.200', 1000)).toHaveProperty('retryAfter');
    // The owner at home is not held up; a new place is, until an admin unlocks.
    expect(guard.begin('t:ada', home, 1000)).toHaveProperty('user');
    expect(guard.begin('t:ada', '198.51.100.99', 1000)).toHaveProperty('retryAfter');
    guard.unlock('t:ada');
    expect(guard.begin('t:ada', '198.51.100.99', 1000)).toHaveProperty('user');
    // Other users are untouched throughout.
    expect(guard.begin('t:bob', '198.51.100.99', 1000)).toHaveProperty('user');
  });

  it('a success clears its own place and gives the address its attempt back; a guesser elsewhere keeps waiting', () => {
    const guard = new LoginGuard({ limit: 3, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) guard.begin('t:ada', 'evil', 0);
    const ok = guard.begin('t:ada', 'home', 0);
    if (!('user' in ok)) throw new Error('home must go');
    guard.succeeded(ok);
    expect(guard.begin('t:ada', 'evil', 0)).toHaveProperty('retryAfter');
    // home: 1 reserved and released, so 3 more go.
    expect([0, 1, 2, 3].map(() => 'user' in guard.begin(`t:u`, 'home', 0))).toEqual([true, true, true, false]);
  });
});
