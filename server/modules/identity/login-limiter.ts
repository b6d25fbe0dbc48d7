/**
 * Brute-force protection for sign-in (Identity point 5): failures are counted per account (by the
 * blind index of the typed address, so unknown addresses are counted exactly like known ones and
 * the answer never tells them apart) and per client address, in a sliding window. Counters live in
 * the process, like the app's other rate limits; with several nodes each node keeps its own.
 */
import type { Clock } from '../../clock.ts';

/** The limits: failures allowed per window before 429. */
export const LOGIN_LIMITS = {
  perAccount: 5,
  perAddress: 20,
  windowMs: 15 * 60_000,
} as const;

/** Counts failed sign-ins and says when a key is blocked. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  private recent(key: string): number[] {
    const since = this.clock.now().getTime() - LOGIN_LIMITS.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds until the account or address may try again, or 0 when it may now. */
  retryAfter(accountKey: string, address: string): number {
    const checks: [string, number][] = [
      [`a:${accountKey}`, LOGIN_LIMITS.perAccount],
      [`i:${address}`, LOGIN_LIMITS.perAddress],
    ];
    let wait = 0;
    for (const [key, max] of checks) {
      const list = this.recent(key);
      if (list.length >= max) {
        const oldest = list[list.length - max] ?? 0;
        wait = Math.max(wait, oldest + LOGIN_LIMITS.windowMs - this.clock.now().getTime());
      }
    }
    return Math.ceil(wait / 1000);
  }

  /** Records one failure for both the account and the address. */
  fail(accountKey: string, address: string): void {
    const now = this.clock.now().getTime();
    for (const key of [`a:${accountKey}`, `i:${address}`]) this.failures.set(key, [...this.recent(key), now]);
  }

  /** Clears the account's failures after a successful sign-in (the address keeps its count). */
  succeed(accountKey: string): void {
    this.failures.delete(`a:${accountKey}`);
  }
}
