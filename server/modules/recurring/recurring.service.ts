/**
 * Recurring invoices (issue 4, point 13): schedules per customer with a template, a frequency, a
 * start and an optional end, producing drafts or issued invoices. The use cases here keep the
 * schedule; the job in recurring.jobs.ts produces its occurrences. Every change bumps the version
 * and enqueues the job for the next occurrence in the same transaction
 * (docs/adr/0022-payments-and-recurring-invoices.md).
 */
import { type IsoDate, parseIsoDate } from '../../../domain/dates.ts';
import { AppError, type FieldIssue, invalidInput, notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { isUuid, newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { validateDraft } from '../invoices/index.ts';
import type {
  Occurrence,
  Schedule,
  ScheduleInput,
  SchedulePatch,
  ScheduleStatus,
} from './recurring.model.ts';
import {
  deleteSchedule,
  findSchedule,
  insertSchedule,
  listOccurrences,
  listScheduleRows,
  saveSchedule,
} from './recurring.repo.ts';
import { dutchDate, earliestStart, enqueueRun, recomputeNext, ruleOf, skipTo } from './recurring.rules.ts';
import { inRecurringTx, type Step } from './recurring.tx.ts';

const FREQUENCIES = ['monthly', 'quarterly', 'yearly', 'custom'];
const UNITS = ['day', 'week', 'month'];

/** Refuses changes by a read-only member (viewer); other roles and API clients pass to their scopes. */
function assertMayWrite(ctx: Ctx): void {
  if (ctx.access?.role === 'viewer')
    throw new AppError('forbidden', 'forbidden', 'Viewers cannot change schedules');
}

/**
 * Validates a whole schedule input (after a patch is applied) and returns the schedule's rule
 * fields. Every problem is reported at once; `startChanged` applies the one-year-back limit.
 */
function validate(input: ScheduleInput, today: IsoDate, startChanged: boolean) {
  const issues: FieldIssue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });
  if (!FREQUENCIES.includes(input.frequency))
    add('frequency', 'frequency_invalid', 'monthly, quarterly, yearly or custom');
  const custom = input.frequency === 'custom';
  const interval = custom ? input.interval : null;
  if (custom && !interval) add('interval', 'interval_required', 'A custom frequency needs an interval');
  if (
    interval &&
    (!UNITS.includes(interval.unit) ||
      !Number.isInteger(interval.count) ||
      interval.count < 1 ||
      interval.count > 366)
  ) {
    add('interval', 'interval_invalid', 'Every 1 to 366 days, weeks or months');
  }
  if (input.mode !== 'draft' && input.mode !== 'issue') add('mode', 'mode_invalid', 'draft or issue');
  const start = parseIsoDate(input.startDate);
  if (!start.ok) add('startDate', start.code, 'A date like 2026-11-20');
  else if (startChanged && start.value < earliestStart(today)) {
    add('startDate', 'start_date_too_early', 'At most a year back: every date since would be invoiced');
  }
  const end = input.endDate ? parseIsoDate(input.endDate) : null;
  if (end && !end.ok) add('endDate', end.code, 'A date like 2026-11-20');
  else if (end?.ok && start.ok && end.value < start.value)
    add('endDate', 'end_before_start', 'The end is before the start');
  try {
    // The template must make a valid draft for the customer; VAT consistency is checked at issuing.
    validateDraft({ ...input.template, customerId: input.customerId, lines: input.template?.lines ?? [] });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    for (const i of err.issues) {
      issues.push(i.path === 'customerId' ? i : { ...i, path: `template.${i.path}` });
    }
  }
  if (issues.length > 0) throw invalidInput(issues);
}

async function assertCustomer(step: Step, customerId: string): Promise<void> {
  // A customer of another business is as unknown as one that never existed.
  if (!(await findCustomer(step.tx, step.keys, customerId))) {
    throw invalidInput([{ path: 'customerId', code: 'customer_not_found', message: 'No such customer' }]);
  }
}

async function lockSchedule(step: Step, id: string): Promise<Schedule> {
  const schedule = isUuid(id) ? await findSchedule(step.tx, step.keys, id, { lock: true }) : undefined;
  if (!schedule) throw notFound('recurring_invoice');
  return schedule;
}

/** Creates a schedule and records `recurring.created`; its first occurrence is its start date. */
export async function createSchedule(ctx: Ctx, input: ScheduleInput): Promise<Schedule> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx);
  validate(input, dutchDate(ctx.services.clock.now()), true);
  return inRecurringTx(ctx, async (step) => {
    const { tx, keys, at, record } = step;
    await assertCustomer(step, input.customerId);
    const schedule: Schedule = {
      id: newId(at),
      customerId: input.customerId,
      template: { ...input.template, currency: input.template.currency ?? 'EUR' },
      frequency: input.frequency,
      interval: ruleOf(input.frequency, input.interval),
      startDate: input.startDate,
      endDate: input.endDate ?? null,
      mode: input.mode,
      status: 'active',
      nextIndex: 0,
      nextDate: null,
      lastDate: null,
      lastError: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    recomputeNext(schedule);
    await insertSchedule(tx, keys, schedule);
    await enqueueRun(tx, keys.tenantId, schedule, at);
    await record('recurring.created', schedule.id, { frequency: schedule.frequency, mode: schedule.mode });
    return schedule;
  });
}

function asInput(s: Schedule): ScheduleInput {
  const { customerId, template, frequency, interval, startDate, endDate, mode } = s;
  return { customerId, template, frequency, interval, startDate, endDate, mode };
}

/**
 * Changes a schedule (any subset; `template` replaces the template) and records `recurring.updated`.
 * Dates already produced are never produced again: the next occurrence is the first one after the
 * last produced date under the new rule. Invoices already made are not touched.
 */
export async function updateSchedule(ctx: Ctx, id: string, patch: SchedulePatch): Promise<Schedule> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx);
  return inRecurringTx(ctx, async (step) => {
    const { tx, keys, at, record } = step;
    const current = await lockSchedule(step, id);
    const merged: ScheduleInput = { ...asInput(current), ...patch };
    if (patch.frequency && patch.frequency !== 'custom' && patch.interval === undefined)
      merged.interval = null;
    validate(merged, dutchDate(at), patch.startDate !== undefined && patch.startDate !== current.startDate);
    if (merged.customerId !== current.customerId) await assertCustomer(step, merged.customerId);
    const next: Schedule = {
      ...current,
      customerId: merged.customerId,
      template: { ...merged.template, currency: merged.template.currency ?? 'EUR' },
      frequency: merged.frequency,
      interval: ruleOf(merged.frequency, merged.interval),
      startDate: merged.startDate,
      endDate: merged.endDate ?? null,
      mode: merged.mode,
      version: current.version + 1,
      updatedAt: at,
    };
    recomputeNext(next);
    await saveSchedule(tx, keys, next);
    await enqueueRun(tx, keys.tenantId, next, at);
    await record('recurring.updated', id, { fields: Object.keys(patch).sort().join(',') });
    return next;
  });
}

/** Pauses or resumes a schedule; resuming continues from today (a paused period is not invoiced). */
export async function setScheduleStatus(ctx: Ctx, id: string, status: ScheduleStatus): Promise<Schedule> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx);
  return inRecurringTx(ctx, async (step) => {
    const { tx, keys, at, record } = step;
    const current = await lockSchedule(step, id);
    if (current.status === status) return current;
    const next: Schedule = {
      ...current,
      status,
      lastError: null,
      version: current.version + 1,
      updatedAt: at,
    };
    if (status === 'active') skipTo(next, dutchDate(at));
    await saveSchedule(tx, keys, next);
    await enqueueRun(tx, keys.tenantId, next, at);
    await record('recurring.updated', id, { status });
    return next;
  });
}

/** Deletes a schedule and records `recurring.deleted`; the invoices it made stay as they are. */
export async function removeSchedule(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx);
  await inRecurringTx(ctx, async (step) => {
    await lockSchedule(step, id);
    await deleteSchedule(step.tx, step.keys, id);
    await step.record('recurring.deleted', id);
  });
}

/** Returns one schedule with its template, and records the read (`recurring.viewed`). */
export async function getSchedule(ctx: Ctx, id: string): Promise<Schedule> {
  requirePermission(ctx, 'invoices:read');
  return inRecurringTx(ctx, async ({ tx, keys, record }) => {
    const schedule = isUuid(id) ? await findSchedule(tx, keys, id) : undefined;
    if (!schedule) throw notFound('recurring_invoice');
    await record('recurring.viewed', id);
    return schedule;
  });
}

/** A page of schedules and the cursor of the next page; records `recurring.listed` (a bulk read). */
export async function listSchedules(
  ctx: Ctx,
  query: { customerId?: string; status?: ScheduleStatus; cursor?: string; limit?: number },
): Promise<{ items: Schedule[]; nextCursor: string | null }> {
  requirePermission(ctx, 'invoices:read');
  const limit = query.limit ?? 50;
  if (query.cursor && !isUuid(query.cursor)) {
    throw invalidInput([
      { path: 'cursor', code: 'cursor_invalid', message: 'A cursor from a previous page' },
    ]);
  }
  if (query.customerId && !isUuid(query.customerId)) return { items: [], nextCursor: null };
  return inRecurringTx(ctx, async ({ tx, keys, record }) => {
    const filter = {
      ...(query.customerId ? { customerId: query.customerId } : {}),
      ...(query.status ? { status: query.status } : {}),
    };
    const rows = await listScheduleRows(tx, keys, filter, query.cursor ?? null, limit + 1);
    const items = rows.slice(0, limit);
    await record('recurring.listed', keys.tenantId, { count: items.length });
    return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  });
}

/** The occurrences of a schedule: each date and the invoice it produced. */
export async function listScheduleOccurrences(ctx: Ctx, id: string): Promise<Occurrence[]> {
  requirePermission(ctx, 'invoices:read');
  return inRecurringTx(ctx, async ({ tx, keys }) => {
    const schedule = isUuid(id) ? await findSchedule(tx, keys, id) : undefined;
    if (!schedule) throw notFound('recurring_invoice');
    return listOccurrences(tx, keys, id);
  });
}
