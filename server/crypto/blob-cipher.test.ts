/**
 * File encryption (invariant 2): blobs round-trip at every segment boundary, whole or streamed in
 * any chunking, and any truncation, reordering, bit flip or move to another place fails loudly.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DecryptError, TAG_BYTES } from './aead.ts';
import {
  BLOB_HEADER_BYTES,
  type BlobPlace,
  createBlobDecryptStream,
  createBlobEncryptStream,
  decryptBlob,
  encryptBlob,
  SEGMENT_BYTES,
} from './blob-cipher.ts';
import type { DataKeys } from './envelope.ts';

function dataKeys(...keys: Buffer[]): DataKeys {
  const current = keys.length;
  return { current: { id: current, key: keys[current - 1]! }, byId: (id) => keys[id - 1] };
}

const keys = dataKeys(randomBytes(32));
const place: BlobPlace = { tenantId: '0194f3c2-0000-7000-8000-000000000001', key: 'invoices/abc.pdf' };
const SEALED = SEGMENT_BYTES + TAG_BYTES;

async function encryptStream(k: DataKeys, p: BlobPlace, chunks: Buffer[]): Promise<Buffer> {
  return buffer(Readable.from(chunks).pipe(createBlobEncryptStream(k, p)));
}

async function decryptStream(k: DataKeys, p: BlobPlace, chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), createBlobDecryptStream(k, p), async (source) => {
    for await (const c of source) out.push(c as Buffer);
  });
  return Buffer.concat(out);
}

/** Cuts `buf` into pieces at the given relative positions, to exercise every chunk boundary. */
function cut(buf: Buffer, sizes: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= buf.length) break;
    parts.push(buf.subarray(at, at + size));
    at += size;
  }
  if (at < buf.length) parts.push(buf.subarray(at));
  return parts;
}

const SIZES = [0, 1, SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 3 * SEGMENT_BYTES + 17];

describe('blob cipher round trip', () => {
  for (const size of SIZES) {
    test(`${size} bytes, whole and streamed, in both combinations`, async () => {
      const plain = randomBytes(size);
      const sealed = encryptBlob(keys, place, plain);
      const segments = Math.max(1, Math.ceil(size / SEGMENT_BYTES));
      assert.equal(sealed.length, BLOB_HEADER_BYTES + size + segments * TAG_BYTES);
      assert.deepEqual(decryptBlob(keys, place, sealed), plain);
      assert.deepEqual(await decryptStream(keys, place, [sealed]), plain);
      const streamed = await encryptStream(keys, place, cut(plain, [1000, 70_000, 5]));
      assert.equal(streamed.length, sealed.length, 'stream and buffer use the same layout');
      assert.deepEqual(decryptBlob(keys, place, streamed), plain);
    });
  }

  test('any chunking of the input and of the ciphertext gives the plaintext back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * SEGMENT_BYTES }),
        fc.array(fc.integer({ min: 1, max: 2 * SEGMENT_BYTES }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 2 * SEGMENT_BYTES }), { maxLength: 8 }),
        async (size, inCuts, outCuts) => {
          const plain = randomBytes(size);
          const sealed = await encryptStream(keys, place, cut(plain, inCuts));
          assert.deepEqual(await decryptStream(keys, place, cut(sealed, outCuts)), plain);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('blobs written under an older data key stay readable after rotation', () => {
    const k1 = randomBytes(32);
    const sealed = encryptBlob(dataKeys(k1), place, Buffer.from('old'));
    const rotated = dataKeys(k1, randomBytes(32));
    assert.equal(decryptBlob(rotated, place, sealed).toString(), 'old');
    assert.equal(
      encryptBlob(rotated, place, Buffer.alloc(0)).readUInt32BE(1),
      2,
      'new blobs use the current key',
    );
  });

  test('the same plaintext encrypts differently every time', () => {
    const plain = Buffer.from('same');
    assert.notDeepEqual(encryptBlob(keys, place, plain), encryptBlob(keys, place, plain));
  });
});

describe('blob cipher refuses tampering', () => {
  const plain = randomBytes(3 * SEGMENT_BYTES + 100);
  const sealed = encryptBlob(keys, place, plain);
  const segment = (i: number) =>
    sealed.subarray(BLOB_HEADER_BYTES + i * SEALED, BLOB_HEADER_BYTES + (i + 1) * SEALED);

  async function assertRefused(k: DataKeys, p: BlobPlace, bad: Buffer, what: string): Promise<void> {
    assert.throws(() => decryptBlob(k, p, bad), DecryptError, `${what} (whole)`);
    await assert.rejects(
      decryptStream(k, p, cut(bad, [777, SEGMENT_BYTES])),
      DecryptError,
      `${what} (stream)`,
    );
  }

  test('truncation: at a segment boundary, mid-segment, to the header, to nothing', async () => {
    const header = sealed.subarray(0, BLOB_HEADER_BYTES);
    await assertRefused(
      keys,
      place,
      sealed.subarray(0, BLOB_HEADER_BYTES + 3 * SEALED),
      'last segment dropped',
    );
    await assertRefused(keys, place, sealed.subarray(0, BLOB_HEADER_BYTES + SEALED), 'cut after segment 0');
    await assertRefused(keys, place, sealed.subarray(0, sealed.length - 1), 'one byte short');
    await assertRefused(keys, place, header, 'header only');
    await assertRefused(keys, place, header.subarray(0, 10), 'partial header');
    await assertRefused(keys, place, Buffer.alloc(0), 'empty');
  });

  test('extension: a segment repeated or junk appended', async () => {
    await assertRefused(
      keys,
      place,
      Buffer.concat([
        sealed.subarray(0, BLOB_HEADER_BYTES + SEALED),
        segment(0),
        segment(1),
        segment(2),
        segment(3),
      ]),
      'segment repeated',
    );
    await assertRefused(keys, place, Buffer.concat([sealed, Buffer.from([0])]), 'byte appended');
  });

  test('reordering segments', async () => {
    const header = sealed.subarray(0, BLOB_HEADER_BYTES);
    await assertRefused(
      keys,
      place,
      Buffer.concat([header, segment(1), segment(0), segment(2), segment(3)]),
      'swapped',
    );
  });

  test('a flipped bit anywhere: version, key id, salt, nonce prefix, ciphertext, tag', async () => {
    const spots = [0, 4, 5, 36, 37, 43, BLOB_HEADER_BYTES, BLOB_HEADER_BYTES + SEALED - 1, sealed.length - 1];
    for (const at of spots) {
      const bad = Buffer.from(sealed);
      bad[at] = bad[at]! ^ 0x01;
      await assertRefused(keys, place, bad, `bit flipped at ${at}`);
    }
  });

  test('moved to another blob key or tenant, or opened with another tenant key', async () => {
    await assertRefused(keys, { ...place, key: 'invoices/abd.pdf' }, sealed, 'other blob key');
    await assertRefused(
      keys,
      { ...place, tenantId: '0194f3c2-0000-7000-8000-000000000002' },
      sealed,
      'other tenant',
    );
    await assertRefused(dataKeys(randomBytes(32)), place, sealed, 'other data key');
  });

  test('a shredded key (unknown key id) cannot open anything', async () => {
    const gone: DataKeys = { current: keys.current, byId: () => undefined };
    await assertRefused(gone, place, sealed, 'key gone');
  });
});
