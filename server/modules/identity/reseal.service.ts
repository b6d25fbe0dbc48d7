/**
 * Master-key rotation for identity (ADR 0011): the deployment secrets and the private signing
 * keys are sealed directly under the master key, so a rotation must reseal them, or the provider
 * could not open its keys afterwards. Runs after the keyring switched to the new master key, while
 * the old one is still loaded for reading.
 */
import { eq } from 'drizzle-orm';
import type { Services } from '../../context.ts';
import { inSystem } from '../../db/transactions.ts';
import { deploymentSecrets, oidcSigningKeys } from './identity.tables.ts';

/** Reseals every identity secret not yet under the current master key; returns how many. */
export async function resealIdentitySecrets(services: Services): Promise<number> {
  const { keyring } = services;
  return inSystem(services.db, async (tx) => {
    let count = 0;
    for (const row of await tx.select().from(deploymentSecrets)) {
      if (row.masterKeyId === keyring.masterKeyId) continue;
      const label = `deployment/${row.name}`;
      const { sealed, masterKeyId } = keyring.sealSecret(
        label,
        keyring.openSecret(label, row.sealed, row.masterKeyId),
      );
      await tx
        .update(deploymentSecrets)
        .set({ sealed, masterKeyId })
        .where(eq(deploymentSecrets.name, row.name));
      count++;
    }
    for (const row of await tx.select().from(oidcSigningKeys)) {
      if (row.masterKeyId === keyring.masterKeyId) continue;
      const label = `oidc-signing-key/${row.kid}`;
      const plain = keyring.openSecret(label, row.privateSealed, row.masterKeyId);
      const { sealed, masterKeyId } = keyring.sealSecret(label, plain);
      await tx
        .update(oidcSigningKeys)
        .set({ privateSealed: sealed, masterKeyId })
        .where(eq(oidcSigningKeys.kid, row.kid));
      count++;
    }
    return count;
  });
}
