/**
 * Brute-force protection for sign-in (Identity point 5): failures are counted per account (by the
 * blind index of the typed address, so unknown addresses are counted exactly like known ones and
 * the answer never tells them apart) and per client address, in a sliding window. The counters
 * live in the database (`login_failures`), so every app node sees the same budget; a guesser
 * gains nothing by spreading attempts over nodes. Keys are stored only as keyed hashes, and time
 * comes from the injected clock.
 */
import { createHmac } from 'node:crypto';
import { and, desc, eq, gt, inArray, lte } from 'drizzle-orm';
import type { Services } from '../../context.ts';
import { inSystem } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { loginFailures } from './identity.tables.ts';

/** The limits: failures allowed per window before 429. */
export const LOGIN_LIMITS = {
  perAccount: 5,
  perAddress: 20,
  windowMs: 15 * 60_000,
} as const;

/** Every this many failures recorded by a process, all expired rows are deleted. */
const PURGE_EVERY = 100;

/** Counts failed sign-ins and says when a key is blocked. */
export class LoginLimiter {
  private readonly services: Services;
  private readonly secret: () => Promise<Buffer>;
  private writes = 0;

  /** `secret` keys the hashes under which accounts and addresses are stored. */
  constructor(services: Services, secret: () => Promise<Buffer>) {
    this.services = services;
    this.secret = secret;
  }

  private async hashed(key: string): Promise<Buffer> {
    return createHmac('sha256', await this.secret())
      .update(`login-failures\0${key}`)
      .digest();
  }

  private since(): Date {
    return new Date(this.services.clock.now().getTime() - LOGIN_LIMITS.windowMs);
  }

  /** Seconds until the account or address may try again, or 0 when it may now. */
  async retryAfter(accountKey: string, address: string): Promise<number> {
    const checks: [Buffer, number][] = [
      [await this.hashed(`a:${accountKey}`), LOGIN_LIMITS.perAccount],
      [await this.hashed(`i:${address}`), LOGIN_LIMITS.perAddress],
    ];
    const now = this.services.clock.now().getTime();
    let wait = 0;
    await inSystem(this.services.db, async (tx) => {
      for (const [key, max] of checks) {
        const rows = await tx
          .select({ at: loginFailures.failedAt })
          .from(loginFailures)
          .where(and(eq(loginFailures.key, key), gt(loginFailures.failedAt, this.since())))
          .orderBy(desc(loginFailures.failedAt))
          .limit(max);
        const oldest = rows[max - 1]?.at;
        if (oldest) wait = Math.max(wait, oldest.getTime() + LOGIN_LIMITS.windowMs - now);
      }
    });
    return Math.ceil(wait / 1000);
  }

  /** Records one failure for both the account and the address, and forgets their expired ones. */
  async fail(accountKey: string, address: string): Promise<void> {
    const keys = [await this.hashed(`a:${accountKey}`), await this.hashed(`i:${address}`)];
    const at = this.services.clock.now();
    await inSystem(this.services.db, async (tx) => {
      await tx
        .delete(loginFailures)
        .where(and(inArray(loginFailures.key, keys), lte(loginFailures.failedAt, this.since())));
      await tx.insert(loginFailures).values(keys.map((key) => ({ id: newId(at), key, failedAt: at })));
      // Keys that never fail again would keep their rows: now and then, forget every expired one.
      if (++this.writes % PURGE_EVERY === 0) {
        await tx.delete(loginFailures).where(lte(loginFailures.failedAt, this.since()));
      }
    });
  }

  /** Clears the account's failures after a successful sign-in (the address keeps its count). */
  async succeed(accountKey: string): Promise<void> {
    const key = await this.hashed(`a:${accountKey}`);
    await inSystem(this.services.db, (tx) => tx.delete(loginFailures).where(eq(loginFailures.key, key)));
  }
}
