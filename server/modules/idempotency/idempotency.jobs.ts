/**
 * Removing expired idempotency keys (ADR 0023). A stored response holds personal data and is
 * kept for 24 hours only, also when the business never sends another key: reserving a key
 * enqueues a purge of that business's keys for the hour after it expires. The job key holds the
 * business and that hour, so a busy business gets one purge an hour, not one per request.
 */
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { JobRunner } from '../../jobs/scheduler.ts';
import { purgeExpiredKeys } from './idempotency.repo.ts';

/** The job kind. */
export const PURGE_JOB = 'idempotency.purge';

const HOUR_MS = 60 * 60 * 1000;

/** Enqueues, in the caller's transaction, a purge that runs in the hour after `expiresAt`. */
export async function enqueueKeyPurge(tx: Tx, tenantId: string, expiresAt: Date, now: Date): Promise<void> {
  const hour = Math.ceil(expiresAt.getTime() / HOUR_MS);
  await enqueueJob(tx, {
    kind: PURGE_JOB,
    key: `${PURGE_JOB}:${tenantId}:${hour}`,
    payload: { tenantId },
    runAt: new Date(hour * HOUR_MS),
    now,
  });
}

/** Registers the purge handler; idempotent, since deleting what expired twice deletes nothing more. */
export function registerIdempotencyJobs(runner: JobRunner): JobRunner {
  return runner.register(PURGE_JOB, async (job, services) => {
    const { tenantId } = job.payload;
    if (typeof tenantId !== 'string') throw new Error('bad idempotency purge payload');
    await inTenant(services.db, tenantId, async (tx) =>
      purgeExpiredKeys(tx, await services.keyring.forTenant(tx, tenantId), services.clock.now()),
    );
  });
}
