/**
 * The shapes of the invoices module: what clients send (decimal strings, ISO dates) and what use
 * cases return (plain values, amounts as bigint minor units). Routes format amounts for the API.
 */
import type { Adjustment } from '../../../domain/totals.ts';

/** The lifecycle, in the only order it may move (enforced by policy and by a database trigger). */
export const INVOICE_STATUSES = ['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited'] as const;
/** Where an invoice is in its lifecycle. */
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** An invoice, or a credit note correcting one. */
export type InvoiceKind = 'invoice' | 'credit_note';

/** One line as a client sends it. */
export interface LineInput {
  description: string;
  quantity: string;
  /** UN/ECE Recommendation 20 unit code: C62 (piece, the default), HUR (hour), DAY, KGM … */
  unit?: string;
  unitPrice: string;
  priceBaseQuantity?: string;
  discount?: Adjustment | null;
  vatCategory: string;
  vatRate: string;
}

/** A document-level discount or charge: a percent of the line total, or an amount. */
export type DocumentAdjustment = Adjustment & { reason?: string; vatCategory: string; vatRate: string };

/** What a client sends to create a draft invoice. */
export interface DraftInput {
  customerId: string;
  issueDate?: string | null;
  dueDate?: string | null;
  supplyDate?: string | null;
  periodStart?: string | null;
  periodEnd?: string | null;
  currency?: string;
  /** EUR per unit of the invoice currency, for the VAT total in EUR (BT-111) of a non-EUR invoice. */
  exchangeRate?: string | null;
  buyerReference?: string | null;
  orderReference?: string | null;
  paymentTermDays?: number | null;
  paymentTerms?: string | null;
  notes?: string | null;
  deliveryCountry?: string | null;
  exemptionReason?: string | null;
  exemptionReasonCode?: string | null;
  lines: LineInput[];
  allowances?: DocumentAdjustment[];
  charges?: DocumentAdjustment[];
}

/** A change to a draft: any subset of the fields; `lines`, when given, replaces all lines. */
export type DraftPatch = Partial<DraftInput>;

/** The buyer as printed on an issued invoice. */
export interface BuyerParty {
  name: string;
  contactPerson: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  vatNumber: string | null;
  kvkNumber: string | null;
  email: string | null;
  peppolId: string | null;
}

/** The seller as printed on an issued invoice. */
export interface SellerParty {
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string;
  vatNumber: string | null;
  kvkNumber: string | null;
  iban: string | null;
  bic: string | null;
  email: string | null;
  isKor: boolean;
}

/** A stored line. */
export interface InvoiceLine {
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
  /** On a credit note: the original line it credits. */
  creditedLineId: string | null;
}

/** One VAT group of the stored totals. */
export interface StoredVatGroup {
  vatCategory: string;
  vatRate: string;
  taxableMinor: bigint;
  taxMinor: bigint;
}

/** The stored totals (EN 16931 BT-106 … BT-115), in minor units of the invoice currency. */
export interface StoredTotals {
  lineExtension: bigint;
  allowanceTotal: bigint;
  chargeTotal: bigint;
  taxExclusive: bigint;
  tax: bigint;
  taxInclusive: bigint;
  payable: bigint;
  /** BT-111: the VAT total in EUR for a non-EUR invoice, once issued. */
  taxAccounting: bigint | null;
  vatBreakdown: StoredVatGroup[];
}

/** The editable content of an invoice, normalised: what a draft holds. */
export interface InvoiceContent {
  customerId: string;
  issueDate: string | null;
  dueDate: string | null;
  supplyDate: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  currency: string;
  exchangeRate: string | null;
  buyerReference: string | null;
  orderReference: string | null;
  paymentTermDays: number | null;
  paymentTerms: string | null;
  notes: string | null;
  deliveryCountry: string | null;
  exemptionReason: string | null;
  exemptionReasonCode: string | null;
  allowances: DocumentAdjustment[];
  charges: DocumentAdjustment[];
}

/** A line ready to store, with its computed net amount. */
export type LineWrite = Omit<InvoiceLine, 'id' | 'position'>;

/** An invoice or credit note as use cases return it. */
export interface Invoice extends InvoiceContent {
  id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  series: string | null;
  seq: number | null;
  number: string | null;
  buyer: BuyerParty | null;
  seller: SellerParty | null;
  totals: StoredTotals;
  /** On a credit note: the invoice it corrects, with the number and date it must print. */
  credited: { invoiceId: string; number: string | null; date: string | null } | null;
  paidMinor: bigint;
  issuedAt: Date | null;
  sentAt: Date | null;
  paidAt: Date | null;
  creditedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  lines: InvoiceLine[];
}

/** An invoice or credit note in a summary list: no lines, of the parties only the buyer's name as issued. */
export interface InvoiceSummary {
  id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  customerId: string;
  number: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string;
  /** The frozen buyer's name once issued; null for a draft. */
  buyerName: string | null;
  totals: { taxExclusive: bigint; tax: bigint; taxInclusive: bigint; payable: bigint };
  paidMinor: bigint;
  creditedInvoiceId: string | null;
  issuedAt: Date | null;
  sentAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
