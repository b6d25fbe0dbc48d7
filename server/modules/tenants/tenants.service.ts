/**
 * Creating, listing and shredding tenants (businesses). Creation makes the tenant row, its keys
 * and the start of its audit chain in one transaction, so a tenant never exists half-made.
 */
import { AppError, invalidInput, notFound } from '../../../domain/errors.ts';
import { appendAudit, startAuditChain } from '../../audit/audit.repo.ts';
import type { Actor, Services } from '../../context.ts';
import { dropVaultEntry } from '../../crypto/key-vault.ts';
import { inSystem, inTenant, setTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import {
  decryptTenantName,
  findTenantRow,
  insertTenant,
  listTenantRows,
  markTenantShredded,
} from './tenants.repo.ts';

/** A tenant with its name decrypted (null once shredded). */
export interface Tenant {
  id: string;
  name: string | null;
  status: 'active' | 'shredded';
  createdAt: string;
}

/** Creates a tenant with its keys and audit chain. */
export async function createTenant(
  services: Services,
  actor: Actor,
  input: { name: string },
): Promise<{ id: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) {
    throw invalidInput([{ path: 'name', code: 'name_length', message: 'A name has 1 to 200 characters' }]);
  }
  const at = services.clock.now();
  const id = newId(at);
  await inSystem(services.db, async (tx) => {
    await setTenant(tx, id);
    const keys = await services.keyring.createTenantKeys(tx, id, at);
    await insertTenant(tx, keys, name, at);
    await startAuditChain(tx, id);
    await appendAudit(tx, keys, { action: 'tenant.created', actor, target: { type: 'tenant', id }, at });
  });
  return { id };
}

/** Lists every tenant with its name. */
export async function listTenants(services: Services): Promise<Tenant[]> {
  const rows = await inSystem(services.db, listTenantRows);
  const result: Tenant[] = [];
  for (const r of rows) {
    const name =
      r.status === 'shredded'
        ? null
        : await inTenant(services.db, r.id, async (tx) =>
            decryptTenantName(await services.keyring.forTenant(tx, r.id), r.nameEnc),
          );
    result.push({ id: r.id, name, status: r.status, createdAt: r.createdAt.toISOString() });
  }
  return result;
}

/**
 * Crypto-shreds a tenant: its keys are destroyed (the last audit event is written first, under
 * the keys it needs), so every encrypted field, file and backup copy of it becomes unreadable.
 * Purging the rows themselves is the retention job of the Privacy center.
 */
export async function shredTenant(services: Services, actor: Actor, tenantId: string): Promise<void> {
  await inTenant(services.db, tenantId, async (tx) => {
    const row = await findTenantRow(tx, tenantId);
    if (!row) throw notFound('tenant');
    if (row.status === 'shredded')
      throw new AppError('conflict', 'tenant_already_shredded', 'Already shredded');
    const at = services.clock.now();
    const keys = await services.keyring.forTenant(tx, tenantId);
    await appendAudit(tx, keys, {
      action: 'tenant.shredded',
      actor,
      target: { type: 'tenant', id: tenantId },
      at,
    });
    await services.keyring.shred(tx, tenantId);
    await markTenantShredded(tx, tenantId, at);
  });
  // After the commit: the keys are gone from the database, now from the vault that restores take
  // them from, so backups made before this moment stay unreadable for this business (ADR 0050).
  await dropVaultEntry(services.blobs, tenantId);
}
