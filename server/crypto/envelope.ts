/**
 * Field envelopes (invariant 2). Layout: version (1 byte) ‖ key id (uint32 BE) ‖ nonce ‖
 * ciphertext ‖ tag. The associated data binds the header, tenant, table, column and row id, so a
 * value copied to another row, column or tenant fails to decrypt instead of being misread.
 */
import { DecryptError, open, seal } from './aead.ts';

const VERSION = 1;
const HEADER_BYTES = 5;

/** Where a field lives; all of it is bound into the ciphertext. */
export interface FieldPlace {
  tenantId: string;
  table: string;
  column: string;
  rowId: string;
}

/** The key material a tenant's envelopes use. */
export interface DataKeys {
  /** The key new envelopes are written with. */
  readonly current: { id: number; key: Buffer };
  /** Finds an older or current key by id, for reading. */
  byId(id: number): Buffer | undefined;
}

function aad(header: Buffer, p: FieldPlace): Buffer {
  // header ‖ UTF-8 of the place, written into one buffer (a list page builds a thousand of these).
  const place = `\0${p.tenantId}\0${p.table}\0${p.column}\0${p.rowId}`;
  const out = Buffer.allocUnsafe(header.length + Buffer.byteLength(place, 'utf8'));
  header.copy(out, 0);
  out.write(place, header.length, 'utf8');
  return out;
}

/** Encrypts a field value for its place. */
export function encryptField(keys: DataKeys, place: FieldPlace, plaintext: string): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(VERSION, 0);
  header.writeUInt32BE(keys.current.id, 1);
  return Buffer.concat([header, seal(keys.current.key, Buffer.from(plaintext, 'utf8'), aad(header, place))]);
}

/** Decrypts a field envelope; throws DecryptError if it was moved, altered or its key is gone. */
export function decryptField(keys: DataKeys, place: FieldPlace, envelope: Buffer | Uint8Array): string {
  const buf = Buffer.isBuffer(envelope) ? envelope : Buffer.from(envelope);
  if (buf.length < HEADER_BYTES || buf.readUInt8(0) !== VERSION) throw new DecryptError();
  const key = keys.byId(buf.readUInt32BE(1));
  if (!key) throw new DecryptError();
  const header = buf.subarray(0, HEADER_BYTES);
  return open(key, buf.subarray(HEADER_BYTES), aad(header, place)).toString('utf8');
}

/** Encrypts when a value is present; null stays null. */
export function encryptOptional(
  keys: DataKeys,
  place: FieldPlace,
  value: string | null | undefined,
): Buffer | null {
  return value === null || value === undefined ? null : encryptField(keys, place, value);
}

/** Decrypts when an envelope is present; null stays null. */
export function decryptOptional(
  keys: DataKeys,
  place: FieldPlace,
  envelope: Buffer | Uint8Array | null,
): string | null {
  return envelope === null ? null : decryptField(keys, place, envelope);
}
