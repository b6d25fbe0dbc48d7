/**
 * The business's side of the data processing agreement (Privacy center points 2 and 3): its
 * data-protection contact (encrypted) with the yearly confirmation and its subprocessor policy,
 * and the record of every acceptance of a version of the agreement (who, which, when, from where).
 */
import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

/** One row per business, created when the contact is first set. */
export const privacySettings = pgTable('privacy_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  contactNameEnc: bytea('contact_name_enc').notNull(),
  contactEmailEnc: bytea('contact_email_enc').notNull(),
  contactPhoneEnc: bytea('contact_phone_enc'),
  /** When an owner or admin last set or confirmed the contact; due again after a year. */
  contactConfirmedAt: at('contact_confirmed_at').notNull(),
  /** notify_object (default) or prior_consent. */
  subprocessorPolicy: text('subprocessor_policy').notNull().default('notify_object'),
  updatedAt: at('updated_at').notNull(),
});

/** Append-only: one row per accepted version of a legal document. */
export const agreementAcceptances = pgTable(
  'agreement_acceptances',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    document: text('document').notNull(),
    version: text('version').notNull(),
    acceptedAt: at('accepted_at').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    ipEnc: bytea('ip_enc'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
