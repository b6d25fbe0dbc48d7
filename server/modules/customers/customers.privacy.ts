/** The data catalogue entry of the customers table: whose data, why, and for how long. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const admin = (category: Parameters<typeof personal>[0]) =>
  personal(category, 'customer', 'customer_administration', 'fiscal_7_years');
const index = notPersonal('keyed blind index of an encrypted field; see the field itself');

export const CUSTOMERS_CATALOGUE: Record<string, TableCatalogue> = {
  customers: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    kind: notPersonal('person or company'),
    name_enc: admin('name'),
    name_bidx: index,
    contact_person_enc: personal(
      'contact_person',
      'contact_person',
      'customer_administration',
      'while_customer',
    ),
    email_enc: personal('email', 'customer', 'invoicing', 'while_customer'),
    email_bidx: index,
    other_emails_enc: personal('email', 'customer', 'invoicing', 'while_customer'),
    phone_enc: personal('phone', 'customer', 'customer_administration', 'while_customer'),
    street_enc: admin('address'),
    postal_code_enc: admin('address'),
    city_enc: admin('address'),
    country: notPersonal('a country alone does not identify anyone; needed for VAT rules'),
    iban_enc: personal('bank_account', 'customer', 'financial_administration', 'fiscal_7_years'),
    iban_bidx: index,
    bic: notPersonal("identifies the customer's bank, not the customer"),
    account_holder_enc: personal('name', 'customer', 'financial_administration', 'fiscal_7_years'),
    vat_number_enc: admin('vat_number'),
    vat_number_bidx: index,
    kvk_number_enc: admin('kvk_number'),
    kvk_number_bidx: index,
    salutation_enc: personal('salutation', 'customer', 'customer_administration', 'while_customer'),
    language: notPersonal('nl or en'),
    payment_term_days: notPersonal('number of days'),
    default_vat_category: notPersonal('VAT category code'),
    peppol_id_enc: personal('electronic_identifier', 'customer', 'invoicing', 'while_customer'),
    reference_enc: personal('free_text', 'customer', 'customer_administration', 'while_customer'),
    notes_enc: personal('free_text', 'customer', 'customer_administration', 'while_customer'),
    version: notPersonal('optimistic-locking counter'),
    created_at: notPersonal('technical timestamp'),
    updated_at: notPersonal('technical timestamp'),
  },
};
