/**
 * The data catalogue entries of recurring invoices. The template holds line descriptions, notes and
 * references (free text that may name people), encrypted as one envelope; the rule and the dates
 * identify no one.
 */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const tenantId = notPersonal('identifies the business');
const id = notPersonal('random identifier');
const time = notPersonal('technical timestamp');
const date = notPersonal('schedule date; identifies no one without the encrypted template');

export const RECURRING_CATALOGUE: Record<string, TableCatalogue> = {
  recurring_invoices: {
    tenant_id: tenantId,
    id,
    customer_id: notPersonal('random identifier of the customer record'),
    template_enc: personal('free_text', 'customer', 'invoicing', 'while_customer'),
    currency: notPersonal('ISO 4217 code'),
    frequency: notPersonal('monthly, quarterly, yearly or custom'),
    interval_unit: notPersonal('day, week or month'),
    interval_count: notPersonal('number of units between occurrences'),
    start_date: date,
    end_date: date,
    mode: notPersonal('draft or issue'),
    status: notPersonal('active or paused'),
    next_index: notPersonal('counter'),
    next_date: date,
    last_date: date,
    last_error: notPersonal('stable error code'),
    version: notPersonal('change counter'),
    created_at: time,
    updated_at: time,
  },
  recurring_occurrences: {
    tenant_id: tenantId,
    schedule_id: id,
    occurrence_date: date,
    invoice_id: notPersonal('random identifier of the invoice'),
    state: notPersonal('progress of the occurrence'),
    error_code: notPersonal('stable error code'),
    created_at: time,
    updated_at: time,
  },
};
