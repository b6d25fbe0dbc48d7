/**
 * SQL for second factors and the business's 2FA requirement. TOTP secrets are sealed under the
 * deployment data key for user fields, bound to their table, column and user.
 */
import { eq } from 'drizzle-orm';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import type { Tx } from '../../db/client.ts';
import { tenantSecurity, userPasskeys, userRecoveryCodes, userTotp } from './identity.tables.ts';
import type { UserKeys } from './users.repo.ts';

/** A person's TOTP factor. */
export interface TotpRecord {
  secret: string;
  lastUsedStep: number | null;
  isConfirmed: boolean;
}

const place = (userId: string) => ({
  tenantId: 'platform',
  table: 'user_totp',
  column: 'secret_enc',
  rowId: userId,
});
const dataKeys = (keys: UserKeys) => ({
  current: { id: 1, key: keys.data },
  byId: (id: number) => (id === 1 ? keys.data : undefined),
});

/** Stores a new, unconfirmed TOTP secret, replacing an unconfirmed one. */
export async function upsertPendingTotp(tx: Tx, keys: UserKeys, userId: string, secret: string, at: Date) {
  const secretEnc = encryptField(dataKeys(keys), place(userId), secret);
  await tx
    .insert(userTotp)
    .values({ userId, secretEnc, createdAt: at })
    .onConflictDoUpdate({
      target: userTotp.userId,
      set: { secretEnc, confirmedAt: null, lastUsedStep: null, createdAt: at },
    });
}

/** The person's TOTP factor, locked for update (the step check and its update are one step). */
export async function findTotpForUpdate(
  tx: Tx,
  keys: UserKeys,
  userId: string,
): Promise<TotpRecord | undefined> {
  const [row] = await tx.select().from(userTotp).where(eq(userTotp.userId, userId)).for('update');
  if (!row) return undefined;
  return {
    secret: decryptField(dataKeys(keys), place(userId), row.secretEnc),
    lastUsedStep: row.lastUsedStep,
    isConfirmed: row.confirmedAt !== null,
  };
}

/** Records a used step (and confirms the factor on its first use). */
export async function markTotpUsed(tx: Tx, userId: string, step: number, at: Date): Promise<void> {
  const [row] = await tx
    .select({ c: userTotp.confirmedAt })
    .from(userTotp)
    .where(eq(userTotp.userId, userId));
  await tx
    .update(userTotp)
    .set({ lastUsedStep: step, confirmedAt: row?.c ?? at })
    .where(eq(userTotp.userId, userId));
}

/** True when the person has a confirmed TOTP factor. */
export async function hasConfirmedTotp(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ c: userTotp.confirmedAt })
    .from(userTotp)
    .where(eq(userTotp.userId, userId));
  return !!row?.c;
}

/** True when the person has a passkey. */
export async function hasPasskeyRow(tx: Tx, userId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: userPasskeys.id })
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, userId))
    .limit(1);
  return rows.length > 0;
}

/** Removes the TOTP factor and the recovery codes. */
export async function deleteSecondFactors(tx: Tx, userId: string): Promise<void> {
  await tx.delete(userTotp).where(eq(userTotp.userId, userId));
  await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
}

/** Replaces the person's recovery codes. */
export async function saveRecoveryHashes(tx: Tx, userId: string, hashes: (string | null)[], at: Date) {
  await tx
    .insert(userRecoveryCodes)
    .values({ userId, hashes, createdAt: at })
    .onConflictDoUpdate({ target: userRecoveryCodes.userId, set: { hashes } });
}

/** The person's recovery-code hashes (null for used ones), locked for update. */
export async function findRecoveryHashesForUpdate(tx: Tx, userId: string): Promise<(string | null)[]> {
  const [row] = await tx
    .select()
    .from(userRecoveryCodes)
    .where(eq(userRecoveryCodes.userId, userId))
    .for('update');
  return (row?.hashes as (string | null)[] | undefined) ?? [];
}

/** Whether the transaction's business requires a second factor of every member. */
export async function isTwoFactorRequired(tx: Tx, tenantId: string): Promise<boolean> {
  const [row] = await tx.select().from(tenantSecurity).where(eq(tenantSecurity.tenantId, tenantId));
  return row?.requireTwoFactor ?? false;
}

/** Sets the business's requirement. */
export async function setTwoFactorRequired(tx: Tx, tenantId: string, required: boolean, at: Date) {
  await tx
    .insert(tenantSecurity)
    .values({ tenantId, requireTwoFactor: required, updatedAt: at })
    .onConflictDoUpdate({
      target: tenantSecurity.tenantId,
      set: { requireTwoFactor: required, updatedAt: at },
    });
}
