/**
 * Data-subject requests (Privacy center point 7): what a customer of a business asked through the
 * public form (encrypted), its status and one-month deadline, and every recorded outcome. Kluis
 * never decides a request: the business does, and its decision is recorded here.
 */
import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

/** One row per request received through the public form. */
export const subjectRequests = pgTable(
  'subject_requests',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    /** access, rectification, completion, erasure, restriction or objection. */
    kind: text('kind').notNull(),
    nameEnc: bytea('name_enc').notNull(),
    emailEnc: bytea('email_enc').notNull(),
    descriptionEnc: bytea('description_enc').notNull(),
    /** The language of the form, for the acknowledgement (nl or en). */
    lang: text('lang').notNull(),
    receivedAt: at('received_at').notNull(),
    /** One month after receipt; later when the business extends it (by up to two months). */
    deadlineAt: at('deadline_at').notNull(),
    /** open, extended, completed or refused. */
    status: text('status').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Append-only: every decision the business recorded on a request. */
export const subjectRequestOutcomes = pgTable(
  'subject_request_outcomes',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    requestId: uuid('request_id').notNull(),
    /** completed, refused or extended. */
    outcome: text('outcome').notNull(),
    /** The reason (refusal, extension) or a note on what was done; may hold personal data. */
    reasonEnc: bytea('reason_enc'),
    /** For an extension: the new deadline. */
    deadlineAt: at('deadline_at'),
    decidedAt: at('decided_at').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * A customer's restriction of processing (Art. 18: no new invoices, no invoice mails) or objection
 * (Art. 21: no reminders or mailings), set by the business on a request and lifted by it later.
 */
export const customerRestrictions = pgTable(
  'customer_restrictions',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** restriction or objection. */
    kind: text('kind').notNull(),
    /** The request it answers. */
    requestId: uuid('request_id').notNull(),
    since: at('since').notNull(),
    liftedAt: at('lifted_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId, t.kind] })],
);

/**
 * Append-only: each issued invoice of an erased customer whose buyer details were pseudonymised
 * once its retention period ended (ADR 0059). Written only by the SECURITY DEFINER function
 * `kluis_pseudonymise_invoice`, which also makes the one change the immutability trigger allows.
 */
export const invoicePseudonymisations = pgTable(
  'invoice_pseudonymisations',
  {
    tenantId: uuid('tenant_id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    /** The erasure request that asked for it. */
    requestId: uuid('request_id').notNull(),
    pseudonymisedAt: at('pseudonymised_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.invoiceId] })],
);
