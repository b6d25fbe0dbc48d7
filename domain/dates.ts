/**
 * Calendar dates as 'YYYY-MM-DD' strings. Domain rules never read the clock (DESIGN invariant 8):
 * "today" is always a parameter. Strings compare correctly with < and > once validated, and carry no
 * time zone, which is what an invoice date is.
 */

import { accept, type Checked, refuse } from './result.ts';

/** A validated calendar date 'YYYY-MM-DD'. */
export type IsoDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for leap years of the Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Checks a 'YYYY-MM-DD' string for a real calendar day (no 2023-02-29), years 1000–9999. */
export function parseIsoDate(text: string): Checked<IsoDate> {
  const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
  if (!match) return refuse('date_format');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return refuse('date_invalid');
  }
  return accept(text);
}

/** Splits a date that must be valid (a bug otherwise) into numbers. */
export function dateParts(date: IsoDate): { year: number; month: number; day: number } {
  const parsed = parseIsoDate(date);
  if (!parsed.ok) throw new RangeError(`Not a valid date (${parsed.code}): ${date}`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** Formats numbers as 'YYYY-MM-DD'. */
export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `years` later; 29 February becomes 28 February in a year without it. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = dateParts(date);
  const target = year + years;
  return formatIsoDate(target, month, Math.min(day, daysInMonth(target, month)));
}

/** The next calendar day. */
export function nextDay(date: IsoDate): IsoDate {
  const { year, month, day } = dateParts(date);
  if (day < daysInMonth(year, month)) return formatIsoDate(year, month, day + 1);
  if (month < 12) return formatIsoDate(year, month + 1, 1);
  return formatIsoDate(year + 1, 1, 1);
}
