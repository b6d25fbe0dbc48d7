/**
 * SQL for API clients. Reads inside a business go through row-level security; authenticating a
 * client at the token endpoint, before any business is known, goes through the narrow SECURITY
 * DEFINER function kluis_api_client (ADR 0010).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import { type Orm, queryRows, sql, type Tx } from '../../db/client.ts';
import { apiClients } from './clients.tables.ts';

const place = (tenantId: string, id: string) => ({
  tenantId,
  table: 'api_clients',
  column: 'name_enc',
  rowId: id,
});

/** A client as the business sees it (never its secret hash). */
export interface ApiClientRecord {
  id: string;
  name: string;
  scopes: string[];
  /** Set for interactive clients (authorization code with PKCE); empty for client-credentials ones. */
  redirectUris: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** What authentication needs to know about a client. */
export interface ClientCredentials {
  tenantId: string;
  secretHash: Buffer;
  scopes: string[];
  redirectUris: string[];
  revokedAt: Date | null;
}

/** Inserts a client of the transaction's tenant. */
export async function insertClient(
  tx: Tx,
  keys: TenantKeys,
  input: {
    id: string;
    name: string;
    secretHash: Buffer;
    scopes: readonly string[];
    redirectUris: readonly string[];
    at: Date;
  },
): Promise<void> {
  await tx.insert(apiClients).values({
    tenantId: keys.tenantId,
    id: input.id,
    nameEnc: encryptField(keys.data, place(keys.tenantId, input.id), input.name),
    secretHash: input.secretHash,
    scopes: input.scopes.join(' '),
    redirectUris: input.redirectUris.length > 0 ? input.redirectUris.join(' ') : null,
    createdAt: input.at,
  });
}

/** Lists the tenant's clients, oldest first. */
export async function listClients(tx: Tx, keys: TenantKeys): Promise<ApiClientRecord[]> {
  const rows = await tx
    .select()
    .from(apiClients)
    .where(eq(apiClients.tenantId, keys.tenantId))
    .orderBy(asc(apiClients.createdAt));
  return rows.map((r) => ({
    id: r.id,
    name: decryptField(keys.data, place(keys.tenantId, r.id), r.nameEnc),
    scopes: r.scopes.split(' ').filter(Boolean),
    redirectUris: (r.redirectUris ?? '').split(' ').filter(Boolean),
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
  }));
}

/** Marks a client of the transaction's tenant revoked; false when there is no such active client. */
export async function markClientRevoked(tx: Tx, tenantId: string, id: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(apiClients)
    .set({ revokedAt: at })
    .where(and(eq(apiClients.tenantId, tenantId), eq(apiClients.id, id), isNull(apiClients.revokedAt)))
    .returning({ id: apiClients.id });
  return rows.length > 0;
}

/** Finds a client by id across businesses, for authentication only (through kluis_api_client). */
export async function findClientCredentials(
  tx: Tx | Orm,
  id: string,
): Promise<ClientCredentials | undefined> {
  const [row] = await queryRows<{
    tenant_id: string;
    secret_hash: Buffer | Uint8Array;
    scopes: string;
    revoked_at: Date | string | null;
    redirect_uris: string | null;
  }>(
    tx,
    sql`SELECT tenant_id, secret_hash, scopes, revoked_at, redirect_uris FROM kluis_api_client(${id}::uuid)`,
  );
  if (!row) return undefined;
  return {
    tenantId: row.tenant_id,
    secretHash: Buffer.from(row.secret_hash),
    scopes: row.scopes.split(' ').filter(Boolean),
    redirectUris: (row.redirect_uris ?? '').split(' ').filter(Boolean),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}
