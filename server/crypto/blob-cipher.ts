/**
 * File encryption (invariant 2), a segmented AES-256-GCM stream in the shape of STREAM (Hoang et
 * al.) and Tink's AES-GCM-HKDF streaming, composed from node:crypto only. Layout:
 *
 *   header = version (1) ‖ key id (uint32 BE) ‖ salt (32) ‖ nonce prefix (7)
 *   body   = segment 0 ‖ … ‖ segment n, each = ciphertext (64 KiB, the last 0–64 KiB) ‖ tag (16)
 *
 * Each blob gets its own key, HKDF-SHA256(tenant data key, salt, tenant ‖ blob key): with one data
 * key per tenant and millions of blobs, a random 56-bit prefix alone would make a nonce collision
 * (fatal for GCM) far likelier than NIST's 2^-32; a fresh 256-bit salt makes it negligible and the
 * segment counter keeps nonces unique inside a blob. Segment i uses nonce prefix ‖ i (uint32 BE) ‖
 * final flag, and its AAD binds header ‖ tenant ‖ blob key ‖ i ‖ final flag, so a truncated,
 * extended, reordered, edited or moved blob fails with DecryptError instead of being misread.
 * Streaming decryption releases a segment only after its tag verifies, but earlier segments have
 * then already been released: a consumer must treat a stream error as "the whole blob is bad".
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DecryptError, KEY_BYTES, TAG_BYTES } from './aead.ts';
import type { DataKeys } from './envelope.ts';

const VERSION = 1;
const SALT_BYTES = 32;
const PREFIX_BYTES = 7;
/** Bytes of the blob header. */
export const BLOB_HEADER_BYTES = 1 + 4 + SALT_BYTES + PREFIX_BYTES;
/** Plaintext bytes per segment; a whole segment is the unit that is held in memory. */
export const SEGMENT_BYTES = 64 * 1024;
const SEALED_SEGMENT_BYTES = SEGMENT_BYTES + TAG_BYTES;
/** The 32-bit counter caps a blob at 2^32 segments (256 TiB). */
const MAX_SEGMENTS = 2 ** 32;

/** Where a blob lives; both parts are bound into every segment. */
export interface BlobPlace {
  tenantId: string;
  key: string;
}

/** The key and header a blob's segments are sealed or opened with. */
interface Session {
  header: Buffer;
  key: Buffer;
  prefix: Buffer;
  place: Buffer;
}

function placeBytes(p: BlobPlace): Buffer {
  return Buffer.from(`\0${p.tenantId}\0${p.key}`, 'utf8');
}

function blobKey(dataKey: Buffer, salt: Buffer, place: Buffer): Buffer {
  const info = Buffer.concat([Buffer.from('kluis-blob/v1', 'utf8'), place]);
  return Buffer.from(hkdfSync('sha256', dataKey, salt, info, KEY_BYTES));
}

function newSession(keys: DataKeys, place: BlobPlace): Session {
  const header = Buffer.alloc(BLOB_HEADER_BYTES);
  header.writeUInt8(VERSION, 0);
  header.writeUInt32BE(keys.current.id, 1);
  randomBytes(SALT_BYTES + PREFIX_BYTES).copy(header, 5);
  const placeBuf = placeBytes(place);
  const salt = header.subarray(5, 5 + SALT_BYTES);
  return {
    header,
    key: blobKey(keys.current.key, salt, placeBuf),
    prefix: header.subarray(5 + SALT_BYTES),
    place: placeBuf,
  };
}

function readSession(keys: DataKeys, place: BlobPlace, header: Buffer): Session {
  if (header.length < BLOB_HEADER_BYTES || header.readUInt8(0) !== VERSION) throw new DecryptError();
  const dataKey = keys.byId(header.readUInt32BE(1));
  if (!dataKey) throw new DecryptError();
  const placeBuf = placeBytes(place);
  const salt = header.subarray(5, 5 + SALT_BYTES);
  return {
    header: Buffer.from(header.subarray(0, BLOB_HEADER_BYTES)),
    key: blobKey(dataKey, salt, placeBuf),
    prefix: Buffer.from(header.subarray(5 + SALT_BYTES, BLOB_HEADER_BYTES)),
    place: placeBuf,
  };
}

function nonceAndAad(s: Session, index: number, isFinal: boolean): { nonce: Buffer; aad: Buffer } {
  if (index >= MAX_SEGMENTS) throw new RangeError('blob exceeds 2^32 segments');
  const tail = Buffer.alloc(5);
  tail.writeUInt32BE(index, 0);
  tail.writeUInt8(isFinal ? 1 : 0, 4);
  return { nonce: Buffer.concat([s.prefix, tail]), aad: Buffer.concat([s.header, s.place, tail]) };
}

function sealSegment(s: Session, index: number, isFinal: boolean, plain: Buffer): Buffer {
  const { nonce, aad } = nonceAndAad(s, index, isFinal);
  const cipher = createCipheriv('aes-256-gcm', s.key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function openSegment(s: Session, index: number, isFinal: boolean, sealed: Buffer): Buffer {
  if (sealed.length < TAG_BYTES) throw new DecryptError();
  const { nonce, aad } = nonceAndAad(s, index, isFinal);
  try {
    const decipher = createDecipheriv('aes-256-gcm', s.key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptError();
  }
}

/** Encrypts a whole blob held in memory; for large blobs use createBlobEncryptStream. */
export function encryptBlob(keys: DataKeys, place: BlobPlace, plaintext: Buffer): Buffer {
  const s = newSession(keys, place);
  const parts: Buffer[] = [s.header];
  // At least one segment, so that an empty blob still carries a final, authenticated segment.
  const count = Math.max(1, Math.ceil(plaintext.length / SEGMENT_BYTES));
  for (let i = 0; i < count; i++) {
    const chunk = plaintext.subarray(i * SEGMENT_BYTES, (i + 1) * SEGMENT_BYTES);
    parts.push(sealSegment(s, i, i === count - 1, chunk));
  }
  return Buffer.concat(parts);
}

/** Decrypts a whole blob; throws DecryptError if it was truncated, altered, moved or its key is gone. */
export function decryptBlob(keys: DataKeys, place: BlobPlace, sealed: Buffer): Buffer {
  const s = readSession(keys, place, sealed);
  const body = sealed.subarray(BLOB_HEADER_BYTES);
  const count = Math.max(1, Math.ceil(body.length / SEALED_SEGMENT_BYTES));
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = body.subarray(i * SEALED_SEGMENT_BYTES, (i + 1) * SEALED_SEGMENT_BYTES);
    parts.push(openSegment(s, i, i === count - 1, chunk));
  }
  return Buffer.concat(parts);
}

/** Bytes waiting for a whole segment, kept as a list so that appending never copies. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Removes and returns the first `n` bytes (n ≤ length). */
  take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const used = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(used);
    }
    this.length -= n;
    return out;
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('blob streams carry bytes');
}

/**
 * A Transform that encrypts a stream of any length, holding at most one segment plus one chunk.
 * A segment is sealed as non-final only once a byte after it has arrived, because only the end of
 * the input tells which segment is last.
 */
export function createBlobEncryptStream(keys: DataKeys, place: BlobPlace): Transform {
  const s = newSession(keys, place);
  const queue = new ByteQueue();
  let index = 0;
  return new Transform({
    construct(done) {
      this.push(s.header);
      done();
    },
    transform(chunk: unknown, _enc, done: TransformCallback) {
      try {
        queue.push(toBuffer(chunk));
        while (queue.length > SEGMENT_BYTES)
          this.push(sealSegment(s, index++, false, queue.take(SEGMENT_BYTES)));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        done(null, sealSegment(s, index, true, queue.take(queue.length)));
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** A Transform that decrypts a blob stream segment by segment; errors with DecryptError on any tampering. */
export function createBlobDecryptStream(keys: DataKeys, place: BlobPlace): Transform {
  const queue = new ByteQueue();
  let session: Session | undefined;
  let index = 0;
  return new Transform({
    transform(chunk: unknown, _enc, done: TransformCallback) {
      try {
        queue.push(toBuffer(chunk));
        if (!session) {
          if (queue.length < BLOB_HEADER_BYTES) return done();
          session = readSession(keys, place, queue.take(BLOB_HEADER_BYTES));
        }
        // Strictly more than one sealed segment: the one in front is then known not to be the last.
        while (queue.length > SEALED_SEGMENT_BYTES) {
          this.push(openSegment(session, index++, false, queue.take(SEALED_SEGMENT_BYTES)));
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!session) throw new DecryptError();
        done(null, openSegment(session, index, true, queue.take(queue.length)));
      } catch (err) {
        done(err as Error);
      }
    },
  });
}
