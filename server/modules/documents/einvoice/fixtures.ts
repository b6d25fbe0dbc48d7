/**
 * Test fixtures: InvoiceDocument values built the way the invoices module builds them, with the real
 * totals (domain computeTotals) and the real legal texts (domain mandatoryTexts), after the domain's
 * VAT consistency check. Used by the writers' tests and the validation matrix (matrix.fixtures.ts).
 */

import type { DocumentParty, InvoiceDocument } from '../../../../domain/invoice-document.ts';
import {
  type Adjustment,
  computeTotals,
  type DocumentAdjustmentInput,
  vatTotalInAccountingCurrency,
} from '../../../../domain/totals.ts';
import { assertVatConsistency, mandatoryTexts } from '../../../../domain/vat.ts';

/** A Dutch business in the standard VAT scheme, reachable on Peppol by its KvK number. */
export const SELLER: DocumentParty = {
  name: 'Studio Kluis B.V.',
  tradingName: 'Kluis Ontwerp',
  address: { street: 'Keizersgracht 1', postalCode: '1015 CC', city: 'Amsterdam', country: 'NL' },
  vatNumber: 'NL123456782B01',
  kvkNumber: '12345678',
  contact: { name: 'Anna de Vries', email: 'facturen@kluis.example', phone: '+31 20 123 4567' },
};

/** Buyers for the matrix, by the case they stand for. */
export const BUYERS = {
  dutchBusiness: {
    name: 'Bakkerij Jansen B.V.',
    address: { street: 'Dorpsstraat 12', postalCode: '3511 AB', city: 'Utrecht', country: 'NL' },
    vatNumber: 'NL810433941B01',
    kvkNumber: '87654321',
    contact: { name: 'Piet Jansen', email: 'piet@jansen.example' },
  },
  belgianBusiness: {
    name: 'Brouwerij Peeters BV',
    address: { street: 'Grote Markt 5', postalCode: '2000', city: 'Antwerpen', country: 'BE' },
    vatNumber: 'BE0403170701',
    kvkNumber: null,
  },
  germanBusiness: {
    name: 'Müller & Söhne GmbH',
    address: { street: 'Hauptstraße 7', postalCode: '10115', city: 'Berlin', country: 'DE' },
    vatNumber: 'DE811128135',
    kvkNumber: null,
  },
  swissBusiness: {
    name: 'Uhrwerk Zürich AG',
    address: { street: 'Bahnhofstrasse 3', postalCode: '8001', city: 'Zürich', country: 'CH' },
    vatNumber: null,
    kvkNumber: null,
    electronicAddress: { scheme: '0088', id: '7612345000008' },
  },
  dutchConsumer: {
    name: 'J. de Boer',
    address: { street: 'Lindelaan 4', postalCode: '9712 AA', city: 'Groningen', country: 'NL' },
    vatNumber: null,
    kvkNumber: null,
    contact: { email: 'j.deboer@mail.example' },
  },
  // A private person in Belgium: NLCIUS asks a buyer's KvK or OIN number only of Dutch buyers (BR-NL-10).
  belgianConsumer: {
    name: 'M. Claes',
    address: { street: 'Meir 20', postalCode: '2000', city: 'Antwerpen', country: 'BE' },
    vatNumber: null,
    kvkNumber: null,
  },
  // A Dutch private person reachable on Peppol (here by a GLN): Peppol needs only an address (R010).
  dutchConsumerOnPeppol: {
    name: 'E. Visser',
    address: { street: 'Kerkstraat 8', postalCode: '2611 GX', city: 'Delft', country: 'NL' },
    vatNumber: null,
    kvkNumber: null,
    electronicAddress: { scheme: '0088', id: '8712345000004' },
  },
} satisfies Record<string, DocumentParty>;

/** One line as a fixture gives it: the totals input plus what the documents show. */
export interface FixtureLine {
  name: string;
  description?: string;
  quantity: string;
  unitPrice: string;
  unitCode?: string;
  priceBaseQuantity?: string;
  discount?: Adjustment;
  charges?: readonly Adjustment[];
  vatCategory: string;
  vatRate: string;
}

/** A document-level allowance or charge as a fixture gives it. */
export type FixtureAdjustment = DocumentAdjustmentInput & { reason: string };

/** Everything a fixture may set; the rest gets sensible Dutch defaults. */
export interface FixtureSpec {
  kind?: InvoiceDocument['kind'];
  number?: string;
  issueDate?: string;
  dueDate?: string | null;
  supplyDate?: string | null;
  period?: { start: string; end: string } | null;
  currency?: string;
  /** EUR per unit of the invoice currency, for BT-111. */
  exchangeRate?: string;
  buyerReference?: string | null;
  orderReference?: string | null;
  creditedInvoice?: { number: string; issueDate: string } | null;
  paymentTerms?: string | null;
  notes?: readonly string[];
  seller?: DocumentParty;
  buyer?: DocumentParty;
  isKor?: boolean;
  language?: 'nl' | 'en';
  lines: readonly FixtureLine[];
  allowances?: readonly FixtureAdjustment[];
  charges?: readonly FixtureAdjustment[];
  prepaidAmount?: string;
  roundingAmount?: string;
  exemptionReason?: string;
  exemptionReasonCode?: string;
  payment?: InvoiceDocument['payment'];
}

/** Builds a document with computed totals and texts; throws when the domain's VAT rules refuse it. */
export function buildFixture(spec: FixtureSpec): InvoiceDocument {
  const seller = spec.seller ?? SELLER;
  const buyer = spec.buyer ?? BUYERS.dutchBusiness;
  const currency = spec.currency ?? 'EUR';
  const issueDate = spec.issueDate ?? '2026-03-02';
  const vatLines = spec.lines.map((l) => ({ vatCategory: l.vatCategory, vatRate: l.vatRate }));
  const vatInput = {
    issueDate,
    ...(spec.supplyDate ? { supplyDate: spec.supplyDate } : {}),
    seller: {
      country: seller.address.country,
      ...(seller.vatNumber ? { vatNumber: seller.vatNumber } : {}),
      isKor: spec.isKor ?? false,
    },
    buyer: { country: buyer.address.country, ...(buyer.vatNumber ? { vatNumber: buyer.vatNumber } : {}) },
    deliveryCountry: buyer.address.country,
    ...(spec.exemptionReason ? { exemptionReason: spec.exemptionReason } : {}),
    ...(spec.exemptionReasonCode ? { exemptionReasonCode: spec.exemptionReasonCode } : {}),
    lines: vatLines,
    allowances: spec.allowances ?? [],
    charges: spec.charges ?? [],
  };
  assertVatConsistency(vatInput);
  const language = spec.language ?? 'nl';
  const totals = computeTotals({
    currency,
    lines: spec.lines.map(({ name: _name, description: _d, unitCode: _u, ...rest }) => rest),
    allowances: spec.allowances ?? [],
    charges: spec.charges ?? [],
    ...(spec.prepaidAmount ? { prepaidAmount: spec.prepaidAmount } : {}),
    ...(spec.roundingAmount ? { roundingAmount: spec.roundingAmount } : {}),
  });
  const exchangeRate = spec.exchangeRate ?? '1';
  return {
    kind: spec.kind ?? 'invoice',
    number: spec.number ?? '2026-0001',
    issueDate,
    dueDate: spec.dueDate === undefined ? '2026-04-01' : spec.dueDate,
    supplyDate: spec.supplyDate ?? null,
    period: spec.period ?? null,
    currency,
    vatInEur:
      currency === 'EUR'
        ? null
        : {
            amount: vatTotalInAccountingCurrency(totals.taxAmount, currency, exchangeRate),
            rate: exchangeRate,
          },
    buyerReference: spec.buyerReference === undefined ? 'PO-4711' : spec.buyerReference,
    orderReference: spec.orderReference ?? null,
    creditedInvoice: spec.creditedInvoice ?? null,
    paymentTerms: spec.paymentTerms === undefined ? 'Betaling binnen 30 dagen' : spec.paymentTerms,
    notes: spec.notes ?? [],
    seller,
    buyer,
    payment:
      spec.payment === undefined
        ? {
            iban: 'NL91ABNA0417164300',
            bic: 'ABNANL2A',
            accountName: seller.name,
            reference: 'RF18539007547034',
          }
        : spec.payment,
    lines: spec.lines.map((l, i) => ({
      id: String(i + 1),
      name: l.name,
      description: l.description ?? null,
      quantity: l.quantity,
      unitCode: l.unitCode ?? 'C62',
      unitPrice: l.unitPrice,
      ...(l.priceBaseQuantity ? { priceBaseQuantity: l.priceBaseQuantity } : {}),
      discount: l.discount ?? null,
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    })),
    allowances: (spec.allowances ?? []).map((a) => ({
      reason: a.reason,
      vatCategory: a.vatCategory,
      vatRate: a.vatRate,
    })),
    charges: (spec.charges ?? []).map((c) => ({
      reason: c.reason,
      vatCategory: c.vatCategory,
      vatRate: c.vatRate,
    })),
    totals,
    texts: mandatoryTexts(vatInput, language),
    isKor: spec.isKor ?? false,
    language,
    issuedAt: new Date(`${issueDate}T09:00:00Z`),
  };
}

/** A standard-rated line, the most common kind. */
export function line(name: string, quantity: string, unitPrice: string, vatRate = '21'): FixtureLine {
  return { name, quantity, unitPrice, vatCategory: 'S', vatRate };
}
