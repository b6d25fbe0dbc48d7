/**
 * Validation of draft input, every problem reported at once under its field path, and the totals of
 * a draft computed by the pure EN 16931 rules in domain/. VAT consistency (reverse charge needs the
 * buyer's VAT number, KOR has no rate …) is checked when issuing, once the parties are known.
 */
import { type IsoDate, nextDay, parseIsoDate } from '../../../domain/dates.ts';
import { parseDecimal } from '../../../domain/decimal.ts';
import { type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import {
  type Adjustment,
  computeTotals,
  type InvoiceTotals,
  type TotalsInput,
} from '../../../domain/totals.ts';
import { isUuid } from '../../ids.ts';
import type {
  DocumentAdjustment,
  DraftInput,
  InvoiceContent,
  LineInput,
  LineWrite,
  StoredTotals,
} from './invoices.model.ts';

/** The most lines one invoice may have; more is refused, so one request cannot grow without bound. */
export const MAX_LINES = 1000;

/** A validated draft: its content, its lines with their net amounts, and its totals. */
export interface ValidDraft {
  content: InvoiceContent;
  lines: LineWrite[];
  totals: InvoiceTotals;
}

// Collects field issues so one reply lists every problem of the form.
class Issues {
  readonly list: FieldIssue[] = [];

  add(path: string, code: string, message: string): void {
    this.list.push({ path, code, message });
  }

  text(path: string, value: string | null | undefined, max: number): string | null {
    const v = typeof value === 'string' ? value.trim() : '';
    if (v.length > max) this.add(path, 'too_long', `At most ${max} characters`);
    return v === '' ? null : v;
  }

  date(path: string, value: string | null | undefined): IsoDate | null {
    if (value === null || value === undefined || value === '') return null;
    const parsed = parseIsoDate(value);
    if (!parsed.ok) this.add(path, parsed.code, 'A date like 2026-11-20');
    return parsed.ok ? parsed.value : null;
  }

  country(path: string, value: string | null | undefined): string | null {
    const v = value?.trim().toUpperCase() || null;
    if (v && !/^[A-Z]{2}$/.test(v)) this.add(path, 'country_format', 'An ISO country code like NL');
    return v;
  }
}

function adjustment(issues: Issues, path: string, value: DocumentAdjustment): DocumentAdjustment {
  const hasPercent = 'percent' in value && value.percent !== undefined;
  const hasAmount = 'amount' in value && value.amount !== undefined;
  if (hasPercent === hasAmount) {
    issues.add(path, 'adjustment_percent_or_amount', 'Give either a percent or an amount');
  }
  const reason = issues.text(`${path}.reason`, value.reason, 100);
  const base = hasPercent
    ? { percent: (value as { percent: string }).percent }
    : { amount: (value as { amount: string }).amount };
  return {
    ...base,
    ...(reason ? { reason } : {}),
    vatCategory: value.vatCategory,
    vatRate: value.vatRate,
  };
}

function line(issues: Issues, path: string, input: LineInput): Omit<LineWrite, 'netMinor'> {
  const description = issues.text(`${path}.description`, input.description, 1000);
  if (!description) issues.add(`${path}.description`, 'required', 'Describe the goods or services');
  const unit = input.unit?.trim().toUpperCase() || 'C62';
  if (!/^[A-Z0-9]{1,3}$/.test(unit)) issues.add(`${path}.unit`, 'unit_format', 'A UN/ECE unit code like HUR');
  let discount: Adjustment | null = null;
  if (input.discount) {
    const d = input.discount as { percent?: string; amount?: string };
    if ((d.percent === undefined) === (d.amount === undefined)) {
      issues.add(`${path}.discount`, 'adjustment_percent_or_amount', 'Give either a percent or an amount');
    }
    discount = d.percent !== undefined ? { percent: d.percent } : { amount: d.amount ?? '0' };
  }
  return {
    description: description ?? '',
    quantity: input.quantity,
    unit,
    unitPrice: input.unitPrice,
    priceBaseQuantity: input.priceBaseQuantity ?? null,
    discount,
    vatCategory: input.vatCategory,
    vatRate: input.vatRate,
    creditedLineId: null,
  };
}

/** The input of the EN 16931 totals for a content and its lines. */
export function totalsInput(
  content: InvoiceContent,
  lines: readonly Omit<LineWrite, 'netMinor'>[],
): TotalsInput {
  return {
    currency: content.currency,
    lines: lines.map((l) => ({
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      ...(l.priceBaseQuantity ? { priceBaseQuantity: l.priceBaseQuantity } : {}),
      ...(l.discount ? { discount: l.discount } : {}),
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    })),
    allowances: content.allowances,
    charges: content.charges,
  };
}

/** Validates a draft and computes its totals; throws one validation error listing every problem. */
export function validateDraft(input: DraftInput, creditedLineIds?: readonly (string | null)[]): ValidDraft {
  const issues = new Issues();
  if (typeof input.customerId !== 'string' || !isUuid(input.customerId)) {
    issues.add('customerId', 'customer_id_format', 'A customer id');
  }
  const supplyDate = issues.date('supplyDate', input.supplyDate);
  const periodStart = issues.date('periodStart', input.periodStart);
  const periodEnd = issues.date('periodEnd', input.periodEnd);
  if ((periodStart === null) !== (periodEnd === null)) {
    issues.add('periodEnd', 'period_incomplete', 'An invoice period has a start and an end');
  } else if (periodStart && periodEnd && periodEnd < periodStart) {
    issues.add('periodEnd', 'period_reversed', 'The period ends before it starts');
  }
  if (supplyDate && periodStart) {
    issues.add('supplyDate', 'supply_date_or_period', 'Give a supply date or a period, not both');
  }
  const issueDate = issues.date('issueDate', input.issueDate);
  const dueDate = issues.date('dueDate', input.dueDate);
  if (issueDate && dueDate && dueDate < issueDate) {
    issues.add('dueDate', 'due_before_issue', 'The due date is before the issue date');
  }
  const currency = (input.currency ?? 'EUR').trim().toUpperCase();
  const exchangeRate = input.exchangeRate?.trim() || null;
  if (exchangeRate) {
    const rate = parseDecimal(exchangeRate, 10);
    if (!rate.ok || rate.value.units <= 0n) {
      issues.add('exchangeRate', 'exchange_rate_format', 'A positive decimal, EUR per unit');
    }
  }
  const paymentTermDays = input.paymentTermDays ?? null;
  if (
    paymentTermDays !== null &&
    (!Number.isInteger(paymentTermDays) || paymentTermDays < 0 || paymentTermDays > 365)
  ) {
    issues.add('paymentTermDays', 'out_of_range', 'From 0 to 365 days');
  }
  if (!Array.isArray(input.lines)) issues.add('lines', 'lines_required', 'An invoice has at least one line');
  const rawLines = Array.isArray(input.lines) ? input.lines : [];
  if (rawLines.length > MAX_LINES) issues.add('lines', 'too_many_lines', `At most ${MAX_LINES} lines`);
  const lines = rawLines.slice(0, MAX_LINES).map((l, i) => line(issues, `lines.${i}`, l));
  lines.forEach((l, i) => {
    l.creditedLineId = creditedLineIds?.[i] ?? null;
  });
  const content: InvoiceContent = {
    customerId: input.customerId,
    issueDate,
    dueDate,
    supplyDate,
    periodStart,
    periodEnd,
    currency,
    exchangeRate,
    buyerReference: issues.text('buyerReference', input.buyerReference, 200),
    orderReference: issues.text('orderReference', input.orderReference, 200),
    paymentTermDays,
    paymentTerms: issues.text('paymentTerms', input.paymentTerms, 500),
    notes: issues.text('notes', input.notes, 4000),
    deliveryCountry: issues.country('deliveryCountry', input.deliveryCountry),
    exemptionReason: issues.text('exemptionReason', input.exemptionReason, 500),
    exemptionReasonCode: issues.text('exemptionReasonCode', input.exemptionReasonCode, 30),
    allowances: (input.allowances ?? []).map((a, i) => adjustment(issues, `allowances.${i}`, a)),
    charges: (input.charges ?? []).map((c, i) => adjustment(issues, `charges.${i}`, c)),
  };
  if (issues.list.length > 0) throw invalidInput(issues.list);
  const totals = computeTotals(totalsInput(content, lines));
  return {
    content,
    lines: lines.map((l, i) => ({ ...l, netMinor: totals.lines[i]?.netAmount ?? 0n })),
    totals,
  };
}

/** The stored form of computed totals. */
export function storedTotals(totals: InvoiceTotals, taxAccounting: bigint | null = null): StoredTotals {
  return {
    lineExtension: totals.lineExtensionAmount,
    allowanceTotal: totals.allowanceTotalAmount,
    chargeTotal: totals.chargeTotalAmount,
    taxExclusive: totals.taxExclusiveAmount,
    tax: totals.taxAmount,
    taxInclusive: totals.taxInclusiveAmount,
    payable: totals.payableAmount,
    taxAccounting,
    vatBreakdown: totals.vatBreakdown.map((g) => ({
      vatCategory: g.vatCategory,
      vatRate: g.vatRate,
      taxableMinor: g.taxableAmount,
      taxMinor: g.taxAmount,
    })),
  };
}

/** The date `days` after `date`. */
export function addDays(date: IsoDate, days: number): IsoDate {
  let d = date;
  for (let i = 0; i < days; i++) d = nextDay(d);
  return d;
}

/** Today's date in the Netherlands at the given moment: an invoice date has no time zone of its own. */
export function dutchDate(at: Date): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(at);
}
