/**
 * A fixed-window failure counter for logins. Pure: time is passed in.
 * Only failures count; a success clears the key.
 */
export interface RateLimitRule {
  /** Failures allowed per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Counts failures per key and says when a key is blocked. */
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

  /** Records one failure for `key`. */
  fail(key: string, now: number): void {
    const w = this.#windows.get(key);
    if (!w || now >= w.resetAt) this.#windows.set(key, { count: 1, resetAt: now + this.rule.windowMs });
    else w.count += 1;
    if (this.#windows.size > 100_000) this.#sweep(now);
  }

  /** Forgets `key` (after a successful login). */
  clear(key: string): void {
    this.#windows.delete(key);
  }

  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (now >= w.resetAt) this.#windows.delete(key);
  }
}
