/**
 * Invoices, credit notes, their lines, the seller's invoice settings and the gap-free number series.
 * Party data (names, addresses, VAT and KvK numbers, e-mail) and free text are envelopes (`_enc`);
 * amounts are bigint minor units; quantities, prices and rates are the client's decimal strings, so
 * the invoice shows exactly what was entered. The immutability trigger is in the security migration.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

const day = (name: string) => date(name, { mode: 'string' });
const minor = (name: string) => bigint(name, { mode: 'bigint' });

/** The seller as its invoices show it, and how its numbers look. One row per business. */
export const invoiceSettings = pgTable('invoice_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  sellerNameEnc: bytea('seller_name_enc').notNull(),
  sellerStreetEnc: bytea('seller_street_enc'),
  sellerPostalCodeEnc: bytea('seller_postal_code_enc'),
  sellerCityEnc: bytea('seller_city_enc'),
  sellerCountry: text('seller_country').notNull(),
  sellerVatNumberEnc: bytea('seller_vat_number_enc'),
  sellerKvkNumberEnc: bytea('seller_kvk_number_enc'),
  sellerIbanEnc: bytea('seller_iban_enc'),
  sellerBic: text('seller_bic'),
  sellerEmailEnc: bytea('seller_email_enc'),
  sellerPhoneEnc: bytea('seller_phone_enc'),
  // Who represents the business (e.g. "J. de Vries, directeur"): named in its copy of the data
  // processing agreement, never on invoices, so it is not part of the invoice's seller snapshot.
  representativeEnc: bytea('representative_enc'),
  isKor: boolean('is_kor').notNull().default(false),
  numberFormat: text('number_format').notNull().default('{YYYY}-{seq:4}'),
  defaultPaymentTermDays: integer('default_payment_term_days').notNull().default(30),
  // The business's look on its PDFs: an accent colour (#RRGGBB) and a logo, an encrypted blob
  // named by the SHA-256 of its bytes (`logos/<sha256>`), so a new logo never changes an old invoice.
  accentColor: text('accent_color'),
  logoSha256: text('logo_sha256'),
  logoMediaType: text('logo_media_type'),
  updatedAt: at('updated_at').notNull(),
});

/**
 * The next sequence number per business and series (a year, or 'all'). Allocation increments the
 * row inside the issuing transaction: the row lock orders issuers, and a rollback returns the number.
 */
export const numberSeries = pgTable(
  'number_series',
  {
    tenantId: uuid('tenant_id').notNull(),
    series: text('series').notNull(),
    nextValue: bigint('next_value', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.series] }),
    check('number_series_next_positive', sql`${t.nextValue} >= 1`),
  ],
);

/** Invoices and credit notes; a draft until issued, then frozen by a trigger. */
export const invoices = pgTable(
  'invoices',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('draft'),
    customerId: uuid('customer_id').notNull(),
    series: text('series'),
    seq: bigint('seq', { mode: 'number' }),
    number: text('number'),
    issueDate: day('issue_date'),
    dueDate: day('due_date'),
    supplyDate: day('supply_date'),
    periodStart: day('period_start'),
    periodEnd: day('period_end'),
    currency: text('currency').notNull(),
    exchangeRate: text('exchange_rate'),
    // The buyer as it was when the invoice was issued, not as the customer record is today.
    buyerNameEnc: bytea('buyer_name_enc'),
    buyerContactPersonEnc: bytea('buyer_contact_person_enc'),
    buyerStreetEnc: bytea('buyer_street_enc'),
    buyerPostalCodeEnc: bytea('buyer_postal_code_enc'),
    buyerCityEnc: bytea('buyer_city_enc'),
    buyerCountry: text('buyer_country'),
    buyerVatNumberEnc: bytea('buyer_vat_number_enc'),
    buyerKvkNumberEnc: bytea('buyer_kvk_number_enc'),
    buyerEmailEnc: bytea('buyer_email_enc'),
    buyerPeppolIdEnc: bytea('buyer_peppol_id_enc'),
    sellerNameEnc: bytea('seller_name_enc'),
    sellerStreetEnc: bytea('seller_street_enc'),
    sellerPostalCodeEnc: bytea('seller_postal_code_enc'),
    sellerCityEnc: bytea('seller_city_enc'),
    sellerCountry: text('seller_country'),
    sellerVatNumberEnc: bytea('seller_vat_number_enc'),
    sellerKvkNumberEnc: bytea('seller_kvk_number_enc'),
    sellerIbanEnc: bytea('seller_iban_enc'),
    sellerBic: text('seller_bic'),
    sellerEmailEnc: bytea('seller_email_enc'),
    sellerIsKor: boolean('seller_is_kor'),
    // The accent colour and logo the PDF was drawn with, frozen at issue like the seller, so a
    // rendering from the frozen document gives the same bytes.
    styleAccentColor: text('style_accent_color'),
    styleLogoSha256: text('style_logo_sha256'),
    styleLogoMediaType: text('style_logo_media_type'),
    buyerReferenceEnc: bytea('buyer_reference_enc'),
    orderReferenceEnc: bytea('order_reference_enc'),
    paymentTermDays: integer('payment_term_days'),
    paymentTermsEnc: bytea('payment_terms_enc'),
    notesEnc: bytea('notes_enc'),
    deliveryCountry: text('delivery_country'),
    exemptionReason: text('exemption_reason'),
    exemptionReasonCode: text('exemption_reason_code'),
    allowances: jsonb('allowances').notNull().default(sql`'[]'::jsonb`),
    charges: jsonb('charges').notNull().default(sql`'[]'::jsonb`),
    lineExtensionMinor: minor('line_extension_minor').notNull(),
    allowanceTotalMinor: minor('allowance_total_minor').notNull(),
    chargeTotalMinor: minor('charge_total_minor').notNull(),
    taxExclusiveMinor: minor('tax_exclusive_minor').notNull(),
    taxMinor: minor('tax_minor').notNull(),
    taxInclusiveMinor: minor('tax_inclusive_minor').notNull(),
    payableMinor: minor('payable_minor').notNull(),
    taxAccountingMinor: minor('tax_accounting_minor'),
    vatBreakdown: jsonb('vat_breakdown').notNull().default(sql`'[]'::jsonb`),
    creditedInvoiceId: uuid('credited_invoice_id'),
    creditedInvoiceNumber: text('credited_invoice_number'),
    creditedInvoiceDate: day('credited_invoice_date'),
    paidMinor: minor('paid_minor').notNull().default(sql`0`),
    issuedAt: at('issued_at'),
    sentAt: at('sent_at'),
    paidAt: at('paid_at'),
    creditedAt: at('credited_at'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('invoices_number_key').on(t.tenantId, t.number),
    uniqueIndex('invoices_series_seq_key').on(t.tenantId, t.series, t.seq),
    index('invoices_status_idx').on(t.tenantId, t.status, t.issueDate),
    index('invoices_customer_idx').on(t.tenantId, t.customerId),
    index('invoices_credited_idx').on(t.tenantId, t.creditedInvoiceId),
    foreignKey({
      name: 'invoices_credited_invoice_fk',
      columns: [t.tenantId, t.creditedInvoiceId],
      foreignColumns: [t.tenantId, t.id],
    }),
    check('invoices_kind', sql`${t.kind} IN ('invoice', 'credit_note')`),
    check(
      'invoices_status',
      sql`${t.status} IN ('draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited')`,
    ),
    // Anything past draft has its number, dates and snapshot: issuing sets them all at once.
    check(
      'invoices_issued_complete',
      sql`${t.status} = 'draft' OR (${t.number} IS NOT NULL AND ${t.seq} IS NOT NULL AND ${t.issueDate} IS NOT NULL
        AND ${t.issuedAt} IS NOT NULL AND ${t.buyerNameEnc} IS NOT NULL AND ${t.sellerNameEnc} IS NOT NULL)`,
    ),
    check(
      'invoices_credit_note_reference',
      sql`(${t.kind} = 'credit_note') = (${t.creditedInvoiceId} IS NOT NULL)`,
    ),
  ],
);

/** Lines of an invoice or credit note; frozen with their invoice. */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    tenantId: uuid('tenant_id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    id: uuid('id').notNull(),
    position: integer('position').notNull(),
    descriptionEnc: bytea('description_enc').notNull(),
    quantity: text('quantity').notNull(),
    unit: text('unit').notNull(),
    unitPrice: text('unit_price').notNull(),
    priceBaseQuantity: text('price_base_quantity'),
    discountPercent: text('discount_percent'),
    discountAmount: text('discount_amount'),
    vatCategory: text('vat_category').notNull(),
    vatRate: text('vat_rate').notNull(),
    netMinor: minor('net_minor').notNull(),
    // On a credit note: the line of the original invoice it credits (for partial credits).
    creditedLineId: uuid('credited_line_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('invoice_lines_position_key').on(t.tenantId, t.invoiceId, t.position),
    index('invoice_lines_credited_idx').on(t.tenantId, t.creditedLineId),
    foreignKey({
      name: 'invoice_lines_invoice_fk',
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete('cascade'),
  ],
);
