/**
 * API clients (integrations) of a business: client-credentials with scopes, or (with redirect URIs)
 * interactive clients that act for a person after consent; the secret only as a hash.
 */
import { pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

export const apiClients = pgTable(
  'api_clients',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    nameEnc: bytea('name_enc').notNull(),
    secretHash: bytea('secret_hash').notNull(),
    scopes: text('scopes').notNull(),
    /** Space-separated redirect URIs; set only for interactive (authorization code) clients. */
    redirectUris: text('redirect_uris'),
    createdAt: at('created_at').notNull(),
    revokedAt: at('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('api_clients_id_key').on(t.id)],
);
