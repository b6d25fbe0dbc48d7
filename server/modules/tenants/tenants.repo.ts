/** SQL for the tenants table. The name is encrypted here, at the repository boundary. */
import { asc, eq } from 'drizzle-orm';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { tenants } from '../../db/platform.tables.ts';

export type TenantStatus = 'active' | 'shredded';

/** A tenant as the rest of Kluis sees it. */
export interface TenantRecord {
  id: string;
  status: TenantStatus;
  createdAt: Date;
  shreddedAt: Date | null;
}

const place = (id: string) => ({ tenantId: id, table: 'tenants', column: 'name_enc', rowId: id });

/** Inserts a tenant row with its encrypted name. */
export async function insertTenant(tx: Tx, keys: TenantKeys, name: string, at: Date): Promise<void> {
  const id = keys.tenantId;
  await tx.insert(tenants).values({ id, nameEnc: encryptField(keys.data, place(id), name), createdAt: at });
}

/** Lists every tenant (a system query: no tenant scope needed for the root table). */
export async function listTenantRows(tx: Tx): Promise<(TenantRecord & { nameEnc: Buffer })[]> {
  const rows = await tx.select().from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.id));
  return rows.map((r) => ({ ...r, status: r.status as TenantStatus }));
}

/** Finds one tenant row. */
export async function findTenantRow(
  tx: Tx,
  id: string,
): Promise<(TenantRecord & { nameEnc: Buffer }) | undefined> {
  const [r] = await tx.select().from(tenants).where(eq(tenants.id, id));
  return r ? { ...r, status: r.status as TenantStatus } : undefined;
}

/** Decrypts a tenant's name. */
export function decryptTenantName(keys: TenantKeys, nameEnc: Buffer): string {
  return decryptField(keys.data, place(keys.tenantId), nameEnc);
}

/** Marks a tenant as shredded. */
export async function markTenantShredded(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(tenants).set({ status: 'shredded', shreddedAt: at }).where(eq(tenants.id, id));
}
