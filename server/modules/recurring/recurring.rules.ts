/**
 * Where a schedule stands: its rule, the next occurrence under it, and when the job that produces
 * that occurrence is due. Shared by the use cases (create, change, resume) and the job.
 */
import { addYears, type IsoDate } from '../../../domain/dates.ts';
import {
  FREQUENCIES,
  firstIndexAfter,
  firstIndexOnOrAfter,
  occurrenceDate,
  type RecurrenceRule,
} from '../../../domain/recurrence.ts';
import type { Tx } from '../../db/client.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { Frequency, Schedule } from './recurring.model.ts';

/** The job kind that produces a schedule's due occurrences. */
export const RUN_JOB = 'recurring.run';

/** The rule a frequency stands for; `custom` brings its own interval. */
export function ruleOf(frequency: Frequency, interval: RecurrenceRule | null | undefined): RecurrenceRule {
  if (frequency === 'custom') {
    if (!interval) throw new Error('a custom frequency needs its interval (validated before)');
    return interval;
  }
  return FREQUENCIES[frequency];
}

/** The occurrence `index` of a schedule, or null when it falls after the end date. */
export function dateAt(
  s: Pick<Schedule, 'interval' | 'startDate' | 'endDate'>,
  index: number,
): IsoDate | null {
  const date = occurrenceDate(s.interval, s.startDate, index);
  return s.endDate && date > s.endDate ? null : date;
}

/** Sets the next occurrence to the first one after the last produced date (or the start). */
export function recomputeNext(s: Schedule): void {
  s.nextIndex = s.lastDate ? firstIndexAfter(s.interval, s.startDate, s.lastDate) : 0;
  s.nextDate = dateAt(s, s.nextIndex);
}

/** Skips to the first occurrence on or after `today` (resuming: a paused period is not billed). */
export function skipTo(s: Schedule, today: IsoDate): void {
  s.nextIndex = Math.max(s.nextIndex, firstIndexOnOrAfter(s.interval, s.startDate, today));
  s.nextDate = dateAt(s, s.nextIndex);
}

/** Today's date in the Netherlands at a moment: occurrence dates, like invoice dates, are Dutch. */
export function dutchDate(at: Date): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(at);
}

/** The moment a date begins in the Netherlands, where invoice dates live. */
export function startOfDutchDay(date: IsoDate): Date {
  // Amsterdam is UTC+1 or UTC+2, and midnight is never inside a DST change: one of these is it.
  for (const offsetHours of [2, 1]) {
    const candidate = new Date(Date.parse(`${date}T00:00:00Z`) - offsetHours * 3_600_000);
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(candidate);
    if (local === date) return candidate;
  }
  throw new Error(`no Dutch midnight for ${date}`);
}

/** The earliest start date a new schedule may have: a year back, so a typo cannot bill a decade. */
export function earliestStart(today: IsoDate): IsoDate {
  return addYears(today, -1);
}

/**
 * Enqueues the job that produces the schedule's next occurrence, in the caller's transaction, due at
 * the start of that date. Its key names the schedule, its version and the date, so enqueueing again
 * for the same state adds nothing, and every change (a new version) gets a job of its own; a job
 * left over from an older state finds nothing due and ends.
 */
export async function enqueueRun(tx: Tx, tenantId: string, s: Schedule, now: Date): Promise<void> {
  if (s.status !== 'active' || !s.nextDate) return;
  await enqueueJob(tx, {
    kind: RUN_JOB,
    key: `${RUN_JOB}:${s.id}:v${s.version}:${s.nextDate}`,
    payload: { tenantId, scheduleId: s.id },
    runAt: startOfDutchDay(s.nextDate),
    // Backoff is capped at an hour: 30 attempts keep retrying for about a day before giving up.
    maxAttempts: 30,
    now,
  });
}
