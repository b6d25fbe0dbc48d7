/**
 * Blob storage (invariant 2 for files): invoice PDFs, logos, exports and the mail outbox. Every
 * store encrypts with the blob cipher under the tenant's data key before a byte leaves the
 * process, so neither the data directory nor the bucket ever holds plaintext, and shredding a
 * tenant's keys makes its blobs unreadable wherever copies went.
 */
import type { Readable } from 'node:stream';
import { AppError, notFound } from '../../domain/errors.ts';
import type { TenantKeys } from '../crypto/keyring.ts';

/** A tenant's encrypted files, addressed by a key such as `invoices/<id>.pdf`. */
export interface BlobStore {
  /** Encrypts and stores `data` under `key`, replacing any blob there; a stream is never held whole. */
  put(keys: TenantKeys, key: string, data: Buffer | Readable): Promise<void>;
  /** Reads and decrypts a whole blob; throws blob_not_found, or DecryptError if it was tampered with. */
  get(keys: TenantKeys, key: string): Promise<Buffer>;
  /** Streams a blob's plaintext; errors with blob_not_found or DecryptError. Treat any error as "whole blob bad". */
  stream(keys: TenantKeys, key: string): Readable;
  /** Deletes a blob; deleting a missing blob is not an error. */
  delete(tenantId: string, key: string): Promise<void>;
  /** The keys of the tenant's blobs that start with `prefix`, sorted. */
  list(tenantId: string, prefix: string): Promise<string[]>;
  /** Every tenant id (or other space, such as the key vault) that holds blobs, sorted. For backups. */
  listTenants(): Promise<string[]>;
  /** The stored bytes of a blob as they are, still encrypted; for backups, which never decrypt. */
  getSealed(tenantId: string, key: string): Promise<Buffer>;
  /** Stores bytes from getSealed as they are; for restore. */
  putSealed(tenantId: string, key: string, sealed: Buffer): Promise<void>;
}

/** Longest key in UTF-8 bytes; S3 allows 1024 for the whole object key, which adds the tenant. */
export const MAX_KEY_BYTES = 900;

/** The error for a blob that does not exist (or belongs to another tenant: both look the same). */
export function blobNotFound(): AppError {
  return notFound('blob');
}

/**
 * Refuses keys that could escape the tenant's space or be ambiguous: empty, too long, control
 * characters (NUL separates the AAD fields), backslashes, absolute paths, and `.`/`..` segments.
 * Keys come from code, not from people, so a bad one is a bug and throws a plain Error.
 */
export function checkBlobKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  const bad =
    bytes === 0 ||
    bytes > MAX_KEY_BYTES ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    /[\u0000-\u001f\u007f\\]/.test(key) ||
    key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..');
  if (bad) throw new Error('invalid blob key');
}

/** Tenant ids become directory names and key prefixes, so only id characters are allowed. */
export function checkTenantId(tenantId: string): void {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(tenantId)) throw new Error('invalid tenant id');
}

/** A prefix for list(): like a key, but it may be empty or end in `/`. */
export function checkBlobPrefix(prefix: string): void {
  if (prefix === '') return;
  checkBlobKey(prefix.endsWith('/') ? `${prefix}x` : prefix);
}

/** True for the blob_not_found error. */
export function isBlobNotFound(err: unknown): boolean {
  return err instanceof AppError && err.code === 'blob_not_found';
}
