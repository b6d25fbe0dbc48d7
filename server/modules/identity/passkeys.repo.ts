/**
 * SQL for the names of passkeys. A name is free text the person types, so it is sealed under the
 * deployment data key for user fields (as the e-mail address is), bound to its table, column and
 * row; every query names the owner, so one person never reaches another's passkey.
 */
import { and, asc, eq } from 'drizzle-orm';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import type { Tx } from '../../db/client.ts';
import { userPasskeys } from './identity.tables.ts';
import type { UserKeys } from './users.repo.ts';

/** A passkey as the person sees it in their list. */
export interface PasskeySummary {
  id: string;
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const dataKeys = (keys: UserKeys) => ({
  current: { id: 1, key: keys.data },
  byId: (id: number) => (id === 1 ? keys.data : undefined),
});
const place = (id: string) => ({
  tenantId: 'platform',
  table: 'user_passkeys',
  column: 'name_enc',
  rowId: id,
});

/** Seals a passkey's name for its row. */
export function sealPasskeyName(keys: UserKeys, passkeyId: string, name: string): Buffer {
  return encryptField(dataKeys(keys), place(passkeyId), name);
}

/** The person's passkeys, oldest first, with their names opened. */
export async function listPasskeysOf(tx: Tx, keys: UserKeys, userId: string): Promise<PasskeySummary[]> {
  const rows = await tx
    .select()
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, userId))
    .orderBy(asc(userPasskeys.createdAt), asc(userPasskeys.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.nameEnc ? decryptField(dataKeys(keys), place(r.id), r.nameEnc) : null,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
  }));
}

/** Renames one of the person's passkeys; false when they have no passkey with that id. */
export async function renamePasskeyOf(
  tx: Tx,
  keys: UserKeys,
  userId: string,
  passkeyId: string,
  name: string,
): Promise<boolean> {
  const rows = await tx
    .update(userPasskeys)
    .set({ nameEnc: sealPasskeyName(keys, passkeyId, name) })
    .where(and(eq(userPasskeys.id, passkeyId), eq(userPasskeys.userId, userId)))
    .returning({ id: userPasskeys.id });
  return rows.length > 0;
}

/** Deletes one of the person's passkeys; false when they have no passkey with that id. */
export async function deletePasskeyOf(tx: Tx, userId: string, passkeyId: string): Promise<boolean> {
  const rows = await tx
    .delete(userPasskeys)
    .where(and(eq(userPasskeys.id, passkeyId), eq(userPasskeys.userId, userId)))
    .returning({ id: userPasskeys.id });
  return rows.length > 0;
}
