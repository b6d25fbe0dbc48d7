/**
 * The data catalogue entry of invoice payments. A payment is part of the financial administration
 * (kept with its invoice); only its reference is free text a person may fill with a name, so only
 * that is personal and encrypted.
 */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

export const PAYMENTS_CATALOGUE: Record<string, TableCatalogue> = {
  invoice_payments: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    invoice_id: notPersonal('random identifier of the invoice'),
    amount_minor: notPersonal('amount in minor units; identifies no one without the encrypted party data'),
    currency: notPersonal('ISO 4217 code'),
    paid_on: notPersonal('payment date'),
    method: notPersonal('kind of payment: bank transfer, card …'),
    // A bank statement's description often names the payer: treated as personal free text.
    reference_enc: personal('free_text', 'customer', 'financial_administration', 'fiscal_7_years'),
    created_at: notPersonal('technical timestamp'),
  },
};
