/**
 * SQL for idempotency keys. The key and the request fingerprint are stored only as HMACs under
 * the business's blind-index key, the response only as an envelope under its data key: a stored
 * response is a copy of what the call returned, personal data included.
 */
import { and, eq, lte } from 'drizzle-orm';
import { blindIndex } from '../../crypto/blind-index.ts';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { idempotencyKeys } from './idempotency.tables.ts';

const TABLE = 'idempotency_keys';

/** A stored response, replayed as it was sent. */
export interface StoredResponse {
  statusCode: number;
  contentType: string | null;
  location: string | null;
  body: string;
}

/** The handle of a reserved key: its row id (bound into the envelope) and its primary key. */
export interface Reservation {
  id: string;
  keyHash: Buffer;
}

/** What a key's row says when a request arrives. */
export type KeyState =
  | { kind: 'reserved'; reservation: Reservation }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' }
  | { kind: 'completed'; response: StoredResponse };

/** Removes the business's keys that expired by `now`, stored responses included; returns how many. */
export async function purgeExpiredKeys(tx: Tx, keys: TenantKeys, now: Date): Promise<number> {
  const gone = await tx
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, keys.tenantId), lte(idempotencyKeys.expiresAt, now)))
    .returning({ id: idempotencyKeys.id });
  return gone.length;
}

/** The keyed hashes of a key and a request fingerprint. */
export function hashesOf(keys: TenantKeys, key: string, fingerprint: string) {
  return {
    keyHash: blindIndex(keys.index, TABLE, 'key_hash', key),
    fingerprint: blindIndex(keys.index, TABLE, 'fingerprint', fingerprint),
  };
}

/**
 * Reserves `key` for a request, or says why not. Expired keys of the business are removed first,
 * so an expired key starts afresh. The primary key orders concurrent reservations: the second
 * waits for the first's commit, then finds its row.
 */
export async function reserveKey(
  tx: Tx,
  keys: TenantKeys,
  input: { id: string; key: string; fingerprint: string; now: Date; expiresAt: Date },
): Promise<KeyState> {
  const { keyHash, fingerprint } = hashesOf(keys, input.key, input.fingerprint);
  await purgeExpiredKeys(tx, keys, input.now);
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({
      tenantId: keys.tenantId,
      keyHash,
      id: input.id,
      fingerprint,
      state: 'in_progress',
      createdAt: input.now,
      expiresAt: input.expiresAt,
    })
    .onConflictDoNothing()
    .returning({ id: idempotencyKeys.id });
  if (inserted.length === 1) return { kind: 'reserved', reservation: { id: input.id, keyHash } };
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, keys.tenantId), eq(idempotencyKeys.keyHash, keyHash)));
  if (!row) return { kind: 'in_progress' }; // removed between our insert and select: a retry decides
  if (!row.fingerprint.equals(fingerprint)) return { kind: 'mismatch' };
  if (row.state !== 'completed' || !row.responseEnc || row.statusCode === null)
    return { kind: 'in_progress' };
  const plain = decryptField(
    keys.data,
    { tenantId: keys.tenantId, table: TABLE, column: 'response_enc', rowId: row.id },
    row.responseEnc,
  );
  return { kind: 'completed', response: JSON.parse(plain) as StoredResponse };
}

/** Stores the response of the request that holds the reservation. */
export async function completeKey(
  tx: Tx,
  keys: TenantKeys,
  { id, keyHash }: Reservation,
  response: StoredResponse,
): Promise<void> {
  const responseEnc = encryptField(
    keys.data,
    { tenantId: keys.tenantId, table: TABLE, column: 'response_enc', rowId: id },
    JSON.stringify(response),
  );
  await tx
    .update(idempotencyKeys)
    .set({ state: 'completed', statusCode: response.statusCode, responseEnc })
    .where(thisReservation(keys, { id, keyHash }));
}

function thisReservation(keys: TenantKeys, r: Reservation) {
  return and(
    eq(idempotencyKeys.tenantId, keys.tenantId),
    eq(idempotencyKeys.keyHash, r.keyHash),
    eq(idempotencyKeys.id, r.id),
  );
}

/** Releases the reservation: the request failed and changed nothing, so the key may be used again. */
export async function releaseKey(tx: Tx, keys: TenantKeys, reservation: Reservation): Promise<void> {
  await tx.delete(idempotencyKeys).where(thisReservation(keys, reservation));
}
