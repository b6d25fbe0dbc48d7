/**
 * The key vault: where the tenants' wrapped keys are kept OUTSIDE the backups (invariant 3,
 * docs/adr/0050-backups-and-restore.md). A backup holds every table except `tenant_keys`; a restore
 * takes each business's keys from this vault instead. Shredding deletes the business's keys from
 * the database and its entry here, so every backup taken before the shredding — which never held
 * the keys — stays unreadable for that business, while the others restore normally.
 *
 * The vault lives in the blob store under its own space (`key-vault/tenants/<tenant id>.ndjson`),
 * never copied into backups. Its entries are the `tenant_keys` rows as the database renders them
 * (row_to_json), whose key material is already wrapped by the master key with the tenant, purpose
 * and key id bound in, so a vault entry alone decrypts nothing and cannot be moved to another tenant.
 */
import type { BlobStore } from '../blobs/blob-store.ts';

/** The blob space of the vault; not a tenant id (those are UUIDs), and excluded from backups. */
export const KEY_VAULT_SPACE = 'key-vault';

function entryKey(tenantId: string): string {
  return `tenants/${tenantId}.ndjson`;
}

/** Writes (or replaces) a tenant's entry: its `tenant_keys` rows as row_to_json text, one per line. */
export async function putVaultEntry(
  blobs: BlobStore,
  tenantId: string,
  rows: readonly string[],
): Promise<void> {
  await blobs.putSealed(KEY_VAULT_SPACE, entryKey(tenantId), Buffer.from(`${rows.join('\n')}\n`, 'utf8'));
}

/** A tenant's rows from the vault, or undefined when it has none (never kept, or shredded). */
export async function readVaultEntry(blobs: BlobStore, tenantId: string): Promise<string[] | undefined> {
  try {
    const text = (await blobs.getSealed(KEY_VAULT_SPACE, entryKey(tenantId))).toString('utf8');
    return text.split('\n').filter((l) => l.length > 0);
  } catch (err) {
    if ((err as { code?: string }).code === 'blob_not_found') return undefined;
    throw err;
  }
}

/** The tenants that have an entry. */
export async function listVaultTenants(blobs: BlobStore): Promise<string[]> {
  const keys = await blobs.list(KEY_VAULT_SPACE, 'tenants/');
  return keys.map((k) => k.slice('tenants/'.length, -'.ndjson'.length));
}

/** Deletes a tenant's entry: part of shredding, so that no backup can bring its keys back. */
export async function dropVaultEntry(blobs: BlobStore, tenantId: string): Promise<void> {
  await blobs.delete(KEY_VAULT_SPACE, entryKey(tenantId));
}
