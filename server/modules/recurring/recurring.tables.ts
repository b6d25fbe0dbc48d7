/**
 * Recurring invoices: a schedule per customer with an encrypted template, and one occurrence row per
 * date that produced an invoice. The occurrence's primary key (tenant, schedule, date) is written in
 * the same transaction as its invoice, so no date ever yields two invoices
 * (docs/adr/0022-payments-and-recurring-invoices.md).
 */
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

const day = (name: string) => date(name, { mode: 'string' });

/** A schedule: who, what (the template), how often, from when until when, and where it stands. */
export const recurringInvoices = pgTable(
  'recurring_invoices',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    // Lines, notes, references and payment terms as one JSON envelope: free text like an invoice's.
    templateEnc: bytea('template_enc').notNull(),
    currency: text('currency').notNull(),
    frequency: text('frequency').notNull(),
    intervalUnit: text('interval_unit').notNull(),
    intervalCount: integer('interval_count').notNull(),
    startDate: day('start_date').notNull(),
    endDate: day('end_date'),
    mode: text('mode').notNull(),
    status: text('status').notNull(),
    // The index of the next occurrence under the rule (0 = the start date), and its date; null when
    // the end date has passed.
    nextIndex: integer('next_index').notNull(),
    nextDate: day('next_date'),
    lastDate: day('last_date'),
    // The code of the last occurrence that could not be produced (the schedule pauses itself then).
    lastError: text('last_error'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('recurring_invoices_customer_idx').on(t.tenantId, t.customerId),
    check(
      'recurring_invoices_frequency',
      sql`${t.frequency} IN ('monthly', 'quarterly', 'yearly', 'custom')`,
    ),
    check('recurring_invoices_unit', sql`${t.intervalUnit} IN ('day', 'week', 'month')`),
    check('recurring_invoices_count', sql`${t.intervalCount} BETWEEN 1 AND 366`),
    check('recurring_invoices_mode', sql`${t.mode} IN ('draft', 'issue')`),
    check('recurring_invoices_status', sql`${t.status} IN ('active', 'paused')`),
    check('recurring_invoices_end', sql`${t.endDate} IS NULL OR ${t.endDate} >= ${t.startDate}`),
  ],
);

/**
 * One row per occurrence date that produced an invoice (or tried to). `state`: `created` (a draft,
 * done), `pending_issue` (a draft to be issued by the next step), `issued`, or `issue_failed` with the
 * error code (the draft stays for the business to fix). No foreign key to the invoice: a draft made
 * by a schedule may be deleted by the business, and its date must still never be produced again.
 */
export const recurringOccurrences = pgTable(
  'recurring_occurrences',
  {
    tenantId: uuid('tenant_id').notNull(),
    scheduleId: uuid('schedule_id').notNull(),
    occurrenceDate: day('occurrence_date').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    state: text('state').notNull(),
    errorCode: text('error_code'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scheduleId, t.occurrenceDate] }),
    index('recurring_occurrences_invoice_idx').on(t.tenantId, t.invoiceId),
    foreignKey({
      name: 'recurring_occurrences_schedule_fk',
      columns: [t.tenantId, t.scheduleId],
      foreignColumns: [recurringInvoices.tenantId, recurringInvoices.id],
    }).onDelete('cascade'),
    check(
      'recurring_occurrences_state',
      sql`${t.state} IN ('created', 'pending_issue', 'issued', 'issue_failed')`,
    ),
  ],
);
