/**
 * The data catalogue entries of the invoice tables. An issued invoice is part of the fiscal record
 * (kept 7 years), so its party snapshot and lines carry the fiscal retention; the seller's own data
 * is the business owner's (a sole trader's name and address are personal data too).
 */
import { notPersonal, type PersonalCategory, personal, type TableCatalogue } from '../../db/catalogue.ts';

const buyer = (category: PersonalCategory) => personal(category, 'customer', 'invoicing', 'fiscal_7_years');
const seller = (category: PersonalCategory) =>
  personal(category, 'business_owner', 'invoicing', 'fiscal_7_years');
const tenantId = notPersonal('identifies the business');
const id = notPersonal('random identifier');
const time = notPersonal('technical timestamp');
const amount = notPersonal('computed amount in minor units');
const date = notPersonal('invoice date; identifies no one without the encrypted party data');
const country = notPersonal('a country alone does not identify anyone; needed for VAT rules');

export const INVOICES_CATALOGUE: Record<string, TableCatalogue> = {
  invoice_settings: {
    tenant_id: tenantId,
    seller_name_enc: seller('name'),
    seller_street_enc: seller('address'),
    seller_postal_code_enc: seller('address'),
    seller_city_enc: seller('address'),
    seller_country: country,
    seller_vat_number_enc: seller('vat_number'),
    seller_kvk_number_enc: seller('kvk_number'),
    seller_iban_enc: seller('bank_account'),
    seller_bic: notPersonal("identifies the seller's bank, not a person"),
    seller_email_enc: seller('email'),
    seller_phone_enc: seller('phone'),
    is_kor: notPersonal('whether the small-business VAT scheme applies'),
    number_format: notPersonal('invoice number pattern'),
    default_payment_term_days: notPersonal('number of days'),
    updated_at: time,
  },
  number_series: {
    tenant_id: tenantId,
    series: notPersonal('a year or "all"'),
    next_value: notPersonal('counter'),
  },
  invoices: {
    tenant_id: tenantId,
    id,
    kind: notPersonal('invoice or credit note'),
    status: notPersonal('lifecycle state'),
    customer_id: notPersonal('random identifier of the customer record'),
    series: notPersonal('a year or "all"'),
    seq: notPersonal('counter'),
    number: notPersonal('invoice number made of a year and a counter'),
    issue_date: date,
    due_date: date,
    supply_date: date,
    period_start: date,
    period_end: date,
    currency: notPersonal('ISO 4217 code'),
    exchange_rate: notPersonal('currency exchange rate'),
    buyer_name_enc: buyer('name'),
    buyer_contact_person_enc: personal('contact_person', 'contact_person', 'invoicing', 'fiscal_7_years'),
    buyer_street_enc: buyer('address'),
    buyer_postal_code_enc: buyer('address'),
    buyer_city_enc: buyer('address'),
    buyer_country: country,
    buyer_vat_number_enc: buyer('vat_number'),
    buyer_kvk_number_enc: buyer('kvk_number'),
    buyer_email_enc: buyer('email'),
    buyer_peppol_id_enc: buyer('electronic_identifier'),
    seller_name_enc: seller('name'),
    seller_street_enc: seller('address'),
    seller_postal_code_enc: seller('address'),
    seller_city_enc: seller('address'),
    seller_country: country,
    seller_vat_number_enc: seller('vat_number'),
    seller_kvk_number_enc: seller('kvk_number'),
    seller_iban_enc: seller('bank_account'),
    seller_bic: notPersonal("identifies the seller's bank, not a person"),
    seller_email_enc: seller('email'),
    seller_is_kor: notPersonal('whether the small-business VAT scheme applied'),
    // References and notes are free text a user may fill with names: encrypted like personal data.
    buyer_reference_enc: buyer('free_text'),
    order_reference_enc: buyer('free_text'),
    payment_term_days: notPersonal('number of days'),
    payment_terms_enc: buyer('free_text'),
    notes_enc: buyer('free_text'),
    delivery_country: country,
    exemption_reason: notPersonal('legal ground of a VAT exemption, a citation of the law'),
    exemption_reason_code: notPersonal('VATEX code'),
    allowances: notPersonal('amounts, VAT and a short reason of document discounts; no party data'),
    charges: notPersonal('amounts, VAT and a short reason of document charges; no party data'),
    line_extension_minor: amount,
    allowance_total_minor: amount,
    charge_total_minor: amount,
    tax_exclusive_minor: amount,
    tax_minor: amount,
    tax_inclusive_minor: amount,
    payable_minor: amount,
    tax_accounting_minor: amount,
    vat_breakdown: notPersonal('VAT amounts per category and rate'),
    credited_invoice_id: notPersonal('random identifier of the credited invoice'),
    credited_invoice_number: notPersonal('invoice number made of a year and a counter'),
    credited_invoice_date: date,
    paid_minor: amount,
    issued_at: time,
    sent_at: time,
    paid_at: time,
    credited_at: time,
    version: notPersonal('optimistic-locking counter'),
    created_at: time,
    updated_at: time,
  },
  invoice_lines: {
    tenant_id: tenantId,
    invoice_id: id,
    id,
    position: notPersonal('line order'),
    // "Consult J. de Vries, 12 March" is a common description: treated as personal free text.
    description_enc: buyer('free_text'),
    quantity: notPersonal('decimal quantity'),
    unit: notPersonal('UN/ECE unit code'),
    unit_price: notPersonal('decimal price'),
    price_base_quantity: notPersonal('decimal quantity'),
    discount_percent: notPersonal('decimal percentage'),
    discount_amount: notPersonal('decimal amount'),
    vat_category: notPersonal('VAT category code'),
    vat_rate: notPersonal('VAT percentage'),
    net_minor: amount,
    credited_line_id: notPersonal('random identifier of the credited line'),
  },
};
