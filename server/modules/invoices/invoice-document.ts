/**
 * The frozen document of an issued invoice or credit note (domain/invoice-document.ts), built only
 * from what issuing stored: the seller and buyer snapshots, the lines, the number and dates. The
 * totals are recomputed by the same pure EN 16931 rules that stored them, so the document carries
 * per-line amounts; the language is the customer's, which only picks the wording of the texts.
 */
import type { DocumentParty, InvoiceDocument } from '../../../domain/invoice-document.ts';
import { computeTotals } from '../../../domain/totals.ts';
import { mandatoryTexts } from '../../../domain/vat.ts';
import { totalsInput } from './invoices.input.ts';
import type { BuyerParty, Invoice, SellerParty } from './invoices.model.ts';

/** An issued invoice: one with its number, issue date and party snapshots. */
export type IssuedInvoice = Invoice & {
  number: string;
  issueDate: string;
  buyer: BuyerParty;
  seller: SellerParty;
  issuedAt: Date;
};

/** True when the invoice has been issued and has everything a document needs. */
export function isIssued(invoice: Invoice): invoice is IssuedInvoice {
  return (
    invoice.status !== 'draft' &&
    invoice.number !== null &&
    invoice.issueDate !== null &&
    invoice.buyer !== null &&
    invoice.seller !== null &&
    invoice.issuedAt !== null
  );
}

/**
 * The ISO 11649 creditor reference (RF + check digits) for an invoice number, so a bank transfer
 * can be matched to it (BT-83); only letters and digits of the number count, at most 21 of them.
 */
export function rfReference(invoiceNumber: string): string {
  const body = invoiceNumber
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(-21);
  const digits = `${body || '0'}RF00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return `RF${String(98 - rest).padStart(2, '0')}${body || '0'}`;
}

function electronicAddress(peppolId: string | null): DocumentParty['electronicAddress'] {
  const match = peppolId ? /^(\d{4}):(.+)$/.exec(peppolId.trim()) : null;
  return match?.[1] && match[2] ? { scheme: match[1], id: match[2] } : null;
}

function sellerParty(s: SellerParty): DocumentParty {
  return {
    name: s.name,
    address: { street: s.street, postalCode: s.postalCode, city: s.city, country: s.country },
    vatNumber: s.vatNumber,
    kvkNumber: s.kvkNumber,
    contact: s.email ? { email: s.email } : null,
  };
}

function buyerParty(b: BuyerParty, fallbackCountry: string): DocumentParty {
  return {
    name: b.name,
    address: {
      street: b.street,
      postalCode: b.postalCode,
      city: b.city,
      country: b.country ?? fallbackCountry,
    },
    vatNumber: b.vatNumber,
    kvkNumber: b.kvkNumber,
    electronicAddress: electronicAddress(b.peppolId),
    contact: b.contactPerson || b.email ? { name: b.contactPerson, email: b.email } : null,
  };
}

/** Builds the document of an issued invoice; `language` is the buyer's (customer's) language. */
export function buildInvoiceDocument(invoice: IssuedInvoice, language: 'nl' | 'en'): InvoiceDocument {
  const { seller, buyer } = invoice;
  const totals = computeTotals(totalsInput(invoice, invoice.lines));
  const opt = <T>(value: T | null): T | undefined => value ?? undefined;
  const texts = mandatoryTexts(
    {
      seller: { country: seller.country, vatNumber: opt(seller.vatNumber), isKor: seller.isKor },
      lines: invoice.lines,
      allowances: invoice.allowances,
      charges: invoice.charges,
      exemptionReason: opt(invoice.exemptionReason),
      exemptionReasonCode: opt(invoice.exemptionReasonCode),
    },
    language,
  );
  const adjustment = (a: Invoice['allowances'][number], fallback: string) => ({
    reason: a.reason ?? fallback,
    vatCategory: a.vatCategory,
    vatRate: a.vatRate,
  });
  const credited = invoice.credited;
  return {
    kind: invoice.kind,
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    supplyDate: invoice.supplyDate,
    period:
      invoice.periodStart && invoice.periodEnd
        ? { start: invoice.periodStart, end: invoice.periodEnd }
        : null,
    currency: invoice.currency,
    vatInEur:
      invoice.currency === 'EUR'
        ? null
        : { amount: invoice.totals.taxAccounting ?? 0n, rate: invoice.exchangeRate ?? '1' },
    buyerReference: invoice.buyerReference,
    orderReference: invoice.orderReference,
    creditedInvoice:
      credited?.number && credited.date ? { number: credited.number, issueDate: credited.date } : null,
    paymentTerms: invoice.paymentTerms,
    notes: invoice.notes ? [invoice.notes] : [],
    seller: sellerParty(seller),
    buyer: buyerParty(buyer, seller.country),
    payment: seller.iban
      ? {
          iban: seller.iban,
          bic: seller.bic,
          accountName: seller.name,
          reference: rfReference(invoice.number),
        }
      : null,
    lines: invoice.lines.map((l, i) => ({
      id: String(i + 1),
      name: l.description,
      quantity: l.quantity,
      unitCode: l.unit,
      unitPrice: l.unitPrice,
      ...(l.priceBaseQuantity ? { priceBaseQuantity: l.priceBaseQuantity } : {}),
      discount: l.discount,
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    })),
    allowances: invoice.allowances.map((a) => adjustment(a, language === 'nl' ? 'Korting' : 'Discount')),
    charges: invoice.charges.map((c) => adjustment(c, language === 'nl' ? 'Toeslag' : 'Charge')),
    totals,
    texts,
    isKor: seller.isKor,
    language,
    issuedAt: invoice.issuedAt,
  };
}
