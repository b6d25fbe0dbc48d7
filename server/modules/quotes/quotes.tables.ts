/**
 * Quotes (offertes) and their lines. A quote holds a customer id, lines and totals computed by the
 * same EN 16931 rules as invoices; notes and line descriptions are free text and so envelopes
 * (`_enc`). Status `expired` is never stored: it is a sent quote whose `valid_until` has passed on
 * the injected clock, so time alone moves it there (ADR 0021).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
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

/** The next quote number per business and year; incremented by the sending transaction. */
export const quoteNumberSeries = pgTable(
  'quote_number_series',
  {
    tenantId: uuid('tenant_id').notNull(),
    year: integer('year').notNull(),
    nextValue: integer('next_value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.year] }),
    check('quote_number_series_next_positive', sql`${t.nextValue} >= 1`),
  ],
);

export const quotes = pgTable(
  'quotes',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    status: text('status').notNull().default('draft'),
    customerId: uuid('customer_id').notNull(),
    number: text('number'),
    quoteDate: day('quote_date'),
    validUntil: day('valid_until'),
    currency: text('currency').notNull(),
    notesEnc: bytea('notes_enc'),
    allowances: jsonb('allowances').notNull().default(sql`'[]'::jsonb`),
    charges: jsonb('charges').notNull().default(sql`'[]'::jsonb`),
    lineExtensionMinor: minor('line_extension_minor').notNull(),
    allowanceTotalMinor: minor('allowance_total_minor').notNull(),
    chargeTotalMinor: minor('charge_total_minor').notNull(),
    taxExclusiveMinor: minor('tax_exclusive_minor').notNull(),
    taxMinor: minor('tax_minor').notNull(),
    taxInclusiveMinor: minor('tax_inclusive_minor').notNull(),
    vatBreakdown: jsonb('vat_breakdown').notNull().default(sql`'[]'::jsonb`),
    // The draft invoice made when the quote was accepted.
    invoiceId: uuid('invoice_id'),
    sentAt: at('sent_at'),
    acceptedAt: at('accepted_at'),
    declinedAt: at('declined_at'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('quotes_number_key').on(t.tenantId, t.number),
    index('quotes_status_idx').on(t.tenantId, t.status, t.validUntil),
    index('quotes_customer_idx').on(t.tenantId, t.customerId),
    check('quotes_status', sql`${t.status} IN ('draft', 'sent', 'accepted', 'declined')`),
    // Sending numbers and dates a quote; accepting links the invoice it became.
    check(
      'quotes_sent_complete',
      sql`${t.status} = 'draft' OR (${t.number} IS NOT NULL AND ${t.quoteDate} IS NOT NULL
        AND ${t.validUntil} IS NOT NULL AND ${t.sentAt} IS NOT NULL)`,
    ),
    check('quotes_accepted_invoice', sql`(${t.status} = 'accepted') = (${t.invoiceId} IS NOT NULL)`),
  ],
);

/** Lines of a quote, in the same shape as invoice lines (copied into the invoice on acceptance). */
export const quoteLines = pgTable(
  'quote_lines',
  {
    tenantId: uuid('tenant_id').notNull(),
    quoteId: uuid('quote_id').notNull(),
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
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('quote_lines_position_key').on(t.tenantId, t.quoteId, t.position),
    foreignKey({
      name: 'quote_lines_quote_fk',
      columns: [t.tenantId, t.quoteId],
      foreignColumns: [quotes.tenantId, quotes.id],
    }).onDelete('cascade'),
  ],
);
