/**
 * Payments received on issued invoices. Append-only: the app role may insert and read, never
 * change or delete a payment (docs/adr/0022-payments-and-recurring-invoices.md). The invoice's
 * paid_minor and status are moved in the same transaction; the reference is free text, encrypted.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';
import { invoices } from './invoices.tables.ts';

/** One payment on one invoice, in the invoice's currency. */
export const invoicePayments = pgTable(
  'invoice_payments',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    method: text('method'),
    referenceEnc: bytea('reference_enc'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('invoice_payments_invoice_idx').on(t.tenantId, t.invoiceId),
    foreignKey({
      name: 'invoice_payments_invoice_fk',
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }),
    check('invoice_payments_amount_positive', sql`${t.amountMinor} > 0`),
    check(
      'invoice_payments_method',
      sql`${t.method} IS NULL OR ${t.method} IN ('bank_transfer', 'direct_debit', 'card', 'cash', 'ideal', 'other')`,
    ),
  ],
);
