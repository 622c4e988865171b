/**
 * Login limits. Pure: time is passed in, no I/O. Every attempt is reserved
 * before the password is checked — in one synchronous step, so parallel
 * attempts count — and a success gives its reservation back.
 *
 * - {@link FailureLimiter}: a fixed window per key (an address's attempts).
 * - {@link Throttle}: progressive delays per key: a few attempts free, then
 *   each one waits twice as long as the one before, up to a cap. It slows a
 *   guesser down without ever locking the key out for good.
 * - {@link LoginGuard}: the rules of a password login — per user *and*
 *   address pair, per user from places the user never logged in from, and
 *   per address — plus the unlocks: a success, or an admin.
 */
export interface RateLimitRule {
  /** Attempts allowed per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Counts attempts per key in a fixed window and says when a key is blocked. */
export class FailureLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(readonly rule: RateLimitRule) {}

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number {
    const w = this.#windows.get(key);
    if (!w) return 0;
    if (now >= w.resetAt) {
      this.#windows.delete(key);
      return 0;
    }
    return w.count >= this.rule.limit ? Math.ceil((w.resetAt - now) / 1000) : 0;
  }

  /** Records one attempt for `key`. */
  fail(key: string, now: number): void {
    const w = this.#windows.get(key);
    if (!w || now >= w.resetAt) this.#windows.set(key, { count: 1, resetAt: now + this.rule.windowMs });
    else w.count += 1;
    if (this.#windows.size > 100_000) this.#sweep(now);
  }

  /** Checks and counts in one step: 0 when the attempt may go (and is counted), else the seconds to wait. */
  reserve(key: string, now: number): number {
    const wait = this.retryAfter(key, now);
    if (wait === 0) this.fail(key, now);
    return wait;
  }

  /** Gives one reserved attempt back (it succeeded). */
  release(key: string): void {
    const w = this.#windows.get(key);
    if (w && w.count > 0) w.count -= 1;
  }

  /** Forgets `key`. */
  clear(key: string): void {
    this.#windows.delete(key);
  }

  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (now >= w.resetAt) this.#windows.delete(key);
  }
}

export interface ThrottleRule {
  /** Attempts that go without delay. */
  readonly free: number;
  /** The first delay; each attempt after it doubles the delay. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A key with no attempt for this long starts afresh. */
  readonly forgetAfterMs: number;
}

interface Pace {
  count: number;
  nextAt: number;
  lastAt: number;
}

/** Progressive delays per key. */
export class Throttle {
  readonly #keys = new Map<string, Pace>();

  constructor(readonly rule: ThrottleRule) {}

  /** Seconds until `key` may try again, or 0. */
  retryAfter(key: string, now: number): number {
    const p = this.#keys.get(key);
    if (!p) return 0;
    if (now - p.lastAt >= this.rule.forgetAfterMs) {
      this.#keys.delete(key);
      return 0;
    }
    return now < p.nextAt ? Math.ceil((p.nextAt - now) / 1000) : 0;
  }

  /** Counts one attempt now (call only when {@link retryAfter} said 0). */
  count(key: string, now: number): void {
    let p = this.#keys.get(key);
    if (!p || now - p.lastAt >= this.rule.forgetAfterMs)
      this.#keys.set(key, (p = { count: 0, nextAt: 0, lastAt: now }));
    p.count += 1;
    p.lastAt = now;
    const over = p.count - this.rule.free;
    if (over >= 0) p.nextAt = now + Math.min(this.rule.maxDelayMs, this.rule.baseDelayMs * 2 ** Math.min(over, 30));
    if (this.#keys.size > 100_000) this.#sweep(now);
  }

  /** Attempts counted for `key` and not forgotten. */
  attempts(key: string): number {
    return this.#keys.get(key)?.count ?? 0;
  }

  clear(key: string): void {
    this.#keys.delete(key);
  }

  /** Forgets every key that starts with `prefix`. */
  clearPrefix(prefix: string): void {
    for (const key of this.#keys.keys()) if (key.startsWith(prefix)) this.#keys.delete(key);
  }

  #sweep(now: number): void {
    for (const [key, p] of this.#keys) if (now - p.lastAt >= this.rule.forgetAfterMs) this.#keys.delete(key);
  }
}

/** What {@link LoginGuard.begin} hands out: give it back to `succeeded` or `failed`. */
export interface LoginTicket {
  readonly user: string;
  readonly address: string;
}

const MINUTE = 60_000;

/**
 * A password login's limits. A user is keyed `tenant:username`, an address
 * is the client's (after PARLEY_TRUST_PROXY).
 *
 * - per user and address: 5 attempts free, then 1 s, 2 s, 4 s … up to 15 min;
 * - per user, from addresses the user has never logged in from: 20 free, then
 *   the same delays — so a spread-out attack slows to a crawl while the owner,
 *   at a place they logged in from before, is not held up at all;
 * - per address: 50 attempts in 15 minutes, whichever users they name.
 *
 * A success clears the delays of its place and of the user, and gives the
 * address's attempt back (another place's guesser keeps their delays); an
 * admin's unlock clears the user's delays everywhere.
 */
export class LoginGuard {
  readonly pair = new Throttle({ free: 5, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 15 * MINUTE });
  readonly user = new Throttle({ free: 20, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 15 * MINUTE });
  readonly address: FailureLimiter;
  /** Where each user logged in from lately, newest last. */
  readonly #known = new Map<string, string[]>();

  constructor(perAddress: RateLimitRule = { limit: 50, windowMs: 15 * MINUTE }) {
    this.address = new FailureLimiter(perAddress);
  }

  /** Reserves an attempt: a ticket, or the seconds to wait (nothing counted then). */
  begin(user: string, address: string, now: number): LoginTicket | { readonly retryAfter: number } {
    const pairKey = `${user}|${address}`;
    const known = this.isKnown(user, address);
    const wait = Math.max(
      this.pair.retryAfter(pairKey, now),
      known ? 0 : this.user.retryAfter(user, now),
      this.address.retryAfter(address, now),
    );
    if (wait > 0) return { retryAfter: wait };
    this.pair.count(pairKey, now);
    if (!known) this.user.count(user, now);
    this.address.fail(address, now);
    return { user, address };
  }

  /** The password was right: this place's and the user's delays are over, the address gets its attempt back. */
  succeeded(ticket: LoginTicket): void {
    this.pair.clear(`${ticket.user}|${ticket.address}`);
    this.user.clear(ticket.user);
    this.address.release(ticket.address);
    const places = (this.#known.get(ticket.user) ?? []).filter((a) => a !== ticket.address);
    places.push(ticket.address);
    this.#known.set(ticket.user, places.slice(-10));
    if (this.#known.size > 100_000) this.#known.delete(this.#known.keys().next().value as string);
  }

  /** An admin lifts the user's delays (the address limits stay). */
  unlock(user: string): void {
    this.pair.clearPrefix(`${user}|`);
    this.user.clear(user);
  }

  /** True when the user logged in from `address` lately. */
  isKnown(user: string, address: string): boolean {
    return this.#known.get(user)?.includes(address) ?? false;
  }
}
