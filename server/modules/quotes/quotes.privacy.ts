/**
 * The data catalogue entries of quotes. A quote is not part of the fiscal record until it becomes
 * an invoice (which copies what it needs), so its free text is kept while the customer is.
 */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

// Notes and line descriptions are free text a user may fill with names: encrypted like personal data.
const freeText = personal('free_text', 'customer', 'customer_administration', 'while_customer');
const tenantId = notPersonal('identifies the business');
const id = notPersonal('random identifier');
const time = notPersonal('technical timestamp');
const amount = notPersonal('computed amount in minor units');
const date = notPersonal('quote date; identifies no one without the customer record');

export const QUOTES_CATALOGUE: Record<string, TableCatalogue> = {
  quote_number_series: {
    tenant_id: tenantId,
    year: notPersonal('a calendar year'),
    next_value: notPersonal('counter'),
  },
  quotes: {
    tenant_id: tenantId,
    id,
    status: notPersonal('lifecycle state'),
    customer_id: notPersonal('random identifier of the customer record'),
    number: notPersonal('quote number made of a year and a counter'),
    quote_date: date,
    valid_until: date,
    currency: notPersonal('ISO 4217 code'),
    notes_enc: freeText,
    allowances: notPersonal('amounts, VAT and a short reason of document discounts; no party data'),
    charges: notPersonal('amounts, VAT and a short reason of document charges; no party data'),
    line_extension_minor: amount,
    allowance_total_minor: amount,
    charge_total_minor: amount,
    tax_exclusive_minor: amount,
    tax_minor: amount,
    tax_inclusive_minor: amount,
    vat_breakdown: notPersonal('VAT amounts per category and rate'),
    invoice_id: notPersonal('random identifier of the invoice the quote became'),
    sent_at: time,
    accepted_at: time,
    declined_at: time,
    version: notPersonal('optimistic-locking counter'),
    created_at: time,
    updated_at: time,
  },
  quote_lines: {
    tenant_id: tenantId,
    quote_id: id,
    id,
    position: notPersonal('line order'),
    description_enc: freeText,
    quantity: notPersonal('decimal quantity'),
    unit: notPersonal('UN/ECE unit code'),
    unit_price: notPersonal('decimal price'),
    price_base_quantity: notPersonal('decimal quantity'),
    discount_percent: notPersonal('decimal percentage'),
    discount_amount: notPersonal('decimal amount'),
    vat_category: notPersonal('VAT category code'),
    vat_rate: notPersonal('VAT percentage'),
    net_minor: amount,
  },
};
