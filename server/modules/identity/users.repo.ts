/**
 * SQL for users. A user is not part of any one business, so no tenant key applies: the e-mail
 * address is sealed under a deployment data key and found through a blind index under a
 * deployment index key (both random, kept in deployment_secrets, sealed by the master key).
 * The field envelope binds table, column and row exactly as tenant fields do.
 */
import { and, eq } from 'drizzle-orm';
import type { Services } from '../../context.ts';
import { blindIndex, normalise } from '../../crypto/blind-index.ts';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import type { Tx } from '../../db/client.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';
import { users } from './identity.tables.ts';

/** Business users, or the operator's staff. */
export type UserKind = 'user' | 'operator';

/** A user as services see it; the password hash never leaves identity. */
export interface UserRecord {
  id: string;
  kind: UserKind;
  email: string;
  passwordHash: string | null;
  locale: 'nl' | 'en';
  status: string;
  createdAt: Date;
}

/** The deployment keys for user fields, loaded once per process. */
export interface UserKeys {
  data: Buffer;
  index: Buffer;
}

const PLATFORM = 'platform'; // the "tenant" bound into user envelopes
const place = (id: string) => ({ tenantId: PLATFORM, table: 'users', column: 'email_enc', rowId: id });

/** Loads (or creates) the deployment keys for user fields. */
export async function loadUserKeys(services: Services): Promise<UserKeys> {
  return {
    data: await getDeploymentSecret(services, 'users-data-key'),
    index: await getDeploymentSecret(services, 'users-index-key'),
  };
}

/** The blind index of an e-mail address (case and surrounding space do not matter). */
export function emailIndex(keys: UserKeys, email: string): Buffer {
  return blindIndex(keys.index, 'users', 'email_bidx', normalise.text(email));
}

const dataKeys = (keys: UserKeys) => ({
  current: { id: 1, key: keys.data },
  byId: (id: number) => (id === 1 ? keys.data : undefined),
});

function toRecord(keys: UserKeys, row: typeof users.$inferSelect): UserRecord {
  return {
    id: row.id,
    kind: row.kind as UserKind,
    email: decryptField(dataKeys(keys), place(row.id), row.emailEnc),
    passwordHash: row.passwordHash,
    locale: row.locale === 'en' ? 'en' : 'nl',
    status: row.status,
    createdAt: row.createdAt,
  };
}

/** Inserts a user; throws the unique violation when the e-mail address is taken. */
export async function insertUser(
  tx: Tx,
  keys: UserKeys,
  input: {
    id: string;
    kind: UserKind;
    email: string;
    passwordHash: string | null;
    locale: 'nl' | 'en';
    at: Date;
    /** `pending` until the person proves they read the address's mail. */
    status?: 'active' | 'pending';
  },
): Promise<void> {
  await tx.insert(users).values({
    id: input.id,
    kind: input.kind,
    emailEnc: encryptField(dataKeys(keys), place(input.id), input.email),
    emailBidx: emailIndex(keys, input.email),
    passwordHash: input.passwordHash,
    locale: input.locale,
    status: input.status ?? 'active',
    createdAt: input.at,
  });
}

/** Finds a user by e-mail address (exact after normalisation). */
export async function findUserByEmail(
  tx: Tx,
  keys: UserKeys,
  email: string,
): Promise<UserRecord | undefined> {
  const [row] = await tx
    .select()
    .from(users)
    .where(eq(users.emailBidx, emailIndex(keys, email)));
  if (!row) return undefined;
  const user = toRecord(keys, row);
  // The index is truncated: compare the decrypted address too.
  return normalise.text(user.email) === normalise.text(email) ? user : undefined;
}

/** Finds a user by id. */
export async function findUserById(tx: Tx, keys: UserKeys, id: string): Promise<UserRecord | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.id, id));
  return row ? toRecord(keys, row) : undefined;
}

/** Replaces a user's password hash (after a rehash or a change). */
export async function updatePasswordHash(tx: Tx, id: string, passwordHash: string): Promise<void> {
  await tx.update(users).set({ passwordHash }).where(eq(users.id, id));
}

/** Marks a pending person active (they proved they read the address's mail); other states stay. */
export async function activateUser(tx: Tx, id: string): Promise<void> {
  await tx
    .update(users)
    .set({ status: 'active' })
    .where(and(eq(users.id, id), eq(users.status, 'pending')));
}
