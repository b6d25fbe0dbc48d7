/**
 * In-app notices and operator alerts (ADR 0060). A business's notices are references (a kind and
 * the id of what they are about), never free text: the app writes their text from the kind and
 * the referenced record, so nothing personal is copied here. Operator alerts are platform rows,
 * one per alert key, which is what makes each alert go out once.
 */
import { boolean, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at } from '../../db/platform.tables.ts';

/** A notice shown to one business in the app until someone marks it read. */
export const businessNotices = pgTable(
  'business_notices',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    /** subprocessor_announced | breach_notice | agreement_version | subject_request. */
    kind: text('kind').notNull(),
    /** What it is about: a subprocessor id, an incident id, an agreement version, a request id. */
    subjectId: text('subject_id').notNull(),
    createdAt: at('created_at').notNull(),
    readAt: at('read_at'),
    /** The account that marked it read (pseudonymous id). */
    readBy: text('read_by'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // One notice per business and subject: announcing twice does not add a second.
    uniqueIndex('business_notices_subject_key').on(t.tenantId, t.kind, t.subjectId),
  ],
);

/** An alert to the operator (objection, incident escalation); the key makes it happen once. */
export const operatorAlerts = pgTable('operator_alerts', {
  /** e.g. `incident:<id>:24h` or `objection:<tenant>:<decision id>`. */
  key: text('key').primaryKey(),
  kind: text('kind').notNull(),
  sentAt: at('sent_at').notNull(),
  /** False when no alert address is configured (the alert is then only on the platform chain). */
  mailed: boolean('mailed').notNull(),
});
