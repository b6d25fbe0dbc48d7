/**
 * ISO 4217 currencies and money in minor units. Money is a bigint count of the currency's minor unit
 * (cents for EUR, yen for JPY, fils for BHD) plus the currency code (DESIGN invariant 6), so sums are
 * exact and nobody has to remember how many decimals a currency has.
 */

import { type Decimal, formatDecimal, fromUnits, parseDecimal, roundToUnits } from './decimal.ts';
import { accept, type Checked, refuse } from './result.ts';

/** An ISO 4217 alphabetic code that `isCurrency` accepted. */
export type CurrencyCode = string;

/** An amount in minor units of a currency. */
export interface Money {
  readonly minor: bigint;
  readonly currency: CurrencyCode;
}

// Active ISO 4217 codes (List One, 2025) that have minor units, grouped by their number of decimals.
// Precious metals, SDR and test codes (XAU, XDR, XTS, XXX …) have none and cannot be invoiced in.
const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
const TWO_DECIMALS =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF ' +
  'CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ ' +
  'GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD ' +
  'MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON ' +
  'RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS ' +
  'UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

/** Every accepted currency code with its number of minor-unit digits. */
export const CURRENCIES: ReadonlyMap<CurrencyCode, number> = new Map(
  (
    [
      [ZERO_DECIMALS, 0],
      [TWO_DECIMALS, 2],
      [THREE_DECIMALS, 3],
      [FOUR_DECIMALS, 4],
    ] as const
  ).flatMap(([codes, digits]) => codes.split(' ').map((code) => [code, digits] as const)),
);

/** True when `code` is an active ISO 4217 code with minor units (exact, upper case). */
export function isCurrency(code: string): code is CurrencyCode {
  return CURRENCIES.has(code);
}

/** Normalises user input ("eur ") to a currency code, or refuses it with `currency_unknown`. */
export function parseCurrency(text: string): Checked<CurrencyCode> {
  const code = typeof text === 'string' ? text.trim().toUpperCase() : '';
  return isCurrency(code) ? accept(code) : refuse('currency_unknown');
}

/** The number of minor-unit digits of a currency (EUR 2, JPY 0, BHD 3); unknown codes are a bug. */
export function minorUnits(code: CurrencyCode): number {
  const digits = CURRENCIES.get(code);
  if (digits === undefined) throw new RangeError(`Unknown currency: ${code}`);
  return digits;
}

/** Builds money from minor units, checking the currency. */
export function money(minor: bigint, currency: CurrencyCode): Money {
  minorUnits(currency);
  return { minor, currency };
}

/** Parses an amount like "12.50" in a currency; more decimals than the currency has are refused. */
export function parseMoney(text: string, currency: CurrencyCode): Checked<Money> {
  const parsed = parseDecimal(text, minorUnits(currency));
  if (!parsed.ok) return refuse(parsed.code);
  return accept({ minor: decimalToMinor(parsed.value, currency), currency });
}

/** Converts a decimal to minor units exactly; a value with more decimals than the currency is a bug. */
export function decimalToMinor(value: Decimal, currency: CurrencyCode): bigint {
  const digits = minorUnits(currency);
  if (value.scale <= digits) return value.units * 10n ** BigInt(digits - value.scale);
  const divisor = 10n ** BigInt(value.scale - digits);
  if (value.units % divisor !== 0n)
    throw new RangeError(`Amount has more decimals than ${currency}; round first`);
  return value.units / divisor;
}

/** Rounds a decimal half-up away from zero to the currency's minor units. */
export function roundToMinor(value: Decimal, currency: CurrencyCode): bigint {
  return roundToUnits(value, minorUnits(currency));
}

/** The decimal value of an amount in minor units (1250n EUR → 12.50). */
export function minorToDecimal(minor: bigint, currency: CurrencyCode): Decimal {
  return fromUnits(minor, minorUnits(currency));
}

/** Formats minor units as a plain decimal string with the currency's digits ("12.50", "1000" for JPY). */
export function formatMinor(minor: bigint, currency: CurrencyCode): string {
  return formatDecimal(minorToDecimal(minor, currency));
}

/** Adds two amounts of the same currency; mixing currencies is a bug, never a silent conversion. */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`Cannot add ${a.currency} to ${b.currency}`);
  return { minor: a.minor + b.minor, currency: a.currency };
}
