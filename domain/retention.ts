/**
 * How long a business must keep an invoice (art. 52 AWR): 7 years from the end of the fiscal year it
 * belongs to, 10 years for invoices about real estate (the VAT revision period). Kluis warns and
 * exports before that date; it never deletes what the business still has to keep.
 */

import { addYears, daysInMonth, type IsoDate, parseIsoDate } from './dates.ts';
import { invalidInput } from './errors.ts';

/** Years an ordinary invoice is kept after its fiscal year ends. */
export const RETENTION_YEARS = 7;
/** Years an invoice about real estate (onroerende zaken) is kept after its fiscal year ends. */
export const REAL_ESTATE_RETENTION_YEARS = 10;

/** How the business keeps its books. */
export interface RetentionOptions {
  /** The invoice concerns real estate. */
  isRealEstate?: boolean;
  /** Last day of the fiscal year as 'MM-DD'; '12-31' (a calendar year) when absent. */
  fiscalYearEnd?: string;
}

function requireDate(date: IsoDate, path: string): void {
  const parsed = parseIsoDate(date);
  if (!parsed.ok) throw invalidInput([{ path, code: parsed.code, message: 'Not a date as YYYY-MM-DD' }]);
}

// 29 February cannot end a fiscal year: it would not exist in most years.
function parseFiscalYearEnd(text: string): { month: number; day: number } {
  const match = /^(\d{2})-(\d{2})$/.exec(text);
  const month = Number(match?.[1]);
  const day = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(2001, month)) {
    throw invalidInput([
      { path: 'fiscalYearEnd', code: 'fiscal_year_end_format', message: 'Use MM-DD, e.g. 06-30' },
    ]);
  }
  return { month, day };
}

/** The last day of the fiscal year that `date` falls in. */
export function fiscalYearEndFor(date: IsoDate, fiscalYearEnd = '12-31'): IsoDate {
  requireDate(date, 'date');
  const { month, day } = parseFiscalYearEnd(fiscalYearEnd);
  const end = `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return date <= end ? end : addYears(end, 1);
}

/** The last day an invoice dated `invoiceDate` must be kept. */
export function retentionEndDate(invoiceDate: IsoDate, options: RetentionOptions = {}): IsoDate {
  const years = options.isRealEstate ? REAL_ESTATE_RETENTION_YEARS : RETENTION_YEARS;
  return addYears(fiscalYearEndFor(invoiceDate, options.fiscalYearEnd), years);
}

/** True once `today` is after the retention end date, so the invoice may be deleted. */
export function isRetentionOver(
  invoiceDate: IsoDate,
  today: IsoDate,
  options: RetentionOptions = {},
): boolean {
  requireDate(today, 'today');
  return today > retentionEndDate(invoiceDate, options);
}
