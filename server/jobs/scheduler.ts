/**
 * The job runner: polls the jobs table, claims one due job at a time under a lease, runs its
 * handler and records the outcome. Delivery is at least once: a job whose process died (or whose
 * lease ran out while it hung) runs again, so every handler must be idempotent — check whether
 * its effect already happened, or make the effect itself keyed. What the database guarantees is
 * that no two workers hold the same claim at once and that only the current claim can finish a job.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import type { Services } from '../context.ts';
import type { Database } from '../db/client.ts';
import { inSystem } from '../db/transactions.ts';
import {
  buryJob,
  claimJob,
  completeJob,
  type JobClaim,
  type JobPayload,
  type JobRow,
  renewJobLease,
  requeueAbandonedJobs,
  retryJob,
} from './jobs.repo.ts';

/** What a handler receives about the job it runs. */
export interface JobInput {
  payload: JobPayload;
  jobId: string;
  /** 1 on the first run; higher after a failure or a crash. */
  attempt: number;
  /** Aborted when this worker lost the lease (another worker may now run the job): stop early. */
  signal: AbortSignal;
}

/** Does one kind of work. Must be idempotent: it may run again after a crash or a lost lease. */
export type JobHandler = (job: JobInput, services: Services) => Promise<void>;

/** Tuning for a runner; the defaults suit production. */
export interface JobRunnerOptions {
  /** How long a claim is valid without renewal; a dead worker's job waits this long on a server. */
  leaseMs?: number;
  /** Real-time pause between polls when nothing is due. */
  pollMs?: number;
  /** Identifies this worker in locked_by; random by default. */
  workerId?: string;
  /** A number in [0, 1) for backoff jitter; tests pin it. */
  random?: () => number;
}

const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 3_600_000;

/**
 * The delay before retry number `attempt + 1`: 30 s · 2^(attempt − 1), capped at 1 h, then
 * jittered down by up to half, so jobs that failed together (an SMTP outage) do not retry in
 * lockstep. The lower bound of each step equals the upper bound of the previous one, so the
 * backoff still grows.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_MS);
  return Math.round(base * (1 - 0.5 * random()));
}

const SAFE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * What last_error stores: a code or an error class name, never a message, which may quote a name
 * or an address. A code that does not look like a code is replaced by the class name.
 */
export function errorCode(err: unknown): string {
  if (err instanceof AppError && SAFE_CODE.test(err.code)) return err.code;
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    if (typeof code === 'string' && SAFE_CODE.test(code)) return code;
    return SAFE_CODE.test(err.name) ? err.name : 'Error';
  }
  return 'non_error';
}

// Worker ids of the runners alive in this process, per database: on embedded PGlite (one
// process per data directory) a running job of any other worker was left by a killed process.
const liveWorkers = new WeakMap<Database, Set<string>>();

/** Runs due jobs with registered handlers; one job at a time per runner. */
export class JobRunner {
  /** This worker's id, stored in locked_by while it holds a job. */
  readonly workerId: string;
  private readonly services: Services;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly random: () => number;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(services: Services, options: JobRunnerOptions = {}) {
    this.services = services;
    this.workerId = options.workerId ?? `w-${randomBytes(8).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.random = options.random ?? Math.random;
    const live = liveWorkers.get(services.db) ?? new Set<string>();
    live.add(this.workerId);
    liveWorkers.set(services.db, live);
  }

  /** Registers the handler of one kind; the runner claims only kinds it can handle. */
  register(kind: string, handler: JobHandler): this {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} registered twice`);
    this.handlers.set(kind, handler);
    return this;
  }

  /**
   * Requeues jobs a killed process left running. Only on embedded PGlite, where no other process
   * can be alive; on a server other nodes may still be working, so their jobs wait for the lease.
   */
  async recoverAbandoned(): Promise<number> {
    if (this.services.db.kind !== 'pglite') return 0;
    const live = [...(liveWorkers.get(this.services.db) ?? [])];
    const n = await inSystem(this.services.db, (tx) => requeueAbandonedJobs(tx, live));
    if (n > 0) this.services.log.info({ jobs: n }, 'requeued jobs abandoned by a previous process');
    return n;
  }

  /** Claims and runs at most one due job; true when one was claimed. */
  async runOnce(): Promise<boolean> {
    const now = this.services.clock.now();
    const job = await inSystem(this.services.db, (tx) =>
      claimJob(tx, {
        kinds: [...this.handlers.keys()],
        workerId: this.workerId,
        now,
        lockedUntil: new Date(now.getTime() + this.leaseMs),
      }),
    );
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  /** Runs due jobs one by one until none is due, `limit` ran, or stop() was called; returns how many. */
  async runDueJobs(limit = 100): Promise<number> {
    let n = 0;
    while (n < limit && !this.stopping && (await this.runOnce())) n++;
    return n;
  }

  /** Starts polling in the background: recovers abandoned jobs, then runs due jobs until stop(). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.poll();
  }

  /** Stops polling and waits for the job in progress to finish (the SIGTERM drain). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    liveWorkers.get(this.services.db)?.delete(this.workerId);
  }

  private async poll(): Promise<void> {
    const { log } = this.services;
    try {
      await this.recoverAbandoned();
    } catch (err) {
      log.error({ error: errorCode(err) }, 'could not recover abandoned jobs');
    }
    while (!this.stopping) {
      let ran = 0;
      try {
        ran = await this.runDueJobs();
      } catch (err) {
        // The database may be briefly away (failover, restart): keep polling rather than die.
        log.error({ error: errorCode(err) }, 'job poll failed');
      }
      if (ran === 0 && !this.stopping) await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      // stop() calls wake to end the pause at once instead of after pollMs.
      this.wake = done;
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private async execute(job: JobRow): Promise<void> {
    const { db, clock, log } = this.services;
    const claim: JobClaim = { id: job.id, workerId: this.workerId, attempt: job.attempts };
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts };
    // A job reclaimed after its lease expired counts the lost run as an attempt; one that keeps
    // killing its process must end, not loop forever.
    if (job.attempts > job.maxAttempts) {
      await inSystem(db, (tx) => buryJob(tx, claim, { now: clock.now(), errorCode: 'lease_expired' }));
      log.warn(fields, 'job dead: its lease expired on the last attempt');
      return;
    }
    const handler = this.handlers.get(job.kind);
    if (!handler) throw new Error(`claimed a job of unregistered kind ${job.kind}`);

    const lost = new AbortController();
    // Renew in real time (timers), stamped by the injected clock, well before the lease ends.
    const heartbeat = setInterval(
      () => {
        const until = new Date(clock.now().getTime() + this.leaseMs);
        inSystem(db, (tx) => renewJobLease(tx, claim, until)).then(
          (ours) => {
            if (ours) return;
            clearInterval(heartbeat);
            lost.abort(new AppError('conflict', 'job_lease_lost', 'Job lease lost'));
          },
          (err: unknown) => log.warn({ ...fields, error: errorCode(err) }, 'job lease renewal failed'),
        );
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();

    let failure: unknown;
    let failed = false;
    try {
      await handler(
        { payload: job.payload, jobId: job.id, attempt: job.attempts, signal: lost.signal },
        this.services,
      );
    } catch (err) {
      failed = true;
      failure = err;
    } finally {
      clearInterval(heartbeat);
    }

    const now = clock.now();
    if (!failed) {
      const ours = await inSystem(db, (tx) => completeJob(tx, claim, now));
      if (!ours) log.warn(fields, 'job finished after its lease was taken over');
      return;
    }
    const code = errorCode(failure);
    if (job.attempts >= job.maxAttempts) {
      await inSystem(db, (tx) => buryJob(tx, claim, { now, errorCode: code }));
      log.error({ ...fields, error: code }, 'job dead after its last attempt');
    } else {
      const runAt = new Date(now.getTime() + backoffMs(job.attempts, this.random));
      await inSystem(db, (tx) => retryJob(tx, claim, { runAt, errorCode: code }));
      log.warn({ ...fields, error: code }, 'job failed, will retry');
    }
  }
}
