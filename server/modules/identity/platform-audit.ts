/**
 * The platform's own audit chain (Identity points 12 and 13): what the operator does that belongs
 * to no single business — signing-key and master-key rotations, operators created, businesses
 * created or shredded from the console. It is one more chain in `audit_events` with the same
 * hash chain, MAC and verifier as every business's, under the reserved id PLATFORM_CHAIN (no
 * business ever gets the nil UUID: ids are UUIDv7). Its keys are deployment secrets sealed by the
 * master key, so a master-key rotation reseals them with the other identity secrets.
 */
import { type AuditInput, appendAudit } from '../../audit/audit.repo.ts';
import { genesisHash } from '../../audit/chain.ts';
import { type VerifyResult, verifyAuditChain } from '../../audit/verify.ts';
import type { Actor, Services } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { auditHeads } from '../../db/platform.tables.ts';
import { inTenant, setTenant } from '../../db/transactions.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';

/** The chain id of the platform's audit trail. */
export const PLATFORM_CHAIN = '00000000-0000-0000-0000-000000000000';

/** The operator at the console: the CLI knows no person, only that the operator ran it. */
export const CONSOLE: Actor = { type: 'operator', id: null };

/** The platform chain's keys: its own data key (client addresses) and MAC key. */
export async function platformAuditKeys(services: Services): Promise<TenantKeys> {
  const data = await getDeploymentSecret(services, 'platform-audit-data-key');
  const audit = await getDeploymentSecret(services, 'platform-audit-mac-key');
  return {
    tenantId: PLATFORM_CHAIN,
    data: { current: { id: 1, key: data }, byId: (id: number) => (id === 1 ? data : undefined) },
    // The platform chain keeps no blind indexes; the field exists for the type only.
    index: Buffer.alloc(32),
    audit,
  };
}

/**
 * Appends to the platform chain inside the caller's transaction (load `keys` before opening it).
 * The transaction is switched to the platform chain, so call this after its other statements.
 */
export async function appendPlatformAudit(
  tx: Tx,
  keys: TenantKeys,
  input: Omit<AuditInput, 'requestId' | 'ip'>,
): Promise<number> {
  await setTenant(tx, PLATFORM_CHAIN);
  await tx
    .insert(auditHeads)
    .values({ tenantId: PLATFORM_CHAIN, seq: 0, hash: genesisHash(PLATFORM_CHAIN) })
    .onConflictDoNothing();
  return appendAudit(tx, keys, input);
}

/** Records a console action whose change another service already committed. */
export async function recordPlatformEvent(
  services: Services,
  input: Omit<AuditInput, 'requestId' | 'ip' | 'at' | 'actor'> & { actor?: Actor },
): Promise<void> {
  const keys = await platformAuditKeys(services);
  await inTenant(services.db, PLATFORM_CHAIN, (tx) =>
    appendPlatformAudit(tx, keys, { actor: CONSOLE, ...input, at: services.clock.now() }),
  );
}

/** Verifies the platform chain (an empty chain verifies as zero events). */
export async function verifyPlatformAudit(services: Services): Promise<VerifyResult> {
  const keys = await platformAuditKeys(services);
  // A deployment without platform events yet gets its empty chain here, so it verifies as such.
  await inTenant(services.db, PLATFORM_CHAIN, (tx) =>
    tx
      .insert(auditHeads)
      .values({ tenantId: PLATFORM_CHAIN, seq: 0, hash: genesisHash(PLATFORM_CHAIN) })
      .onConflictDoNothing(),
  );
  return verifyAuditChain(services, PLATFORM_CHAIN, keys);
}
