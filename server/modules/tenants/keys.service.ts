/**
 * Master key rotation (Foundation point 9): every tenant's keys are rewrapped under the new master
 * key, one tenant per transaction with its audit event, and no data is re-encrypted. Tenants that
 * were shredded have no keys left and are skipped.
 */
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Actor, Services } from '../../context.ts';
import type { MasterKey } from '../../crypto/master-key.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { listTenantRows } from './tenants.repo.ts';

/** Rewraps every tenant's keys under `next` and switches the keyring to it. Returns the tenants rewrapped. */
export async function rotateMasterKey(services: Services, actor: Actor, next: MasterKey): Promise<number> {
  const tenants = await inSystem(services.db, listTenantRows);
  let rewrapped = 0;
  for (const t of tenants) {
    if (t.status === 'shredded') continue;
    await inTenant(services.db, t.id, async (tx) => {
      const keys = await services.keyring.forTenant(tx, t.id);
      const count = await services.keyring.rewrapTenant(tx, t.id, next);
      await appendAudit(tx, keys, {
        action: 'tenant.keys_rewrapped',
        actor,
        target: { type: 'tenant', id: t.id },
        data: { keys: count, masterKeyId: next.id },
        at: services.clock.now(),
      });
    });
    rewrapped++;
  }
  services.keyring.useMaster(next);
  return rewrapped;
}
