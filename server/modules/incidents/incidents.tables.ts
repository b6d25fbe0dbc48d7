/**
 * Incidents (Privacy center points 8 and 11). The operator's record is platform-level: the
 * incident, its scope (which businesses, with plain counts of people and records) and its appended
 * updates — facts about the operator's systems, no personal data. What each business received is
 * its own copy in `breach_notices`, a tenant table under forced RLS: the business's inbox reads
 * only that, so one business never sees another's notice even through a bug in a filter.
 */
import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at } from '../../db/platform.tables.ts';

/** One incident as the operator recorded it; only status and closed_at ever change. */
export const incidents = pgTable('incidents', {
  id: uuid('id').primaryKey(),
  discoveredAt: at('discovered_at').notNull(),
  recordedAt: at('recorded_at').notNull(),
  /** When the breach began and ended, when known (the AP form's timeline). */
  startedAt: at('started_at'),
  endedAt: at('ended_at'),
  /** What happened (read, copied, changed, deleted, lost…), in the operator's words. */
  nature: text('nature').notNull(),
  systems: jsonb('systems').$type<string[]>().notNull(),
  /** Catalogue categories (PersonalCategory) involved. */
  dataCategories: jsonb('data_categories').$type<string[]>().notNull(),
  description: text('description').notNull(),
  consequences: text('consequences').notNull(),
  measures: text('measures').notNull(),
  /** encrypted, partly_encrypted, not_encrypted or unknown. */
  encryption: text('encryption').notNull(),
  /** The operator's contact for this incident (a function address). */
  contact: text('contact').notNull(),
  /** open or closed. */
  status: text('status').notNull().default('open'),
  closedAt: at('closed_at'),
});

/** The businesses an incident affects, with counts taken from their data, and when each was notified. */
export const incidentScope = pgTable(
  'incident_scope',
  {
    incidentId: uuid('incident_id').notNull(),
    /** The affected business (the operator's record; the business's own copy is breach_notices). */
    businessId: uuid('business_id').notNull(),
    people: integer('people').notNull(),
    records: integer('records').notNull(),
    scopedAt: at('scoped_at').notNull(),
    notifiedAt: at('notified_at'),
    /** How many of the incident's updates this business has been sent. */
    updatesSent: integer('updates_sent').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.businessId] })],
);

/** Updates to an incident, appended and never edited. */
export const incidentUpdates = pgTable(
  'incident_updates',
  {
    incidentId: uuid('incident_id').notNull(),
    seq: integer('seq').notNull(),
    at: at('at').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.seq] })],
);

/** A business's copy of each notice and update it was sent (append-only), its breach-notice inbox. */
export const breachNotices = pgTable(
  'breach_notices',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    incidentId: uuid('incident_id').notNull(),
    /** notice (the first) or update. */
    kind: text('kind').notNull(),
    /** 0 for the notice, the update's seq otherwise. */
    seq: integer('seq').notNull(),
    sentAt: at('sent_at').notNull(),
    /** The notice's content as sent: the AP form's fields, counts, no personal data. */
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('breach_notices_incident_idx').on(t.tenantId, t.incidentId, t.seq),
  ],
);
