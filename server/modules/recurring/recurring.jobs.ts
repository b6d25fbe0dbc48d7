/**
 * The durable job that produces a schedule's occurrences. Each due date becomes exactly one invoice:
 * the occurrence row (primary key tenant, schedule, date), the draft, the schedule's move to its next
 * date and the job for that date are written in one transaction, under the schedule's row lock. In
 * `issue` mode a second transaction issues the draft and marks the occurrence issued; a crash between
 * the two leaves a `pending_issue` occurrence that the next run issues before anything else. A run
 * that finds nothing due ends, so a job that runs twice, or late, or after a restart, changes nothing
 * twice; dates missed while the server was down are all due at once and produced in date order.
 * See docs/adr/0022-payments-and-recurring-invoices.md.
 */
import { AppError } from '../../../domain/errors.ts';
import { type Ctx, type Services, SYSTEM } from '../../context.ts';
import { newId } from '../../ids.ts';
import type { JobRunner } from '../../jobs/scheduler.ts';
import { createInvoiceIn, findInvoiceStatus, issueInTransaction } from '../invoices/index.ts';
import type { Occurrence, Schedule } from './recurring.model.ts';
import {
  claimOccurrence,
  findSchedule,
  listOccurrences,
  saveSchedule,
  setOccurrenceState,
} from './recurring.repo.ts';
import { dateAt, dutchDate, enqueueRun, RUN_JOB } from './recurring.rules.ts';
import { inRecurringTx, type Step } from './recurring.tx.ts';

/** At most this many occurrences per run; the job for the next date, already due, carries on. */
const MAX_PER_RUN = 50;

/** Registers the recurring job's handler on a runner (main.ts, and tests with their own runner). */
export function registerRecurringJobs(runner: JobRunner): JobRunner {
  return runner.register(RUN_JOB, async (job, services) => {
    const { tenantId, scheduleId } = job.payload;
    if (typeof tenantId !== 'string' || typeof scheduleId !== 'string')
      throw new Error('bad recurring payload');
    await runSchedule(services, tenantId, scheduleId, job.signal);
  });
}

/** The context the job acts in: the system, for one business. */
function systemCtx(services: Services, tenantId: string): Ctx {
  return { tenantId, actor: SYSTEM, requestId: null, ip: null, services };
}

/** What one transaction left to do. */
type Next = { kind: 'idle' } | { kind: 'created' } | { kind: 'issue'; occurrence: Occurrence };

/** A draft could not be made for a date (the customer is gone): the schedule pauses with the code. */
class OccurrenceRefused extends Error {
  readonly date: string;
  readonly code: string;
  constructor(date: string, code: string) {
    super(code);
    this.date = date;
    this.code = code;
  }
}

/**
 * Produces every due occurrence of one schedule, oldest first; returns how many dates it produced.
 * Safe to call any number of times, concurrently too: the schedule's row lock orders the calls.
 */
export async function runSchedule(
  services: Services,
  tenantId: string,
  scheduleId: string,
  signal?: AbortSignal,
): Promise<number> {
  const ctx = systemCtx(services, tenantId);
  let produced = 0;
  for (let i = 0; i < MAX_PER_RUN && !signal?.aborted; i++) {
    let next: Next;
    try {
      next = await inRecurringTx(ctx, (step) => produceNext(ctx, step, scheduleId));
    } catch (err) {
      if (!(err instanceof OccurrenceRefused)) throw err;
      await pauseForError(ctx, scheduleId, err);
      return produced;
    }
    if (next.kind === 'idle') return produced;
    if (next.kind === 'issue') await issueOccurrence(ctx, next.occurrence);
    produced++;
  }
  return produced;
}

/**
 * One step under the schedule's lock: a pending issue comes first (so numbers follow the dates);
 * otherwise the next date, if due, is claimed and its draft made, and the schedule moves on.
 */
async function produceNext(ctx: Ctx, step: Step, scheduleId: string): Promise<Next> {
  const { tx, keys, at } = step;
  const schedule = await findSchedule(tx, keys, scheduleId, { lock: true });
  if (!schedule) return { kind: 'idle' }; // deleted: its leftover jobs end here
  const [pending] = await listOccurrences(tx, keys, schedule.id, 'pending_issue');
  if (pending) return { kind: 'issue', occurrence: pending };
  const date = schedule.nextDate;
  if (schedule.status !== 'active' || !date || date > dutchDate(at)) {
    await enqueueRun(tx, keys.tenantId, schedule, at); // makes sure the next date has its job
    return { kind: 'idle' };
  }
  const occurrence: Occurrence = {
    scheduleId: schedule.id,
    date,
    invoiceId: newId(at),
    state: schedule.mode === 'issue' ? 'pending_issue' : 'created',
    errorCode: null,
  };
  const claimed = await claimOccurrence(tx, keys, occurrence, at);
  if (claimed) {
    try {
      await createInvoiceIn(ctx, { tx, keys, at }, draftOf(schedule, date), {
        id: occurrence.invoiceId,
        audit: { recurringId: schedule.id, occurrence: date },
      });
    } catch (err) {
      if (err instanceof AppError) throw new OccurrenceRefused(date, err.issues[0]?.code ?? err.code);
      throw err;
    }
  }
  const moved: Schedule = { ...schedule, lastDate: date, nextIndex: schedule.nextIndex + 1, updatedAt: at };
  moved.nextDate = dateAt(moved, moved.nextIndex);
  await saveSchedule(tx, keys, moved);
  await enqueueRun(tx, keys.tenantId, moved, at);
  return claimed && occurrence.state === 'pending_issue'
    ? { kind: 'issue', occurrence }
    : { kind: 'created' };
}

/**
 * The draft of one date. In `issue` mode it carries the occurrence date as its issue date (a date
 * caught up after downtime keeps its own date); a draft gets its date when the business issues it.
 */
function draftOf(s: Schedule, date: string) {
  return { ...s.template, customerId: s.customerId, issueDate: s.mode === 'issue' ? date : null };
}

/**
 * Issues a pending occurrence's draft and marks it issued, in one transaction (the schedule, then
 * the invoice, the series and the audit head: the order every use case locks in). A draft the
 * business already issued or deleted is only marked. An invoice that cannot be issued (its VAT does
 * not add up, the seller's details are missing) stays a draft, marked `issue_failed` with the code.
 */
async function issueOccurrence(ctx: Ctx, occurrence: Occurrence): Promise<void> {
  try {
    await inRecurringTx(ctx, async (step) => {
      const { tx, keys, at } = step;
      if (!(await stillPending(step, occurrence))) return;
      const status = await findInvoiceStatus(tx, keys, occurrence.invoiceId);
      if (status === 'draft') await issueInTransaction(ctx, tx, keys, occurrence.invoiceId);
      const state = status === undefined ? 'issue_failed' : 'issued';
      await setOccurrenceState(
        tx,
        keys,
        occurrence,
        state,
        status === undefined ? 'invoice_deleted' : null,
        at,
      );
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err; // the database or the blob store: the job retries
    const code = err.issues[0]?.code ?? err.code;
    await inRecurringTx(ctx, async (step) => {
      const { tx, keys, at, record } = step;
      if (!(await stillPending(step, occurrence))) return;
      await setOccurrenceState(tx, keys, occurrence, 'issue_failed', code, at);
      const schedule = await findSchedule(tx, keys, occurrence.scheduleId);
      if (schedule) await saveSchedule(tx, keys, { ...schedule, lastError: code, updatedAt: at });
      await record('recurring.occurrence_failed', occurrence.scheduleId, {
        occurrence: occurrence.date,
        invoiceId: occurrence.invoiceId,
        code,
      });
    });
  }
}

/** Locks the schedule and tells whether the occurrence still waits to be issued. */
async function stillPending(step: Step, occurrence: Occurrence): Promise<boolean> {
  const schedule = await findSchedule(step.tx, step.keys, occurrence.scheduleId, { lock: true });
  if (!schedule) return false;
  const pending = await listOccurrences(step.tx, step.keys, schedule.id, 'pending_issue');
  return pending.some((o) => o.date === occurrence.date);
}

/** Pauses a schedule whose next date cannot become a draft, recording why. */
async function pauseForError(ctx: Ctx, scheduleId: string, refused: OccurrenceRefused): Promise<void> {
  await inRecurringTx(ctx, async ({ tx, keys, at, record }) => {
    const schedule = await findSchedule(tx, keys, scheduleId, { lock: true });
    if (schedule?.status !== 'active' || schedule.nextDate !== refused.date) return;
    const paused: Schedule = {
      ...schedule,
      status: 'paused',
      lastError: refused.code,
      version: schedule.version + 1,
      updatedAt: at,
    };
    await saveSchedule(tx, keys, paused);
    await record('recurring.occurrence_failed', scheduleId, { occurrence: refused.date, code: refused.code });
  });
}
