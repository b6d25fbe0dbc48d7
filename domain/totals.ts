/**
 * EN 16931 invoice totals. Every amount is a bigint in minor units of the invoice currency (cents for
 * EUR), rounded half-up away from zero to min(currency digits, 2) decimals — EN 16931 allows at most 2
 * (BR-DEC) — exactly once, where the standard says: each line net (BT-131), each allowance or charge
 * amount, and each VAT group's tax (BT-117, rounded per group, never per line). Everything after that
 * is plain integer addition, so the sum rules BR-CO-10 … BR-CO-16 hold exactly, not within a cent.
 */

import { CURRENCIES, minorUnits } from './currency.ts';
import {
  compare,
  type Decimal,
  decimal,
  divide,
  fromUnits,
  mul,
  parseDecimal,
  roundToUnits,
  shiftRight,
} from './decimal.ts';
import { type FieldIssue, invalidInput } from './errors.ts';
import type {
  Adjustment,
  AdjustmentTotals,
  DocumentAdjustmentInput,
  InvoiceTotals,
  LineTotals,
  TotalsInput,
  VatBreakdown,
} from './totals-model.ts';
import { isVatCategory, parseVatRate, VAT_CATEGORIES, type VatCategory } from './vat-rates.ts';

export type {
  Adjustment,
  AdjustmentTotals,
  DocumentAdjustmentInput,
  InvoiceTotals,
  LineTotals,
  TotalsInput,
  TotalsLineInput,
  VatBreakdown,
} from './totals-model.ts';

/** Decimals EN 16931 amounts get in a currency: its minor digits, at most 2 (so JPY 0, EUR 2, BHD 2). */
export function amountDecimals(currency: string): number {
  return Math.min(minorUnits(currency), 2);
}

const HUNDRED = decimal('100');

// Collects issues while parsing, so one bad invoice reports every bad field at once.
class Reader {
  readonly issues: FieldIssue[] = [];

  issue(path: string, code: string, message: string): void {
    this.issues.push({ path, code, message });
  }

  decimal(text: string | undefined, path: string, maxDecimals: number, fallback = '0'): Decimal {
    const parsed = parseDecimal(text ?? fallback, maxDecimals);
    if (parsed.ok) return parsed.value;
    this.issue(path, parsed.code, `Not a decimal with at most ${maxDecimals} decimals`);
    return decimal('0');
  }

  nonNegative(text: string | undefined, path: string, maxDecimals: number): Decimal {
    const value = this.decimal(text, path, maxDecimals);
    if (value.units < 0n) this.issue(path, 'amount_negative', 'Must not be negative');
    return value;
  }

  vat(
    item: { vatCategory: string; vatRate: string },
    path: string,
  ): { vatCategory: VatCategory; vatRate: string } {
    const rate = parseVatRate(item.vatRate);
    if (!rate.ok)
      this.issue(`${path}.vatRate`, rate.code, 'VAT rate must be between 0 and 100, at most 2 decimals');
    if (!isVatCategory(item.vatCategory)) {
      this.issue(
        `${path}.vatCategory`,
        'vat_category_unknown',
        'VAT category must be one of S, Z, E, AE, K, G, O',
      );
    }
    return { vatCategory: item.vatCategory as VatCategory, vatRate: rate.ok ? rate.value : '0' };
  }

  // Returns the amount in `places` decimals: a percent of `base` is rounded once; an amount is exact.
  adjustment(
    adj: Adjustment,
    base: bigint,
    places: number,
    path: string,
  ): { amount: bigint; percent?: string } {
    if ('percent' in adj) {
      const percent = this.decimal(adj.percent, `${path}.percent`, 4);
      if (percent.units < 0n || compare(percent, HUNDRED) > 0) {
        this.issue(`${path}.percent`, 'percent_out_of_range', 'Percent must be between 0 and 100');
      }
      return {
        amount: roundToUnits(shiftRight(mul(fromUnits(base, places), percent), 2), places),
        percent: adj.percent,
      };
    }
    return { amount: roundToUnits(this.nonNegative(adj.amount, `${path}.amount`, places), places) };
  }
}

/**
 * Computes all EN 16931 totals of an invoice. Throws a validation error listing every bad field;
 * whether the VAT categories and rates fit the law is `checkVatConsistency`'s job, not this one's.
 */
export function computeTotals(input: TotalsInput): InvoiceTotals {
  const read = new Reader();
  if (!CURRENCIES.has(input.currency)) {
    throw invalidInput([{ path: 'currency', code: 'currency_unknown', message: 'Not an ISO 4217 currency' }]);
  }
  const places = amountDecimals(input.currency);
  if (input.lines.length === 0)
    read.issue('lines', 'lines_required', 'An invoice has at least one line (BR-16)');

  const lineVat = input.lines.map((line, i) => read.vat(line, `lines.${i}`));
  const lines = input.lines.map((line, i): LineTotals => {
    const path = `lines.${i}`;
    const quantity = read.decimal(line.quantity, `${path}.quantity`, 4);
    const price = read.nonNegative(line.unitPrice, `${path}.unitPrice`, 4);
    const baseQuantity = read.decimal(line.priceBaseQuantity, `${path}.priceBaseQuantity`, 4, '1');
    let grossAmount = 0n;
    if (baseQuantity.units <= 0n) {
      read.issue(`${path}.priceBaseQuantity`, 'price_base_quantity_not_positive', 'Must be above zero');
    } else {
      // The exact quotient is rounded once, so "3 at 10.00 per 7" is not rounded twice.
      grossAmount = divide(mul(quantity, price), baseQuantity, places).units;
    }
    const allowanceAmount = line.discount
      ? read.adjustment(line.discount, grossAmount, places, `${path}.discount`).amount
      : 0n;
    const chargeAmount = (line.charges ?? []).reduce(
      (sum, charge, j) => sum + read.adjustment(charge, grossAmount, places, `${path}.charges.${j}`).amount,
      0n,
    );
    return {
      grossAmount,
      allowanceAmount,
      chargeAmount,
      netAmount: grossAmount - allowanceAmount + chargeAmount,
    };
  });
  const lineExtensionAmount = lines.reduce((sum, line) => sum + line.netAmount, 0n);

  const documentAdjustments = (items: readonly DocumentAdjustmentInput[], name: string): AdjustmentTotals[] =>
    items.map((item, i) => {
      const { amount, percent } = read.adjustment(item, lineExtensionAmount, places, `${name}.${i}`);
      const vat = read.vat(item, `${name}.${i}`);
      return percent === undefined
        ? { amount, ...vat }
        : { baseAmount: lineExtensionAmount, percent, amount, ...vat };
    });
  const allowances = documentAdjustments(input.allowances ?? [], 'allowances');
  const charges = documentAdjustments(input.charges ?? [], 'charges');
  const prepaid = roundToUnits(read.decimal(input.prepaidAmount, 'prepaidAmount', places), places);
  const rounding = roundToUnits(read.decimal(input.roundingAmount, 'roundingAmount', places), places);
  if (read.issues.length > 0) throw invalidInput(read.issues, 'The invoice amounts are not valid');

  const groups = new Map<string, VatBreakdown>();
  const addToGroup = (vat: { vatCategory: VatCategory; vatRate: string }, amount: bigint): void => {
    const key = `${vat.vatCategory}|${vat.vatRate}`;
    const group = groups.get(key) ?? { ...vat, taxableAmount: 0n, taxAmount: 0n };
    group.taxableAmount += amount;
    groups.set(key, group);
  };
  lines.forEach((line, i) => {
    addToGroup(lineVat[i]!, line.netAmount);
  });
  for (const allowance of allowances) addToGroup(allowance, -allowance.amount);
  for (const charge of charges) addToGroup(charge, charge.amount);
  const vatBreakdown = [...groups.values()]
    .map((group) => ({ ...group, taxAmount: vatOf(group.taxableAmount, group.vatRate, places) }))
    .sort(
      (a, b) =>
        VAT_CATEGORIES.indexOf(a.vatCategory) - VAT_CATEGORIES.indexOf(b.vatCategory) ||
        compareRates(b.vatRate, a.vatRate),
    );

  const scale = 10n ** BigInt(minorUnits(input.currency) - places);
  const allowanceTotalAmount = allowances.reduce((sum, a) => sum + a.amount, 0n);
  const chargeTotalAmount = charges.reduce((sum, c) => sum + c.amount, 0n);
  const taxExclusiveAmount = lineExtensionAmount - allowanceTotalAmount + chargeTotalAmount;
  const taxAmount = vatBreakdown.reduce((sum, g) => sum + g.taxAmount, 0n);
  const taxInclusiveAmount = taxExclusiveAmount + taxAmount;
  // Internally amounts count units of 10^-places; converting to minor units only appends zeros (BHD).
  const toMinor = (units: bigint): bigint => units * scale;
  const adjustmentToMinor = (a: AdjustmentTotals): AdjustmentTotals => ({
    ...a,
    amount: toMinor(a.amount),
    ...(a.baseAmount === undefined ? {} : { baseAmount: toMinor(a.baseAmount) }),
  });
  return {
    currency: input.currency,
    lines: lines.map((l) => ({
      grossAmount: toMinor(l.grossAmount),
      allowanceAmount: toMinor(l.allowanceAmount),
      chargeAmount: toMinor(l.chargeAmount),
      netAmount: toMinor(l.netAmount),
    })),
    allowances: allowances.map(adjustmentToMinor),
    charges: charges.map(adjustmentToMinor),
    lineExtensionAmount: toMinor(lineExtensionAmount),
    allowanceTotalAmount: toMinor(allowanceTotalAmount),
    chargeTotalAmount: toMinor(chargeTotalAmount),
    taxExclusiveAmount: toMinor(taxExclusiveAmount),
    vatBreakdown: vatBreakdown.map((g) => ({
      ...g,
      taxableAmount: toMinor(g.taxableAmount),
      taxAmount: toMinor(g.taxAmount),
    })),
    taxAmount: toMinor(taxAmount),
    taxInclusiveAmount: toMinor(taxInclusiveAmount),
    prepaidAmount: toMinor(prepaid),
    roundingAmount: toMinor(rounding),
    payableAmount: toMinor(taxInclusiveAmount - prepaid + rounding),
  };
}

// BT-117 = BT-116 × BT-119 / 100, rounded once (BR-CO-17).
function vatOf(taxable: bigint, rate: string, places: number): bigint {
  return roundToUnits(shiftRight(mul(fromUnits(taxable, places), decimal(rate)), 2), places);
}

function compareRates(a: string, b: string): number {
  return Number(roundToUnits(decimal(a), 2) - roundToUnits(decimal(b), 2));
}

/**
 * BT-111: the total VAT in the accounting currency (EUR for a Dutch seller) when the invoice is in
 * another currency, converted from BT-110 and rounded once. `exchangeRate` is accounting-currency
 * units per one invoice-currency unit, e.g. "0.9215" EUR per USD.
 */
export function vatTotalInAccountingCurrency(
  taxAmount: bigint,
  invoiceCurrency: string,
  exchangeRate: string,
  accountingCurrency = 'EUR',
): bigint {
  const rate = parseDecimal(exchangeRate, 10);
  if (!rate.ok || rate.value.units <= 0n) {
    throw invalidInput([
      {
        path: 'exchangeRate',
        code: 'exchange_rate_format',
        message: 'Exchange rate must be a positive decimal',
      },
    ]);
  }
  const places = amountDecimals(accountingCurrency);
  const converted = roundToUnits(mul(fromUnits(taxAmount, minorUnits(invoiceCurrency)), rate.value), places);
  return converted * 10n ** BigInt(minorUnits(accountingCurrency) - places);
}
