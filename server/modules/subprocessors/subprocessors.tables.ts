/**
 * Subprocessors (Privacy center point 4): the operator's registry, shared by every business (a
 * platform table of companies, no personal data), and each business's objections and consents.
 */
import { jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

/** The operator's registry; a row is never deleted, a removed subprocessor gets `removed_at`. */
export const subprocessors = pgTable('subprocessors', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  purpose: text('purpose').notNull(),
  /** Catalogue categories (PersonalCategory) the subprocessor may see. */
  dataCategories: jsonb('data_categories').$type<string[]>().notNull(),
  /** ISO 3166 alpha-2 country where the data is processed. */
  country: text('country').notNull(),
  /** ISO 3166 alpha-2 country whose law governs the parent company. */
  parentJurisdiction: text('parent_jurisdiction').notNull(),
  agreementReference: text('agreement_reference').notNull(),
  addedAt: at('added_at').notNull(),
  /** From when data may flow to it: at least the notice period after it was added. */
  effectiveFrom: at('effective_from').notNull(),
  removedAt: at('removed_at'),
});

/** A business's objection to, or consent for, one subprocessor (append-only). */
export const subprocessorDecisions = pgTable(
  'subprocessor_decisions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    subprocessorId: uuid('subprocessor_id').notNull(),
    /** objection or consent. */
    kind: text('kind').notNull(),
    reasonEnc: bytea('reason_enc'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    decidedAt: at('decided_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
