/**
 * Blind indexes for exact search over encrypted fields: HMAC-SHA256 under the tenant's index key,
 * separated per table and column, truncated to 16 bytes. Truncation keeps the index small and
 * lets a few unrelated values share a bucket, which the repository filters out after decryption.
 * See docs/adr/0003-encryption-envelope-and-shredding.md.
 */
import { createHmac } from 'node:crypto';

const INDEX_BYTES = 16;

/** The normalisations search uses, so "NL91 ABNA…" finds "nl91abna…". */
export const normalise = {
  /** Lower-cased, trimmed, inner whitespace collapsed (names, e-mail addresses). */
  text: (v: string) => v.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' '),
  /** Upper-cased with every space and separator removed (IBAN, VAT and KvK numbers). */
  code: (v: string) =>
    v
      .normalize('NFKC')
      .toUpperCase()
      .replace(/[\s.\-_/]/g, ''),
} as const;

/** Computes the blind index of an already normalised value for one table column. */
export function blindIndex(indexKey: Buffer, table: string, column: string, normalised: string): Buffer {
  return createHmac('sha256', indexKey)
    .update(`${table}.${column}\0${normalised}`, 'utf8')
    .digest()
    .subarray(0, INDEX_BYTES);
}
