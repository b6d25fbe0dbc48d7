/**
 * How an invoice row maps to and from the module's shapes: which columns are envelopes, how totals
 * are stored, and the decryption of a row with its lines into an Invoice. Used only by the repository.
 */
import { getTableColumns } from 'drizzle-orm';
import { openFields, type SealedField, sealFields } from '../../crypto/fields.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type {
  DocumentAdjustment,
  Invoice,
  InvoiceContent,
  InvoiceKind,
  InvoiceLine,
  InvoiceStatus,
  StoredTotals,
} from './invoices.model.ts';
import { type invoiceLines, invoices } from './invoices.tables.ts';

/** Internal to the invoices repository. */
export type Row = typeof invoices.$inferSelect;
/** Internal to the invoices repository. */
export type SealedProp =
  | `buyer${'Name' | 'ContactPerson' | 'Street' | 'PostalCode' | 'City' | 'VatNumber' | 'KvkNumber' | 'Email' | 'PeppolId'}`
  | `seller${'Name' | 'Street' | 'PostalCode' | 'City' | 'VatNumber' | 'KvkNumber' | 'Iban' | 'Email'}`
  | 'buyerReference'
  | 'orderReference'
  | 'paymentTerms'
  | 'notes';

const COLUMNS = getTableColumns(invoices);
const PROP_OF: Record<string, string> = Object.fromEntries(
  Object.entries(COLUMNS).map(([prop, col]) => [col.name, prop]),
);
const snake = (prop: string) => prop.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const SEALED = Object.keys(COLUMNS)
  .filter((p) => p.endsWith('Enc'))
  .map((p) => p.slice(0, -3)) as SealedProp[];
/** Internal to the invoices repository. */
export const FIELDS: readonly SealedField<SealedProp>[] = SEALED.map((prop) => ({
  prop,
  column: `${snake(prop)}_enc`,
}));
/** Internal to the invoices repository: the one envelope a summary opens. */
export const BUYER_NAME: readonly SealedField<'buyerName'>[] = [
  { prop: 'buyerName', column: 'buyer_name_enc' },
];
/** Internal to the invoices repository. */
export const LINE_FIELDS: readonly SealedField<'description'>[] = [
  { prop: 'description', column: 'description_enc' },
];

// Envelopes by column name → Drizzle properties, for insert and update objects.
/** Internal to the invoices repository. */
export function sealInvoice(
  keys: TenantKeys,
  id: string,
  values: Partial<Record<SealedProp, string | null>>,
) {
  const sealed = sealFields(keys, 'invoices', id, FIELDS, values);
  return Object.fromEntries(
    Object.entries(sealed).map(([col, v]) => [PROP_OF[col] as string, v]),
  ) as Partial<Row>;
}

/** Internal to the invoices repository. */
export function totalsColumns(t: StoredTotals) {
  return {
    lineExtensionMinor: t.lineExtension,
    allowanceTotalMinor: t.allowanceTotal,
    chargeTotalMinor: t.chargeTotal,
    taxExclusiveMinor: t.taxExclusive,
    taxMinor: t.tax,
    taxInclusiveMinor: t.taxInclusive,
    payableMinor: t.payable,
    taxAccountingMinor: t.taxAccounting,
    // bigint is not JSON: the breakdown keeps its amounts as decimal strings of minor units.
    vatBreakdown: t.vatBreakdown.map((g) => ({
      ...g,
      taxableMinor: String(g.taxableMinor),
      taxMinor: String(g.taxMinor),
    })),
  };
}

/** Internal to the invoices repository. */
export function contentColumns(c: InvoiceContent) {
  const { buyerReference, orderReference, paymentTerms, notes, ...plain } = c;
  return { plain, sealed: { buyerReference, orderReference, paymentTerms, notes } };
}

/** Internal to the invoices repository. */
export function toInvoice(
  keys: TenantKeys,
  row: Row,
  lineRows: (typeof invoiceLines.$inferSelect)[],
): Invoice {
  const byColumn = Object.fromEntries(
    FIELDS.map((f) => [f.column, row[PROP_OF[f.column] as keyof Row] as Buffer | null]),
  );
  const p = openFields(keys, 'invoices', row.id, FIELDS, byColumn);
  const amount = (v: string | number) => BigInt(v);
  return {
    id: row.id,
    kind: row.kind as InvoiceKind,
    status: row.status as InvoiceStatus,
    customerId: row.customerId,
    series: row.series,
    seq: row.seq === null ? null : Number(row.seq),
    number: row.number,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    supplyDate: row.supplyDate,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    currency: row.currency,
    exchangeRate: row.exchangeRate,
    buyer:
      p.buyerName === null
        ? null
        : {
            name: p.buyerName,
            contactPerson: p.buyerContactPerson,
            street: p.buyerStreet,
            postalCode: p.buyerPostalCode,
            city: p.buyerCity,
            country: row.buyerCountry,
            vatNumber: p.buyerVatNumber,
            kvkNumber: p.buyerKvkNumber,
            email: p.buyerEmail,
            peppolId: p.buyerPeppolId,
          },
    seller:
      p.sellerName === null
        ? null
        : {
            name: p.sellerName,
            street: p.sellerStreet,
            postalCode: p.sellerPostalCode,
            city: p.sellerCity,
            country: row.sellerCountry ?? '',
            vatNumber: p.sellerVatNumber,
            kvkNumber: p.sellerKvkNumber,
            iban: p.sellerIban,
            bic: row.sellerBic,
            email: p.sellerEmail,
            isKor: row.sellerIsKor ?? false,
          },
    buyerReference: p.buyerReference,
    orderReference: p.orderReference,
    paymentTermDays: row.paymentTermDays,
    paymentTerms: p.paymentTerms,
    notes: p.notes,
    deliveryCountry: row.deliveryCountry,
    exemptionReason: row.exemptionReason,
    exemptionReasonCode: row.exemptionReasonCode,
    allowances: row.allowances as DocumentAdjustment[],
    charges: row.charges as DocumentAdjustment[],
    totals: {
      lineExtension: row.lineExtensionMinor,
      allowanceTotal: row.allowanceTotalMinor,
      chargeTotal: row.chargeTotalMinor,
      taxExclusive: row.taxExclusiveMinor,
      tax: row.taxMinor,
      taxInclusive: row.taxInclusiveMinor,
      payable: row.payableMinor,
      taxAccounting: row.taxAccountingMinor,
      vatBreakdown: (
        row.vatBreakdown as { vatCategory: string; vatRate: string; taxableMinor: string; taxMinor: string }[]
      ).map((g) => ({ ...g, taxableMinor: amount(g.taxableMinor), taxMinor: amount(g.taxMinor) })),
    },
    credited: row.creditedInvoiceId
      ? { invoiceId: row.creditedInvoiceId, number: row.creditedInvoiceNumber, date: row.creditedInvoiceDate }
      : null,
    paidMinor: row.paidMinor,
    issuedAt: row.issuedAt,
    sentAt: row.sentAt,
    paidAt: row.paidAt,
    creditedAt: row.creditedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lines: lineRows.map(
      (l): InvoiceLine => ({
        id: l.id,
        position: l.position,
        description:
          openFields(keys, 'invoice_lines', l.id, LINE_FIELDS, { description_enc: l.descriptionEnc })
            .description ?? '',
        quantity: l.quantity,
        unit: l.unit,
        unitPrice: l.unitPrice,
        priceBaseQuantity: l.priceBaseQuantity,
        discount:
          l.discountPercent !== null
            ? { percent: l.discountPercent }
            : l.discountAmount !== null
              ? { amount: l.discountAmount }
              : null,
        vatCategory: l.vatCategory,
        vatRate: l.vatRate,
        netMinor: l.netMinor,
        creditedLineId: l.creditedLineId,
      }),
    ),
  };
}
