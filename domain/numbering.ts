/**
 * Invoice number formats such as `{YYYY}-{seq:4}`, `{YY}{seq:5}` or `F{YYYY}.{seq}`. Dutch law wants
 * unique numbers in one or more unbroken series. Allocating the next sequence number happens in the
 * database, inside the issuing transaction; this module only validates formats, names the series a
 * date belongs to, and renders (and reads back) the number.
 */

import { dateParts, type IsoDate } from './dates.ts';
import { invalidInput } from './errors.ts';
import { accept, type Checked, refuse } from './result.ts';

/** One piece of a number format. */
export type FormatPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'year4' }
  | { readonly kind: 'year2' }
  | { readonly kind: 'seq'; readonly width: number };

/** A validated number format. */
export interface NumberFormat {
  readonly source: string;
  readonly parts: readonly FormatPart[];
  /** True when the format shows the year, so each calendar year can have its own series. */
  readonly hasYear: boolean;
}

/** The longest format accepted; numbers end up in file names, e-mail subjects and UBL. */
export const NUMBER_FORMAT_MAX_LENGTH = 40;
/** The widest zero-padding of {seq:N}. */
export const SEQ_MAX_WIDTH = 10;

// Literal text is limited to characters that are safe in file names, URLs and every e-invoice format.
const LITERAL = /^[A-Za-z0-9._/#-]*$/;

/** Parses a format; it must contain exactly one {seq} or {seq:N}, and at most one {YYYY} or {YY}. */
export function parseNumberFormat(source: string): Checked<NumberFormat> {
  if (typeof source !== 'string' || source.length === 0) return refuse('number_format_empty');
  if (source.length > NUMBER_FORMAT_MAX_LENGTH) return refuse('number_format_too_long');
  const parts: FormatPart[] = [];
  let seqCount = 0;
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const text = open === -1 ? rest : rest.slice(0, open);
    if (!LITERAL.test(text)) return refuse('number_format_character');
    if (text) parts.push({ kind: 'text', text });
    if (open === -1) break;
    const close = rest.indexOf('}', open);
    if (close === -1) return refuse('number_format_character');
    const token = rest.slice(open + 1, close);
    rest = rest.slice(close + 1);
    const seq = /^seq(?::(\d{1,2}))?$/.exec(token);
    if (token === 'YYYY') parts.push({ kind: 'year4' });
    else if (token === 'YY') parts.push({ kind: 'year2' });
    else if (seq) {
      const width = seq[1] === undefined ? 1 : Number(seq[1]);
      if (width < 1 || width > SEQ_MAX_WIDTH) return refuse('number_format_seq_width');
      seqCount += 1;
      parts.push({ kind: 'seq', width });
    } else return refuse('number_format_token_unknown');
  }
  if (seqCount === 0) return refuse('number_format_seq_missing');
  if (seqCount > 1) return refuse('number_format_seq_duplicate');
  const yearCount = parts.filter((p) => p.kind === 'year4' || p.kind === 'year2').length;
  if (yearCount > 1) return refuse('number_format_year_duplicate');
  const hasYear = yearCount === 1;
  return accept({ source, parts, hasYear });
}

function requireFormat(format: string | NumberFormat): NumberFormat {
  if (typeof format !== 'string') return format;
  const parsed = parseNumberFormat(format);
  if (!parsed.ok)
    throw invalidInput([{ path: 'numberFormat', code: parsed.code, message: 'Not a valid number format' }]);
  return parsed.value;
}

/**
 * The series a number for `date` belongs to: the calendar year when the format shows the year (its
 * counter restarts each year), otherwise 'all' — restarting a format without a year would repeat numbers.
 */
export function seriesKey(format: string | NumberFormat, date: IsoDate): string {
  return requireFormat(format).hasYear ? String(dateParts(date).year) : 'all';
}

/** Renders the number for sequence `seq` (1, 2, …) on `date`; a sequence wider than {seq:N} is not cut. */
export function renderInvoiceNumber(format: string | NumberFormat, date: IsoDate, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`Sequence numbers start at 1: ${seq}`);
  const { year } = dateParts(date);
  const render = (part: FormatPart): string => {
    if (part.kind === 'text') return part.text;
    if (part.kind === 'year4') return String(year);
    if (part.kind === 'year2') return String(year % 100).padStart(2, '0');
    return String(seq).padStart(part.width, '0');
  };
  return requireFormat(format).parts.map(render).join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/#-]/g, '\\$&');
}

/**
 * Reads a number back into its year digits and sequence, e.g. to continue a series imported from
 * another system; undefined when the number does not fit the format.
 */
export function parseInvoiceNumber(
  format: string | NumberFormat,
  invoiceNumber: string,
): { year?: string; seq: number } | undefined {
  const parts = requireFormat(format).parts;
  let width = 1;
  const pattern = parts
    .map((part) => {
      if (part.kind === 'text') return escapeRegExp(part.text);
      if (part.kind === 'year4') return '(?<year>\\d{4})';
      if (part.kind === 'year2') return '(?<year>\\d{2})';
      width = part.width;
      return '(?<seq>\\d+)';
    })
    .join('');
  const match = new RegExp(`^${pattern}$`).exec(invoiceNumber);
  const digits = match?.groups?.seq ?? '';
  const seq = Number(digits);
  // Only the exact rendering counts: "2024-00001" is not a number of {YYYY}-{seq:4}.
  if (!match || !Number.isSafeInteger(seq) || seq < 1 || digits !== String(seq).padStart(width, '0')) {
    return undefined;
  }
  const year = match.groups?.year;
  return year === undefined ? { seq } : { year, seq };
}
