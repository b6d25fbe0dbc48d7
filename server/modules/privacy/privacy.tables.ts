/**
 * Exports of a business's data (Privacy center point 9): one row per requested archive, with its
 * progress and the moment its encrypted blob is deleted. No personal data: ids, counts and times.
 */
import { bigint, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at } from '../../db/platform.tables.ts';

export const dataExports = pgTable(
  'data_exports',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    /** queued → running → ready → expired, or failed. */
    status: text('status').notNull(),
    requestedByType: text('requested_by_type').notNull(),
    requestedById: text('requested_by_id'),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    bytes: bigint('bytes', { mode: 'number' }),
    sha256: text('sha256'),
    errorCode: text('error_code'),
    downloads: integer('downloads').notNull().default(0),
    createdAt: at('created_at').notNull(),
    finishedAt: at('finished_at'),
    expiresAt: at('expires_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('data_exports_id_key').on(t.id)],
);
