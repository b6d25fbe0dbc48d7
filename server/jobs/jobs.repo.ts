/**
 * SQL for durable jobs. Jobs are platform rows (no tenant_id, no row-level security): a payload
 * names its tenant by id and the handler opens its own tenant transaction. Every moment is a
 * parameter from the caller's Clock, never the database's now(), so tests travel in time and all
 * nodes judge leases by the same rule. Timestamps go in as ISO text cast to timestamptz because
 * pg and PGlite serialise a Date parameter differently; rows come back through `toJobRow`, which
 * accepts what either driver returns.
 */

import { systemClock } from '../clock.ts';
import { type Orm, queryRows, sql, type Tx } from '../db/client.ts';
import { newId } from '../ids.ts';

/** A scalar that may appear in a payload. */
export type JobPayloadValue = string | number | boolean | null;

/**
 * What a job needs to find its work: ids and small flags only, never personal data (names,
 * addresses, e-mail addresses, amounts of a person). The jobs table is not encrypted, outlives
 * erasure of the records it points to, and its rows may appear in operator tooling.
 */
export type JobPayload = Readonly<Record<string, JobPayloadValue | readonly JobPayloadValue[]>>;

/** The life of a job: queued → running → done, or back to queued with backoff, or dead. */
export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

/** A job row as the scheduler sees it. */
export interface JobRow {
  id: string;
  kind: string;
  key: string;
  payload: JobPayload;
  status: JobStatus;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** What a caller asks for; `key` makes enqueueing idempotent. */
export interface EnqueueJobInput {
  /** The handler that runs it, e.g. `mail.send`. */
  kind: string;
  /** Unique for the work itself (e.g. `mail.send:<outbox id>`), so enqueueing twice adds one job. */
  key: string;
  /** Ids only, never personal data (see JobPayload). */
  payload: JobPayload;
  /** Not before this moment. */
  runAt: Date;
  /** Attempts before the job is declared dead; the table's default (10) when omitted. */
  maxAttempts?: number;
  /** When it was enqueued, from the caller's clock; the system clock when omitted (informational only). */
  now?: Date;
}

/** The identity of one claim: the same worker may claim the same job again after its lease expired. */
export interface JobClaim {
  id: string;
  workerId: string;
  attempt: number;
}

const iso = (d: Date) => d.toISOString();

/**
 * Adds a job in the caller's transaction, so the job exists exactly when the change that asked for
 * it commits. Returns false when a job with this key already exists (in any status: a finished job
 * still holds its key, which is what makes the key an idempotency key).
 */
export async function enqueueJob(tx: Tx | Orm, input: EnqueueJobInput): Promise<boolean> {
  const now = input.now ?? systemClock.now();
  const maxAttempts = input.maxAttempts ?? 10;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be ≥ 1');
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO jobs (id, kind, key, payload, status, run_at, max_attempts, created_at)
        VALUES (${newId(now)}, ${input.kind}, ${input.key}, ${JSON.stringify(input.payload)}::jsonb, 'queued',
                ${iso(input.runAt)}::timestamptz, ${maxAttempts}, ${iso(now)}::timestamptz)
        ON CONFLICT (key) DO NOTHING
        RETURNING id`,
  );
  return rows.length === 1;
}

/**
 * Claims the oldest due job of the given kinds: queued and due, or running under a lease that
 * expired (its worker died or hung). SKIP LOCKED lets concurrent claimers pass each other instead
 * of queueing on one row; the row lock plus the status recheck PostgreSQL does on a row changed
 * since the snapshot means two claimers never both win. Each claim counts as an attempt, so a job
 * that kills its process is not retried forever.
 */
export async function claimJob(
  tx: Tx | Orm,
  input: { kinds: readonly string[]; workerId: string; now: Date; lockedUntil: Date },
): Promise<JobRow | undefined> {
  if (input.kinds.length === 0) return undefined;
  const kinds = sql.join(
    input.kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const now = iso(input.now);
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`UPDATE jobs
           SET status = 'running', locked_by = ${input.workerId},
               locked_until = ${iso(input.lockedUntil)}::timestamptz, attempts = attempts + 1
         WHERE id = (
           SELECT id FROM jobs
            WHERE kind IN (${kinds})
              AND ((status = 'queued' AND run_at <= ${now}::timestamptz)
                OR (status = 'running' AND locked_until < ${now}::timestamptz))
            ORDER BY run_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING *`,
  );
  return rows[0] ? toJobRow(rows[0]) : undefined;
}

// Every update after a claim is guarded by the claim's worker and attempt: a worker whose lease
// was taken over (or that claimed the same job earlier) changes nothing.
const guard = (c: JobClaim) =>
  sql`id = ${c.id} AND locked_by = ${c.workerId} AND attempts = ${c.attempt} AND status = 'running'`;

/** Extends a lease while the handler runs; false when the claim is no longer ours. */
export async function renewJobLease(tx: Tx | Orm, claim: JobClaim, lockedUntil: Date): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`UPDATE jobs SET locked_until = ${iso(lockedUntil)}::timestamptz WHERE ${guard(claim)} RETURNING id`,
  );
  return rows.length === 1;
}

/** Marks a claimed job done; false when the claim is no longer ours. */
export async function completeJob(tx: Tx | Orm, claim: JobClaim, now: Date): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`UPDATE jobs
           SET status = 'done', finished_at = ${iso(now)}::timestamptz, locked_by = NULL, locked_until = NULL
         WHERE ${guard(claim)}
        RETURNING id`,
  );
  return rows.length === 1;
}

/** Puts a failed job back in the queue for `runAt`; false when the claim is no longer ours. */
export async function retryJob(
  tx: Tx | Orm,
  claim: JobClaim,
  input: { runAt: Date; errorCode: string },
): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`UPDATE jobs
           SET status = 'queued', run_at = ${iso(input.runAt)}::timestamptz, last_error = ${input.errorCode},
               locked_by = NULL, locked_until = NULL
         WHERE ${guard(claim)}
        RETURNING id`,
  );
  return rows.length === 1;
}

/** Gives up on a claimed job; false when the claim is no longer ours. */
export async function buryJob(
  tx: Tx | Orm,
  claim: JobClaim,
  input: { now: Date; errorCode: string },
): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`UPDATE jobs
           SET status = 'dead', finished_at = ${iso(input.now)}::timestamptz, last_error = ${input.errorCode},
               locked_by = NULL, locked_until = NULL
         WHERE ${guard(claim)}
        RETURNING id`,
  );
  return rows.length === 1;
}

/**
 * Requeues jobs left running by workers that no longer exist, keeping their attempt count. Only
 * safe where no other process can hold a lease (embedded PGlite, whose data directory is locked
 * to one process); on a server, expired leases are reclaimed by claimJob instead.
 */
export async function requeueAbandonedJobs(tx: Tx | Orm, liveWorkerIds: readonly string[]): Promise<number> {
  const live = liveWorkerIds.length
    ? sql`AND locked_by NOT IN (${sql.join(
        liveWorkerIds.map((w) => sql`${w}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await queryRows(
    tx,
    sql`UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL
         WHERE status = 'running' ${live}
        RETURNING id`,
  );
  return rows.length;
}

/** Finds a job by key (for operators and tests). */
export async function findJobByKey(tx: Tx | Orm, key: string): Promise<JobRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(tx, sql`SELECT * FROM jobs WHERE key = ${key}`);
  return rows[0] ? toJobRow(rows[0]) : undefined;
}

/** Lists the jobs of one kind, oldest first (for operators and tests). */
export async function listJobsByKind(tx: Tx | Orm, kind: string): Promise<JobRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`SELECT * FROM jobs WHERE kind = ${kind} ORDER BY created_at, id`,
  );
  return rows.map(toJobRow);
}

// Drivers disagree: PGlite returns timestamptz as Date, Drizzle's node-postgres session returns
// PostgreSQL's text ('2026-11-20 10:00:00+00'); int8 comes back as bigint or string. Accept all,
// so the scheduler never depends on the driver. The text form is rewritten to ISO 8601 because
// Date.parse of anything else is implementation-defined.
const PG_TIMESTAMPTZ = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d)(?::?(\d\d))?$/;

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const m = typeof v === 'string' ? PG_TIMESTAMPTZ.exec(v) : null;
  if (m) return new Date(`${m[1]}T${m[2]}${m[3] === 'Z' ? 'Z' : `${m[3]}:${m[4] ?? '00'}`}`);
  throw new TypeError('expected a timestamp');
}

const toDateOrNull = (v: unknown) => (v === null || v === undefined ? null : toDate(v));

function toInt(v: unknown): number {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number.parseInt(v, 10) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError('expected an integer');
  return n;
}

/** Maps a raw row from either driver to a JobRow. */
export function toJobRow(r: Record<string, unknown>): JobRow {
  return {
    id: String(r.id),
    kind: String(r.kind),
    key: String(r.key),
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as JobPayload,
    status: String(r.status) as JobStatus,
    runAt: toDate(r.run_at),
    attempts: toInt(r.attempts),
    maxAttempts: toInt(r.max_attempts),
    lockedBy: r.locked_by == null ? null : String(r.locked_by),
    lockedUntil: toDateOrNull(r.locked_until),
    lastError: r.last_error == null ? null : String(r.last_error),
    createdAt: toDate(r.created_at),
    finishedAt: toDateOrNull(r.finished_at),
  };
}
