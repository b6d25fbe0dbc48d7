/**
 * SQL for the business of each grant: a person who belongs to several businesses signs in for one
 * of them, and every token of that grant (access tokens, refreshed ones) carries that business.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { oidcGrantBusinesses } from './identity.tables.ts';

/** Records which business a new grant is for. */
export async function insertGrantBusiness(
  tx: Tx,
  input: { grantId: string; userId: string; businessId: string; at: Date },
): Promise<void> {
  await tx
    .insert(oidcGrantBusinesses)
    .values({
      grantId: input.grantId,
      userId: input.userId,
      businessId: input.businessId,
      createdAt: input.at,
    })
    .onConflictDoNothing();
}

/** The business a grant is for, or undefined when none was chosen. */
export async function findGrantBusiness(tx: Tx, grantId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ businessId: oidcGrantBusinesses.businessId })
    .from(oidcGrantBusinesses)
    .where(eq(oidcGrantBusinesses.grantId, grantId));
  return row?.businessId;
}
