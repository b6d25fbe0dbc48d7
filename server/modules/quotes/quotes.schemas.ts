/**
 * The quotes API's schemas. Lines, amounts and adjustments have the invoices' shapes (decimal
 * strings); the response schema is the allow-list of what leaves the server (STYLE rule 2): a quote
 * always goes through `presentQuote`, amounts formatted in its currency.
 */
import { Type } from 'typebox';
import { formatMinor } from '../../../domain/currency.ts';
import type { Quote } from './quotes.model.ts';

const strict = { additionalProperties: false };
const Str = (max: number) => Type.String({ maxLength: max });
const Opt = (max: number) => Type.Optional(Type.Union([Str(max), Type.Null()]));
const Dec = Type.String({ maxLength: 40 });
const VatCategory = Type.Union(['S', 'Z', 'E', 'AE', 'K', 'G', 'O'].map((c) => Type.Literal(c)));
const Nullable = Type.Union([Type.String(), Type.Null()]);
const Status = Type.Union([
  Type.Literal('draft'),
  Type.Literal('sent'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
  Type.Literal('expired'),
]);

const LineDiscount = Type.Union([
  Type.Object({ percent: Dec }, strict),
  Type.Object({ amount: Dec }, strict),
]);
const adjustment = { reason: Type.Optional(Str(100)), vatCategory: VatCategory, vatRate: Dec };
const AdjustmentIn = Type.Union([
  Type.Object({ percent: Dec, ...adjustment }, strict),
  Type.Object({ amount: Dec, ...adjustment }, strict),
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
  quoteDate: Opt(10),
  validUntil: Opt(10),
  currency: Type.Optional(Str(3)),
  notes: Opt(4000),
  allowances: Type.Optional(Type.Array(AdjustmentIn, { maxItems: 100 })),
  charges: Type.Optional(Type.Array(AdjustmentIn, { maxItems: 100 })),
};

/** POST /api/v1/quotes: a draft. */
export const CreateQuoteBody = Type.Object(
  { customerId: Str(64), ...fields, lines: Type.Array(LineIn, { maxItems: 1000 }) },
  strict,
);

/** PATCH /api/v1/quotes/{id}: any field of a draft; `lines` replaces all lines; `version` guards. */
export const UpdateQuoteBody = Type.Object(
  {
    customerId: Type.Optional(Str(64)),
    ...fields,
    lines: Type.Optional(Type.Array(LineIn, { maxItems: 1000 })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);

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
});

const TotalsOut = Type.Object({
  lineExtension: Type.String(),
  allowanceTotal: Type.String(),
  chargeTotal: Type.String(),
  net: Type.String(),
  vat: Type.String(),
  gross: Type.String(),
  vatBreakdown: Type.Array(
    Type.Object({
      vatCategory: Type.String(),
      vatRate: Type.String(),
      taxable: Type.String(),
      vat: Type.String(),
    }),
  ),
});

/** A quote as the API returns it. */
export const QuoteOut = Type.Object({
  id: Type.String(),
  status: Status,
  number: Nullable,
  customerId: Type.String(),
  quoteDate: Nullable,
  validUntil: Nullable,
  currency: Type.String(),
  notes: Nullable,
  allowances: Type.Array(AdjustmentOut),
  charges: Type.Array(AdjustmentOut),
  lines: Type.Array(LineOut),
  totals: TotalsOut,
  invoiceId: Nullable,
  sentAt: Nullable,
  acceptedAt: Nullable,
  declinedAt: Nullable,
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** POST /api/v1/quotes/{id}/accept: the accepted quote and the draft invoice made from it. */
export const AcceptedOut = Type.Object({ quote: QuoteOut, invoiceId: Type.String() });

/** GET /api/v1/quotes: a page, filtered by status (expired included) and customer. */
export const ListQuotesQuery = Type.Object(
  {
    status: Type.Optional(Status),
    customerId: Type.Optional(Str(64)),
    cursor: Type.Optional(Str(64)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  strict,
);

/** A page of quotes. */
export const QuotePage = Type.Object({
  items: Type.Array(QuoteOut),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** The id in a quote route. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** The API shape of a quote: amounts in minor units become decimal strings of its currency. */
export function presentQuote(q: Quote) {
  const money = (minor: bigint) => formatMinor(minor, q.currency);
  const t = q.totals;
  const { storedStatus: _stored, ...rest } = q;
  return {
    ...rest,
    lines: q.lines.map(({ netMinor, position: _position, ...l }) => ({ ...l, netAmount: money(netMinor) })),
    totals: {
      lineExtension: money(t.lineExtension),
      allowanceTotal: money(t.allowanceTotal),
      chargeTotal: money(t.chargeTotal),
      net: money(t.taxExclusive),
      vat: money(t.tax),
      gross: money(t.taxInclusive),
      vatBreakdown: t.vatBreakdown.map((g) => ({
        vatCategory: g.vatCategory,
        vatRate: g.vatRate,
        taxable: money(g.taxableMinor),
        vat: money(g.taxMinor),
      })),
    },
    sentAt: q.sentAt?.toISOString() ?? null,
    acceptedAt: q.acceptedAt?.toISOString() ?? null,
    declinedAt: q.declinedAt?.toISOString() ?? null,
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
  };
}
