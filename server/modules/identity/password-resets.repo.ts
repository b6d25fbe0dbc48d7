/**
 * SQL for mailbox proofs: single-use links that prove a person reads the mail of their address
 * (password reset, sign-up confirmation). Only the SHA-256 of the link's token is stored, so the
 * table holds nothing that opens an account.
 */
import { createHash } from 'node:crypto';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { passwordResets } from './identity.tables.ts';

/** The stored form of a link token. */
export const hashResetToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Stores a new link for a person. */
export async function insertResetLink(
  tx: Tx,
  input: { id: string; userId: string; token: string; at: Date; expiresAt: Date },
): Promise<void> {
  await tx.insert(passwordResets).values({
    id: input.id,
    userId: input.userId,
    tokenHash: hashResetToken(input.token),
    createdAt: input.at,
    expiresAt: input.expiresAt,
  });
}

/** How many links of a person were made since `since` (a cap on mails per person). */
export async function countResetLinksSince(tx: Tx, userId: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(passwordResets)
    .where(and(eq(passwordResets.userId, userId), gt(passwordResets.createdAt, since)));
  return row?.n ?? 0;
}

/** The person of a usable link (unused, not expired), or undefined. */
export async function findUsableResetLink(
  tx: Tx,
  token: string,
  now: Date,
): Promise<{ id: string; userId: string } | undefined> {
  const [row] = await tx
    .select({ id: passwordResets.id, userId: passwordResets.userId })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, hashResetToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    );
  return row;
}

/**
 * Uses a link up, and every other open link of the same person with it. Returns the person only
 * when this call was the one that used it: two concurrent submissions cannot both succeed.
 */
export async function consumeResetLink(tx: Tx, token: string, now: Date): Promise<string | undefined> {
  const [row] = await tx
    .update(passwordResets)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResets.tokenHash, hashResetToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResets.userId });
  if (!row) return undefined;
  await tx
    .update(passwordResets)
    .set({ usedAt: now })
    .where(and(eq(passwordResets.userId, row.userId), isNull(passwordResets.usedAt)));
  return row.userId;
}
