/**
 * Idempotency keys of creating API calls (IETF draft httpapi-idempotency-key-header; ADR 0023).
 * One row per business and key: the key and the request fingerprint only as keyed hashes, the
 * stored response only as an envelope under the business's data key, since it holds personal data.
 */
import { index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    keyHash: bytea('key_hash').notNull(),
    id: uuid('id').notNull(),
    fingerprint: bytea('fingerprint').notNull(),
    state: text('state').notNull(),
    statusCode: integer('status_code'),
    responseEnc: bytea('response_enc'),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.keyHash] }),
    index('idempotency_keys_expiry_idx').on(t.tenantId, t.expiresAt),
  ],
);
