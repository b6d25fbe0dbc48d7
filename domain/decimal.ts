/**
 * Exact decimal numbers on bigint, for quantities, prices, rates and money. Floating point is never
 * used for money (DESIGN invariant 6): 0.1 + 0.2 must be 0.3, and rounding must happen exactly once,
 * where EN 16931 says, with one rule: half-up, away from zero (2.345 → 2.35, -2.345 → -2.35).
 */

import { accept, type Checked, refuse } from './result.ts';

/** An exact decimal: `units / 10^scale`. Scale is the number of decimals kept (0 or more). */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Quantities (BT-129) accept at most this many decimals; more is refused, never rounded away. */
export const QUANTITY_MAX_DECIMALS = 4;
/** Unit prices (BT-146) accept at most this many decimals. */
export const UNIT_PRICE_MAX_DECIMALS = 4;
/** Integer digits accepted when parsing, so a pasted 400-digit number cannot slow anything down. */
export const MAX_INTEGER_DIGITS = 15;

// Plain digits, an optional minus, an optional fraction. No '+', no exponent, no grouping, no spaces:
// what a client sends is what the invoice shows, so there is exactly one way to write each value.
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses "2.50", "-0.005" or "10"; refuses exponents, garbage and more than `maxDecimals` decimals. */
export function parseDecimal(text: string, maxDecimals: number): Checked<Decimal> {
  if (typeof text !== 'string') return refuse('decimal_format');
  const match = DECIMAL_PATTERN.exec(text);
  if (!match)
    return refuse(/^[-+]?\d*\.?\d+[eE][-+]?\d+$/.test(text) ? 'decimal_exponent' : 'decimal_format');
  const [, minus = '', whole = '', fraction = ''] = match;
  if (fraction.length > maxDecimals) return refuse('decimal_too_many_decimals');
  if (whole.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) return refuse('decimal_out_of_range');
  const units = BigInt(whole + fraction);
  return accept({ units: minus ? -units : units, scale: fraction.length });
}

/** Parses a decimal that is part of the code (a rate in a table, a test value); a bad one is a bug. */
export function decimal(text: string): Decimal {
  const parsed = parseDecimal(text, 18);
  if (!parsed.ok) throw new RangeError(`Not a decimal constant (${parsed.code}): ${text}`);
  return parsed.value;
}

/** Builds a decimal from integer units and a scale, e.g. (1234n, 2) is 12.34. */
export function fromUnits(units: bigint, scale: number): Decimal {
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`Scale must be a natural number: ${scale}`);
  return { units, scale };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

// Brings both operands to the larger scale, exactly, so they can be added or compared.
function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * pow10(scale - a.scale), b.units * pow10(scale - b.scale), scale];
}

/** a + b, exact. */
export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

/** a − b, exact. */
export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

/** a × b, exact (the scales add up). */
export function mul(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** −a. */
export function negate(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

/** a / 10^n, exact: used for percentages (n = 2) without any division. */
export function shiftRight(a: Decimal, n: number): Decimal {
  return fromUnits(a.units, a.scale + n);
}

/** −1, 0 or 1 as a < b, a = b, a > b (scale does not matter: 2.5 equals 2.50). */
export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** −1, 0 or 1 by the sign of a. */
export function sign(a: Decimal): -1 | 0 | 1 {
  return a.units < 0n ? -1 : a.units > 0n ? 1 : 0;
}

/** True when a is zero, whatever its scale. */
export function isZero(a: Decimal): boolean {
  return a.units === 0n;
}

/**
 * Integer division of two bigints rounded half-up away from zero. The one rounding primitive of
 * Kluis: every other rounding goes through it, so the rule cannot differ between places.
 */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  if ((n % d) * 2n >= d) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** The units of `a` at `places` decimals, rounded half-up away from zero (EN 16931 rounding). */
export function roundToUnits(a: Decimal, places: number): bigint {
  if (places >= a.scale) return a.units * pow10(places - a.scale);
  return divideRounded(a.units, pow10(a.scale - places));
}

/** `a` rounded half-up away from zero to `places` decimals. */
export function round(a: Decimal, places: number): Decimal {
  return { units: roundToUnits(a, places), scale: places };
}

/** a / b rounded half-up away from zero to `places` decimals, from the exact quotient (rounded once). */
export function divide(a: Decimal, b: Decimal, places: number): Decimal {
  // a/b = (au / 10^as) / (bu / 10^bs); scaled by 10^places: au × 10^(bs + places) / (bu × 10^as).
  const numerator = a.units * pow10(b.scale + places);
  const denominator = b.units * pow10(a.scale);
  return { units: divideRounded(numerator, denominator), scale: places };
}

/** The same value with trailing fraction zeros removed, so 21.00 and 21 get one canonical form. */
export function normalize(a: Decimal): Decimal {
  let { units, scale } = a;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/**
 * Formats with exactly `places` decimals ("2.50"). Refuses to drop non-zero digits: a formatter that
 * rounds would hide a missing rounding step, so round first where EN 16931 says so.
 */
export function formatDecimal(a: Decimal, places: number = a.scale): string {
  let units: bigint;
  if (places >= a.scale) {
    units = a.units * pow10(places - a.scale);
  } else {
    const divisor = pow10(a.scale - places);
    if (a.units % divisor !== 0n) throw new RangeError(`Formatting ${a.units}e-${a.scale} would lose digits`);
    units = a.units / divisor;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = places > 0 ? `.${digits.slice(digits.length - places)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
