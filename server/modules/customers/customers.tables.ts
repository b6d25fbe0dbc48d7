/** The customer administration. Personal fields are envelopes (`_enc`) and blind indexes (`_bidx`). */
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../db/platform.tables.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const customers = pgTable(
  'customers',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').notNull(),
    nameEnc: bytea('name_enc').notNull(),
    nameBidx: bytea('name_bidx').notNull(),
    contactPersonEnc: bytea('contact_person_enc'),
    emailEnc: bytea('email_enc'),
    emailBidx: bytea('email_bidx'),
    otherEmailsEnc: bytea('other_emails_enc'),
    phoneEnc: bytea('phone_enc'),
    streetEnc: bytea('street_enc'),
    postalCodeEnc: bytea('postal_code_enc'),
    cityEnc: bytea('city_enc'),
    country: text('country'),
    ibanEnc: bytea('iban_enc'),
    ibanBidx: bytea('iban_bidx'),
    bic: text('bic'),
    accountHolderEnc: bytea('account_holder_enc'),
    vatNumberEnc: bytea('vat_number_enc'),
    vatNumberBidx: bytea('vat_number_bidx'),
    kvkNumberEnc: bytea('kvk_number_enc'),
    kvkNumberBidx: bytea('kvk_number_bidx'),
    salutationEnc: bytea('salutation_enc'),
    language: text('language').notNull().default('nl'),
    paymentTermDays: integer('payment_term_days').notNull().default(30),
    defaultVatCategory: text('default_vat_category'),
    peppolIdEnc: bytea('peppol_id_enc'),
    referenceEnc: bytea('reference_enc'),
    notesEnc: bytea('notes_enc'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('customers_name_bidx_idx').on(t.tenantId, t.nameBidx),
    index('customers_email_bidx_idx').on(t.tenantId, t.emailBidx),
    index('customers_iban_bidx_idx').on(t.tenantId, t.ibanBidx),
    index('customers_vat_number_bidx_idx').on(t.tenantId, t.vatNumberBidx),
    index('customers_kvk_number_bidx_idx').on(t.tenantId, t.kvkNumberBidx),
  ],
);
