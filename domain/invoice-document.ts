/**
 * The frozen content of an issued invoice or credit note, as every document writer reads it: the
 * PDF renderer, the UBL writers (Peppol BIS 3.0, NLCIUS) and the CII writer (Factur-X). It is built
 * once, at issue time, from the invoice and the snapshots of seller and buyer; writers never look
 * anything up, so the same document always renders to the same bytes.
 */
import type { InvoiceTotals } from './totals-model.ts';
import type { MandatoryText } from './vat.ts';

/** A postal address (BG-5 / BG-8). */
export interface DocumentAddress {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** A party: the seller (BG-4) or the buyer (BG-7). */
export interface DocumentParty {
  name: string;
  /** Trading name, when it differs (BT-28 / BT-45). */
  tradingName?: string | null;
  address: DocumentAddress;
  /** VAT number with country prefix (BT-31 / BT-48). */
  vatNumber: string | null;
  /** Dutch KvK number (legal registration, scheme 0106 in UBL). */
  kvkNumber: string | null;
  /** Peppol participant id, e.g. "0106:12345678" or "9944:NL…" (BT-34 / BT-49). */
  electronicAddress?: { scheme: string; id: string } | null;
  contact?: { name?: string | null; email?: string | null; phone?: string | null } | null;
}

/** One line as the documents show it; amounts in minor units come from `totals.lines[i]`. */
export interface DocumentLine {
  /** BT-126, 1-based. */
  id: string;
  /** BT-153 item name; BT-154 description when longer. */
  name: string;
  description?: string | null;
  /** Decimal strings as entered (BT-129, BT-146, BT-149). */
  quantity: string;
  /** UN/ECE Rec 20 code, e.g. "C62" (piece), "HUR" (hour), "DAY". */
  unitCode: string;
  unitPrice: string;
  priceBaseQuantity?: string;
  /** Line discount as given (percent or amount string), for display and BG-27. */
  discount?: { percent: string } | { amount: string } | null;
  vatCategory: string;
  vatRate: string;
}

/** A document-level allowance (BG-20) or charge (BG-21), with a reason (BT-97 / BT-104). */
export interface DocumentAdjustment {
  reason: string;
  vatCategory: string;
  vatRate: string;
}

/** Everything a document writer needs. Dates are ISO `YYYY-MM-DD`; amounts are in `totals`. */
export interface InvoiceDocument {
  kind: 'invoice' | 'credit_note';
  /** BT-1. */
  number: string;
  /** BT-2. */
  issueDate: string;
  /** BT-9. */
  dueDate: string | null;
  /** BT-72, when it differs from the issue date; or an invoicing period (BG-14). */
  supplyDate?: string | null;
  period?: { start: string; end: string } | null;
  /** BT-5 (ISO 4217). */
  currency: string;
  /** BT-6 and BT-111 for a non-EUR invoice: the VAT total in EUR and the rate used. */
  vatInEur?: { amount: bigint; rate: string } | null;
  /** BT-10 buyer reference, BT-13 order reference. */
  buyerReference: string | null;
  orderReference: string | null;
  /** BT-25 and BT-26 for a credit note. */
  creditedInvoice?: { number: string; issueDate: string } | null;
  /** BT-20 payment terms text and BT-22 notes. */
  paymentTerms: string | null;
  notes: readonly string[];
  seller: DocumentParty;
  buyer: DocumentParty;
  /** Payment by credit transfer (BG-16/BG-17): the seller's IBAN, BIC and the structured reference (BT-83). */
  payment: { iban: string; bic: string | null; accountName: string | null; reference: string } | null;
  lines: readonly DocumentLine[];
  allowances: readonly DocumentAdjustment[];
  charges: readonly DocumentAdjustment[];
  /** The computed totals (domain/totals.ts), in the order of `lines`, `allowances` and `charges`. */
  totals: InvoiceTotals;
  /** The legal texts the VAT engine decided (domain/vat.ts mandatoryTexts), in the document's language. */
  texts: readonly MandatoryText[];
  /** The business is in the small-business scheme (KOR): no VAT, the exemption stated, never "0 %". */
  isKor: boolean;
  /** Language of the document for people (PDF, mail). */
  language: 'nl' | 'en';
  /** Layout choices of the business. */
  style?: {
    accentColor?: string | null;
    logo?: { data: Buffer; mediaType: 'image/png' | 'image/jpeg' } | null;
  };
  /** When the invoice was issued (PDF creation date, deterministic output). */
  issuedAt: Date;
}
