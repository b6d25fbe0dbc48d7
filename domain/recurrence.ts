/**
 * Recurrence rules of recurring invoices: the n-th occurrence of a schedule, counted from its start
 * date. Every occurrence is computed from the start, never from the previous one, so a month-end
 * start keeps its day: 31 January → 28 (or 29) February → 31 March → 30 April. A day that a month
 * lacks becomes that month's last day; the next month returns to the start's day. Pure, no clock.
 */
import { dateParts, daysInMonth, formatIsoDate, type IsoDate } from './dates.ts';

/** The step between occurrences: every `count` days, weeks or months. */
export interface RecurrenceRule {
  unit: 'day' | 'week' | 'month';
  count: number;
}

/** The named frequencies and the rule each stands for. */
export const FREQUENCIES = {
  monthly: { unit: 'month', count: 1 },
  quarterly: { unit: 'month', count: 3 },
  yearly: { unit: 'month', count: 12 },
} as const satisfies Record<string, RecurrenceRule>;

const DAY_MS = 86_400_000;
const toDays = (date: IsoDate) => {
  const { year, month, day } = dateParts(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
};
const fromDays = (days: number): IsoDate => {
  const d = new Date(days * DAY_MS);
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};

/** The date of occurrence `index` (0 is the start date itself). */
export function occurrenceDate(rule: RecurrenceRule, start: IsoDate, index: number): IsoDate {
  if (!Number.isInteger(index) || index < 0) throw new RangeError('index must be a natural number');
  if (rule.unit !== 'month')
    return fromDays(toDays(start) + index * rule.count * (rule.unit === 'week' ? 7 : 1));
  const { year, month, day } = dateParts(start);
  const months = month - 1 + index * rule.count;
  const y = year + Math.floor(months / 12);
  const m = (months % 12) + 1;
  return formatIsoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

/** The index of the first occurrence on or after `date` (0 when `date` is on or before the start). */
export function firstIndexOnOrAfter(rule: RecurrenceRule, start: IsoDate, date: IsoDate): number {
  if (date <= start) return 0;
  // An estimate from the length of a step, then corrected by walking; it is off by at most one or two.
  const stepDays = rule.unit === 'day' ? rule.count : rule.unit === 'week' ? 7 * rule.count : 28 * rule.count;
  let index = Math.max(0, Math.floor((toDays(date) - toDays(start)) / stepDays) - 1);
  if (rule.unit === 'month') {
    const a = dateParts(start);
    const b = dateParts(date);
    index = Math.max(0, Math.floor(((b.year - a.year) * 12 + (b.month - a.month)) / rule.count) - 1);
  }
  while (occurrenceDate(rule, start, index) < date) index++;
  while (index > 0 && occurrenceDate(rule, start, index - 1) >= date) index--;
  return index;
}

/** The index of the first occurrence strictly after `date`. */
export function firstIndexAfter(rule: RecurrenceRule, start: IsoDate, date: IsoDate): number {
  const index = firstIndexOnOrAfter(rule, start, date);
  return occurrenceDate(rule, start, index) === date ? index + 1 : index;
}
