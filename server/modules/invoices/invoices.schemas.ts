/**
 * The invoices API's schemas. Requests are camelCase JSON with amounts, quantities and rates as
 * decimal strings; the response schema is the allow-list of what leaves the server (STYLE rule 2):
 * an invoice is always serialised through `presentInvoice`, amounts as decimal strings.
 */
import { Type } from 'typebox';
import { formatMinor } from '../../../domain/currency.ts';
import { vatTotalInAccountingCurrency } from '../../../domain/totals.ts';
import type { Invoice, InvoiceSummary } from './invoices.model.ts';

const Str = (max: number) => Type.String({ maxLength: max });
const Opt = (max: number) => Type.Optional(Type.Union([Str(max), Type.Null()]));
const Dec = Type.String({ maxLength: 40 });
const VatCategory = Type.Union(['S', 'Z', 'E', 'AE', 'K', 'G', 'O'].map((c) => Type.Literal(c)));
const Nullable = Type.Union([Type.String(), Type.Null()]);

const Percent = { percent: Dec };
const Amount = { amount: Dec };
const strict = { additionalProperties: false };
const LineDiscount = Type.Union([Type.Object(Percent, strict), Type.Object(Amount, strict)]);
const docAdjustment = { reason: Type.Optional(Str(100)), vatCategory: VatCategory, vatRate: Dec };
const DocAdjustmentIn = Type.Union([
  Type.Object({ ...Percent, ...docAdjustment }, strict),
  Type.Object({ ...Amount, ...docAdjustment }, strict),
]);

const LineIn = Type.Object(
  {
    description: Str(1000),
    quantity: Dec,
    unit: Type.Optional(Str(3)),
    unitPrice: Dec,
    priceBaseQuantity: Type.Optional(Dec),
    discount: Type.Optional(Type.Union([LineDiscount, Type.Null()])),
    vatCategory: VatCategory,
    vatRate: Dec,
  },
  strict,
);

const fields = {
  issueDate: Opt(10),
  dueDate: Opt(10),
  supplyDate: Opt(10),
  periodStart: Opt(10),
  periodEnd: Opt(10),
  currency: Type.Optional(Str(3)),
  exchangeRate: Opt(40),
  buyerReference: Opt(200),
  orderReference: Opt(200),
  paymentTermDays: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 365 }), Type.Null()])),
  paymentTerms: Opt(500),
  notes: Opt(4000),
  deliveryCountry: Opt(2),
  exemptionReason: Opt(500),
  exemptionReasonCode: Opt(30),
  allowances: Type.Optional(Type.Array(DocAdjustmentIn, { maxItems: 100 })),
  charges: Type.Optional(Type.Array(DocAdjustmentIn, { maxItems: 100 })),
};

/** POST /api/v1/invoices: a draft. */
export const CreateInvoiceBody = Type.Object(
  { customerId: Str(64), ...fields, lines: Type.Array(LineIn, { maxItems: 1000 }) },
  strict,
);

/** PATCH /api/v1/invoices/{id}: any field of a draft; `lines` replaces all lines. */
export const UpdateInvoiceBody = Type.Object(
  {
    customerId: Type.Optional(Str(64)),
    ...fields,
    lines: Type.Optional(Type.Array(LineIn, { maxItems: 1000 })),
  },
  strict,
);

/** POST /api/v1/invoices/{id}/credit-notes: all lines (no `lines`), or some, each in full or in part. */
export const CreditNoteBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(Type.Object({ lineId: Str(64), quantity: Type.Optional(Dec) }, strict), {
        maxItems: 1000,
      }),
    ),
  },
  strict,
);

const AddressOut = Type.Object({ street: Nullable, postalCode: Nullable, city: Nullable, country: Nullable });

const PartyOut = Type.Object({
  name: Type.String(),
  address: AddressOut,
  vatNumber: Nullable,
  kvkNumber: Nullable,
  email: Nullable,
});

const AdjustmentOut = Type.Object({
  percent: Type.Optional(Type.String()),
  amount: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  vatCategory: Type.String(),
  vatRate: Type.String(),
});

const LineOut = Type.Object({
  id: Type.String(),
  description: Type.String(),
  quantity: Type.String(),
  unit: Type.String(),
  unitPrice: Type.String(),
  priceBaseQuantity: Nullable,
  discount: Type.Union([
    Type.Object({ percent: Type.Optional(Type.String()), amount: Type.Optional(Type.String()) }),
    Type.Null(),
  ]),
  vatCategory: Type.String(),
  vatRate: Type.String(),
  netAmount: Type.String(),
  creditedLineId: Nullable,
});

const TotalsOut = Type.Object({
  lineExtension: Type.String(),
  allowanceTotal: Type.String(),
  chargeTotal: Type.String(),
  net: Type.String(),
  vat: Type.String(),
  gross: Type.String(),
  payable: Type.String(),
  vatBreakdown: Type.Array(
    Type.Object({
      vatCategory: Type.String(),
      vatRate: Type.String(),
      taxable: Type.String(),
      vat: Type.String(),
    }),
  ),
  /** A non-EUR invoice states its VAT total in EUR (BT-111) with the rate used (EUR per unit). */
  vatInEur: Type.Union([Type.Object({ amount: Type.String(), exchangeRate: Type.String() }), Type.Null()]),
});

/** An invoice or credit note as the API returns it. */
export const InvoiceOut = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]),
  status: Type.String(),
  number: Nullable,
  customerId: Type.String(),
  issueDate: Nullable,
  dueDate: Nullable,
  supplyDate: Nullable,
  periodStart: Nullable,
  periodEnd: Nullable,
  currency: Type.String(),
  exchangeRate: Nullable,
  buyerReference: Nullable,
  orderReference: Nullable,
  paymentTermDays: Type.Union([Type.Integer(), Type.Null()]),
  paymentTerms: Nullable,
  notes: Nullable,
  deliveryCountry: Nullable,
  exemptionReason: Nullable,
  exemptionReasonCode: Nullable,
  allowances: Type.Array(AdjustmentOut),
  charges: Type.Array(AdjustmentOut),
  lines: Type.Array(LineOut),
  totals: TotalsOut,
  buyer: Type.Union([PartyOut, Type.Null()]),
  seller: Type.Union([PartyOut, Type.Null()]),
  credited: Type.Union([
    Type.Object({ invoiceId: Type.String(), number: Nullable, date: Nullable }),
    Type.Null(),
  ]),
  paidAmount: Type.String(),
  issuedAt: Nullable,
  sentAt: Nullable,
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** GET /api/v1/invoices: a page, filtered. */
export const ListInvoicesQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union(
        ['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited'].map((v) => Type.Literal(v)),
      ),
    ),
    customerId: Type.Optional(Str(64)),
    from: Type.Optional(Str(10)),
    to: Type.Optional(Str(10)),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "Part of the number, or the customer's whole name (case and spaces ignored)",
      }),
    ),
    cursor: Type.Optional(Str(64)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  strict,
);

/** An invoice in a list: with its customer's name (as invoiced once issued, current while a draft). */
export const InvoiceListItemOut = Type.Object({ ...InvoiceOut.properties, customerName: Nullable });

/** A page of invoices. */
export const InvoicePage = Type.Object({
  items: Type.Array(InvoiceListItemOut),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** An invoice in a summary list: the list columns and the customer's name, no lines, no other party data. */
export const InvoiceSummaryOut = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]),
  status: Type.String(),
  number: Nullable,
  customerId: Type.String(),
  customerName: Nullable,
  issueDate: Nullable,
  dueDate: Nullable,
  currency: Type.String(),
  totals: Type.Object({
    net: Type.String(),
    vat: Type.String(),
    gross: Type.String(),
    payable: Type.String(),
  }),
  paidAmount: Type.String(),
  creditedInvoiceId: Nullable,
  issuedAt: Nullable,
  sentAt: Nullable,
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** A page of invoice summaries. */
export const InvoiceSummaryPage = Type.Object({
  items: Type.Array(InvoiceSummaryOut),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** GET /api/v1/invoices/{id}/ubl: the UBL flavour, Peppol BIS 3.0 unless NLCIUS is asked for. */
export const UblQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('peppol'), Type.Literal('nlcius')])) },
  strict,
);

/** The id in an invoice route. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

function party(p: {
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  vatNumber: string | null;
  kvkNumber: string | null;
  email: string | null;
}) {
  const { street, postalCode, city, country } = p;
  return {
    name: p.name,
    address: { street, postalCode, city, country },
    vatNumber: p.vatNumber,
    kvkNumber: p.kvkNumber,
    email: p.email,
  };
}

/**
 * BT-111 of a non-EUR invoice: as frozen at issue, or for a draft what issuing would state; null
 * for EUR, or while a draft has no rate yet.
 */
function vatInEur(i: Invoice): { amount: string; exchangeRate: string } | null {
  if (i.currency === 'EUR' || !i.exchangeRate) return null;
  const eur =
    i.totals.taxAccounting ?? vatTotalInAccountingCurrency(i.totals.tax, i.currency, i.exchangeRate);
  return { amount: formatMinor(eur, 'EUR'), exchangeRate: i.exchangeRate };
}

/** The API shape of an invoice: amounts in minor units become decimal strings of its currency. */
export function presentInvoice(i: Invoice) {
  const money = (minor: bigint) => formatMinor(minor, i.currency);
  const t = i.totals;
  return {
    ...i,
    lines: i.lines.map((l) => ({ ...l, netAmount: money(l.netMinor) })),
    totals: {
      lineExtension: money(t.lineExtension),
      allowanceTotal: money(t.allowanceTotal),
      chargeTotal: money(t.chargeTotal),
      net: money(t.taxExclusive),
      vat: money(t.tax),
      gross: money(t.taxInclusive),
      payable: money(t.payable),
      vatBreakdown: t.vatBreakdown.map((g) => ({
        vatCategory: g.vatCategory,
        vatRate: g.vatRate,
        taxable: money(g.taxableMinor),
        vat: money(g.taxMinor),
      })),
      vatInEur: vatInEur(i),
    },
    buyer: i.buyer ? party(i.buyer) : null,
    seller: i.seller ? party(i.seller) : null,
    paidAmount: money(i.paidMinor),
    issuedAt: i.issuedAt?.toISOString() ?? null,
    sentAt: i.sentAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/** The API shape of a summary: amounts as decimal strings of its currency, as in `presentInvoice`. */
export function presentSummary(i: InvoiceSummary & { customerName: string | null }) {
  const money = (minor: bigint) => formatMinor(minor, i.currency);
  return {
    id: i.id,
    kind: i.kind,
    status: i.status,
    number: i.number,
    customerId: i.customerId,
    customerName: i.customerName,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    currency: i.currency,
    totals: {
      net: money(i.totals.taxExclusive),
      vat: money(i.totals.tax),
      gross: money(i.totals.taxInclusive),
      payable: money(i.totals.payable),
    },
    paidAmount: money(i.paidMinor),
    creditedInvoiceId: i.creditedInvoiceId,
    issuedAt: i.issuedAt?.toISOString() ?? null,
    sentAt: i.sentAt?.toISOString() ?? null,
    version: i.version,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}
