/** SQL for the operator's staff accounts beyond what users.repo.ts reads. */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { users } from './identity.tables.ts';
import type { UserKind } from './users.repo.ts';

/** A user's kind and status, without decrypting anything (the operator check on every request). */
export async function findAccountKind(
  tx: Tx,
  userId: string,
): Promise<{ kind: UserKind; status: string } | undefined> {
  const [row] = await tx
    .select({ kind: users.kind, status: users.status })
    .from(users)
    .where(eq(users.id, userId));
  return row ? { kind: row.kind as UserKind, status: row.status } : undefined;
}
