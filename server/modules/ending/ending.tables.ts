/**
 * The end of a business's subscription (Privacy center point 10; ADR 0056). A platform table keyed
 * by the business id (not `tenant_id`): it outlives the purge of the business's rows, so the
 * operator keeps the deletion record and its signed certificate. No personal data in clear: the
 * data-protection contact's address is sealed under the master key until the certificate is
 * mailed, then cleared.
 */
import { boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

export const subscriptionEndings = pgTable('subscription_endings', {
  businessId: uuid('business_id').primaryKey(),
  /** ending → (cancelled) | shredded → purged → certified. */
  status: text('status').notNull(),
  returnRequested: boolean('return_requested').notNull(),
  deleteRequested: boolean('delete_requested').notNull(),
  exportId: uuid('export_id'),
  retentionDays: integer('retention_days').notNull(),
  endedAt: at('ended_at').notNull(),
  deadlineAt: at('deadline_at').notNull(),
  resumedAt: at('resumed_at'),
  shreddedAt: at('shredded_at'),
  purgedAt: at('purged_at'),
  certifiedAt: at('certified_at'),
  /** Rows deleted so far per table, updated in each purge batch's own transaction. */
  purged: jsonb('purged').$type<Record<string, number>>().notNull().default({}),
  /** SHA-256 fingerprints of the wrapped keys destroyed (purpose:id → hex). */
  keyFingerprints: jsonb('key_fingerprints').$type<Record<string, string>>(),
  contactEnc: bytea('contact_enc'),
  contactMasterKeyId: text('contact_master_key_id'),
  certificatePdf: bytea('certificate_pdf'),
  certificateSha256: text('certificate_sha256'),
  certificateSignature: text('certificate_signature'),
  certificateKeyId: text('certificate_key_id'),
});
