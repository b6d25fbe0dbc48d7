/**
 * Deployment-wide secrets (cookie signing keys, the blind-index key for users' e-mail addresses):
 * random bytes created on first use, stored only sealed under the master key. Two processes that
 * start at once both try to insert; the first wins and both read the winner.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Services } from '../../context.ts';
import { inSystem } from '../../db/transactions.ts';
import { deploymentSecrets } from './identity.tables.ts';

/** Returns the named secret, creating `bytes` random bytes the first time. */
export async function getDeploymentSecret(services: Services, name: string, bytes = 32): Promise<Buffer> {
  const { db, keyring, clock } = services;
  return inSystem(db, async (tx) => {
    const { sealed, masterKeyId } = keyring.sealSecret(`deployment/${name}`, randomBytes(bytes));
    await tx
      .insert(deploymentSecrets)
      .values({ name, sealed, masterKeyId, createdAt: clock.now() })
      .onConflictDoNothing();
    const [row] = await tx.select().from(deploymentSecrets).where(eq(deploymentSecrets.name, name));
    if (!row) throw new Error('deployment secret vanished');
    return keyring.openSecret(`deployment/${name}`, row.sealed, row.masterKeyId);
  });
}
