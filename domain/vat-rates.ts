/**
 * The VAT vocabulary of EN 16931: categories (UNCL5305), exemption reason codes (VATEX), and the dated
 * Dutch rate table. Rates live only here, with the day they started, so an invoice for a supply made
 * before a rate change is checked against the rate of its supply date, and a new rate is one new row.
 */

import type { IsoDate } from './dates.ts';
import { compare, decimal, formatDecimal, normalize, parseDecimal } from './decimal.ts';
import { accept, type Checked, refuse } from './result.ts';

/** EN 16931 VAT category codes used by Kluis (UNCL5305 subset; L and M are Canary Islands/Ceuta only). */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;

/**
 * S standard or reduced rate · Z zero rated · E exempt (needs a reason) · AE reverse charge ("btw
 * verlegd") · K intra-community supply · G export outside the EU · O outside the scope of VAT.
 */
export type VatCategory = (typeof VAT_CATEGORIES)[number];

/** True when `code` is one of the supported VAT category codes. */
export function isVatCategory(code: unknown): code is VatCategory {
  return typeof code === 'string' && (VAT_CATEGORIES as readonly string[]).includes(code);
}

/** Which Dutch rate a table row is: the standard rate, the reduced rate, or the zero rate. */
export type VatRateKind = 'standard' | 'reduced' | 'zero';

/** One rate, valid from `validFrom` through `validTo` (inclusive; open-ended when absent). */
export interface VatRateRow {
  readonly kind: VatRateKind;
  readonly percent: string;
  readonly validFrom: IsoDate;
  readonly validTo?: IsoDate;
}

/**
 * Dutch VAT rates (Wet OB 1968, art. 9). The table starts with the euro; Kluis does not invoice
 * supplies before 2001. Add a row (and close the previous one) when a rate changes.
 */
export const NL_VAT_RATES: readonly VatRateRow[] = [
  { kind: 'standard', percent: '19', validFrom: '2001-01-01', validTo: '2012-09-30' },
  { kind: 'standard', percent: '21', validFrom: '2012-10-01' },
  { kind: 'reduced', percent: '6', validFrom: '2001-01-01', validTo: '2018-12-31' },
  { kind: 'reduced', percent: '9', validFrom: '2019-01-01' },
  { kind: 'zero', percent: '0', validFrom: '2001-01-01' },
];

/** Rate tables by seller country. Only the Netherlands for now; other sellers get structural checks only. */
export const VAT_RATE_TABLES: Readonly<Record<string, readonly VatRateRow[]>> = { NL: NL_VAT_RATES };

/** The rows of a rate table valid on `date` (supply date, or issue date when there is none). */
export function vatRatesOn(date: IsoDate, table: readonly VatRateRow[] = NL_VAT_RATES): VatRateRow[] {
  return table.filter((row) => row.validFrom <= date && (row.validTo === undefined || date <= row.validTo));
}

/** The percentage of one kind of rate on a date ('21' for standard today), or undefined before the table. */
export function vatRateOn(
  kind: VatRateKind,
  date: IsoDate,
  table: readonly VatRateRow[] = NL_VAT_RATES,
): string | undefined {
  return vatRatesOn(date, table).find((row) => row.kind === kind)?.percent;
}

/** True when `percent` ("9", "9.00") is a rate of the table on `date`, whatever its written scale. */
export function isRateInTable(
  percent: string,
  date: IsoDate,
  table: readonly VatRateRow[] = NL_VAT_RATES,
): boolean {
  const parsed = parseVatRate(percent);
  if (!parsed.ok) return false;
  return vatRatesOn(date, table).some((row) => compare(decimal(row.percent), decimal(parsed.value)) === 0);
}

const HUNDRED = decimal('100');

/** Parses a VAT percentage: 0 or more, at most 2 decimals, in canonical form ("21.00" → "21"). */
export function parseVatRate(text: string): Checked<string> {
  const parsed = parseDecimal(text, 2);
  if (!parsed.ok || parsed.value.units < 0n || compare(parsed.value, HUNDRED) > 0)
    return refuse('vat_rate_format');
  return accept(formatDecimal(normalize(parsed.value)));
}

// The CEF VATEX code list (as in the official EN 16931 schematron), mapped to the category it
// belongs with. The Peppol rules P0104–P0111 fix the category for the non-article codes.
const EXEMPT_ARTICLE_CODES =
  '79-C 132 132-1A 132-1B 132-1C 132-1D 132-1E 132-1F 132-1G 132-1H 132-1I 132-1J 132-1K 132-1L ' +
  '132-1M 132-1N 132-1O 132-1P 132-1Q 135-1 143 143-1A 143-1B 143-1C 143-1D 143-1E 143-1F 143-1FA ' +
  '143-1G 143-1H 143-1I 143-1J 143-1K 143-1L 144 146-1E 148 148-A 148-B 148-C 148-D 148-E 148-F ' +
  '148-G 151 151-1A 151-1AA 151-1B 151-1C 151-1D 151-1E 153 159 309 D F I J';

/** Every EU exemption reason code (BT-121) with the VAT category it must be used with. */
export const VATEX_CODES: ReadonlyMap<string, VatCategory> = new Map<string, VatCategory>([
  ...EXEMPT_ARTICLE_CODES.split(' ').map((suffix) => [`VATEX-EU-${suffix}`, 'E'] as [string, VatCategory]),
  ['VATEX-EU-AE', 'AE'],
  ['VATEX-EU-IC', 'K'],
  ['VATEX-EU-G', 'G'],
  ['VATEX-EU-O', 'O'],
]);

/** The exemption reason code a category always carries (AE, K, G, O); E depends on the legal ground. */
export function defaultExemptionReasonCode(category: VatCategory): string | undefined {
  const codes: Partial<Record<VatCategory, string>> = {
    AE: 'VATEX-EU-AE',
    K: 'VATEX-EU-IC',
    G: 'VATEX-EU-G',
    O: 'VATEX-EU-O',
  };
  return codes[category];
}

/** The VATEX codes allowed with a category (none for S and Z, which must not carry a reason). */
export function exemptionReasonCodesFor(category: VatCategory): string[] {
  return [...VATEX_CODES].filter(([, c]) => c === category).map(([code]) => code);
}
