/**
 * The shapes of the quotes module: what clients send (decimal strings, ISO dates) and what use cases
 * return (plain values, amounts as bigint minor units). Lines and document adjustments have the same
 * shape as an invoice's, so accepting a quote copies them into a draft invoice unchanged.
 */
import type { Adjustment } from '../../../domain/totals.ts';
import type { DocumentAdjustment, LineInput, StoredTotals } from '../invoices/index.ts';

/** The stored lifecycle: draft → sent → accepted or declined. */
export const STORED_STATUSES = ['draft', 'sent', 'accepted', 'declined'] as const;
/** A stored status. */
export type StoredStatus = (typeof STORED_STATUSES)[number];
/** What clients see: a sent quote past its `validUntil` is `expired` (derived from the clock, never stored). */
export type QuoteStatus = StoredStatus | 'expired';
/** Every status a client can filter on. */
export const QUOTE_STATUSES: readonly QuoteStatus[] = [...STORED_STATUSES, 'expired'];

/** What a client sends to create a draft quote. */
export interface QuoteInput {
  customerId: string;
  /** The quote's date; set to today when it is sent without one. */
  quoteDate?: string | null;
  /** The last day the customer can accept; 30 days after the quote date when sent without one. */
  validUntil?: string | null;
  currency?: string;
  notes?: string | null;
  lines: LineInput[];
  allowances?: DocumentAdjustment[];
  charges?: DocumentAdjustment[];
}

/** A change to a draft: any subset of the fields; `lines`, when given, replaces all lines. */
export type QuotePatch = Partial<QuoteInput>;

/** A stored line (the invoice line shape without credit references). */
export interface QuoteLine {
  id: string;
  position: number;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  priceBaseQuantity: string | null;
  discount: Adjustment | null;
  vatCategory: string;
  vatRate: string;
  netMinor: bigint;
}

/** A line ready to store, with its computed net amount. */
export type QuoteLineWrite = Omit<QuoteLine, 'id' | 'position'>;

/** The editable content of a quote, validated and normalised. */
export interface QuoteContent {
  customerId: string;
  quoteDate: string | null;
  validUntil: string | null;
  currency: string;
  notes: string | null;
  allowances: DocumentAdjustment[];
  charges: DocumentAdjustment[];
}

/** A quote as use cases return it; `status` is the derived one, `storedStatus` what the row holds. */
export interface Quote extends QuoteContent {
  id: string;
  status: QuoteStatus;
  storedStatus: StoredStatus;
  number: string | null;
  totals: Omit<StoredTotals, 'payable' | 'taxAccounting'>;
  invoiceId: string | null;
  sentAt: Date | null;
  acceptedAt: Date | null;
  declinedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  lines: QuoteLine[];
}
