/**
 * Support access (issue 6 point 14; ADR 0057): the owner of a business lets the operator's staff
 * read its records for a limited time. One row per grant, under forced row-level security like
 * every tenant table. A grant is never deleted: revoking sets `revoked_at`, so the business keeps
 * the history of who was let in, why and until when. The accesses themselves are the
 * `support.accessed` events of the business's audit chain (one source of truth, tamper-evident).
 */
import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

export const supportGrants = pgTable(
  'support_grants',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    /** What the grant allows: only `read` exists (ADR 0057). */
    scope: text('scope').notNull(),
    /** The owner's reason or ticket reference; free text, so sealed under the business's key. */
    reasonEnc: bytea('reason_enc').notNull(),
    /** The one operator account the grant is for; null lets any of the operator's staff in. */
    operatorId: uuid('operator_id'),
    grantedBy: uuid('granted_by').notNull(),
    grantedAt: at('granted_at').notNull(),
    /** Checked against the service clock at every request: after it, the grant opens nothing. */
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
    revokedBy: uuid('revoked_by'),
    /** Set by the first access; the business's contact is mailed then, once. */
    firstUsedAt: at('first_used_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
