/**
 * The shapes of the EN 16931 totals computation (totals.ts): what goes in, as the client's decimal
 * strings, and what comes out, as bigint minor units of the invoice currency.
 */

import type { VatCategory } from './vat-rates.ts';

/** An allowance or charge given either as a percentage of its base or as an amount. */
export type Adjustment = { percent: string } | { amount: string };

/** One invoice line; numbers are decimal strings as the client sent them. */
export interface TotalsLineInput {
  /** BT-129, at most 4 decimals; negative for a correction line. */
  quantity: string;
  /** BT-146 item net price, at most 4 decimals, never negative (BR-27). */
  unitPrice: string;
  /** BT-149, the quantity the price is for ("12.00 per 100 pieces"); 1 when absent. */
  priceBaseQuantity?: string;
  /** Line allowance (BG-27): percent of the line amount, or an amount. */
  discount?: Adjustment;
  /** Line charges (BG-28): percent of the line amount, or amounts. */
  charges?: readonly Adjustment[];
  vatCategory: string;
  vatRate: string;
}

/** A document-level allowance (BG-20) or charge (BG-21); a percent applies to the sum of line nets (BT-106). */
export type DocumentAdjustmentInput = Adjustment & { vatCategory: string; vatRate: string };

/** Everything the totals depend on. */
export interface TotalsInput {
  currency: string;
  lines: readonly TotalsLineInput[];
  allowances?: readonly DocumentAdjustmentInput[];
  charges?: readonly DocumentAdjustmentInput[];
  /** BT-113, already paid; 0 when absent. */
  prepaidAmount?: string;
  /** BT-114, added to reach a payable amount (e.g. cash rounding); 0 when absent. */
  roundingAmount?: string;
}

/** The computed amounts of one line. */
export interface LineTotals {
  /** quantity × price / base quantity, rounded: the base of the line's percentages (BT-137/BT-142). */
  grossAmount: bigint;
  /** Sum of line allowances (BT-136). */
  allowanceAmount: bigint;
  /** Sum of line charges (BT-141). */
  chargeAmount: bigint;
  /** BT-131 = gross − allowances + charges. */
  netAmount: bigint;
}

/** A computed document-level allowance or charge. */
export interface AdjustmentTotals {
  /** BT-93 / BT-100, present when given as a percent. */
  baseAmount?: bigint;
  /** BT-94 / BT-101 as given. */
  percent?: string;
  /** BT-92 / BT-99. */
  amount: bigint;
  vatCategory: VatCategory;
  vatRate: string;
}

/** One VAT breakdown group (BG-23) per category and rate. */
export interface VatBreakdown {
  vatCategory: VatCategory;
  /** BT-119 in canonical form ("21", "5.5"). */
  vatRate: string;
  /** BT-116. */
  taxableAmount: bigint;
  /** BT-117 = taxable × rate / 100, rounded once for the group. */
  taxAmount: bigint;
}

/** The totals of an invoice, all in minor units of `currency`. */
export interface InvoiceTotals {
  currency: string;
  lines: LineTotals[];
  allowances: AdjustmentTotals[];
  charges: AdjustmentTotals[];
  /** BT-106, sum of line nets. */
  lineExtensionAmount: bigint;
  /** BT-107, sum of document allowances. */
  allowanceTotalAmount: bigint;
  /** BT-108, sum of document charges. */
  chargeTotalAmount: bigint;
  /** BT-109 = BT-106 − BT-107 + BT-108. */
  taxExclusiveAmount: bigint;
  /** BG-23, ordered by category (S, Z, E, AE, K, G, O) then by rate, highest first. */
  vatBreakdown: VatBreakdown[];
  /** BT-110, sum of the groups' tax. */
  taxAmount: bigint;
  /** BT-112 = BT-109 + BT-110. */
  taxInclusiveAmount: bigint;
  /** BT-113. */
  prepaidAmount: bigint;
  /** BT-114. */
  roundingAmount: bigint;
  /** BT-115 = BT-112 − BT-113 + BT-114. */
  payableAmount: bigint;
}
