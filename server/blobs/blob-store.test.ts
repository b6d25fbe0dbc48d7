/**
 * One contract for every blob store (local directory and S3 against the fake server): round
 * trips whole and streamed, not-found, listing, deletion, tenant separation, tamper detection,
 * and the raw check of invariant 2 — the bytes at rest never contain the plaintext.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { DecryptError } from '../crypto/aead.ts';
import { SEGMENT_BYTES } from '../crypto/blob-cipher.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { newId } from '../ids.ts';
import { type FakeS3, startFakeS3 } from '../test/fake-s3.ts';
import { type BlobStore, createBlobStore, isBlobNotFound, LocalBlobStore, S3BlobStore } from './index.ts';

/** Keys as the keyring would return them; stores never touch the database. */
function tenantKeys(): TenantKeys {
  const data = randomBytes(32);
  return {
    tenantId: newId(),
    data: { current: { id: 1, key: data }, byId: (id) => (id === 1 ? data : undefined) },
    index: randomBytes(32),
    audit: randomBytes(32),
  };
}

const MARKER = 'Jansen-Vermeulen, IBAN NL91ABNA0417164300';
/** Plaintext that repeats the marker across several segments and chunk boundaries. */
function bigPlaintext(): Buffer {
  const line = Buffer.from(`${MARKER}\n`);
  return Buffer.concat(Array.from({ length: Math.ceil((3 * SEGMENT_BYTES + 99) / line.length) }, () => line));
}

function chunked(buf: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < buf.length; at += size) yield buf.subarray(at, at + size);
    })(),
  );
}

interface Harness {
  store: BlobStore;
  /** Every byte the backend holds, concatenated, with a label per object. */
  raw: () => Promise<Buffer>;
  /** Copies the stored object of (from, key) to (to, key) at the backend level, as an attacker could. */
  copy: (from: string, to: string, key: string) => Promise<void>;
  /** Flips one byte near the end of the stored object. */
  corrupt: (tenantId: string, key: string) => Promise<void>;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function contract(name: string, setup: () => Promise<Harness & { teardown: () => Promise<void> }>) {
  describe(name, () => {
    let h: Harness & { teardown: () => Promise<void> };
    before(async () => {
      h = await setup();
    });
    after(() => h.teardown());

    test('put a buffer, get it back; overwrite replaces', async () => {
      const k = tenantKeys();
      await h.store.put(k, 'logos/logo.png', Buffer.from('first'));
      assert.equal((await h.store.get(k, 'logos/logo.png')).toString(), 'first');
      await h.store.put(k, 'logos/logo.png', Buffer.from('second'));
      assert.equal((await h.store.get(k, 'logos/logo.png')).toString(), 'second');
      await h.store.put(k, 'empty', Buffer.alloc(0));
      assert.equal((await h.store.get(k, 'empty')).length, 0);
    });

    test('put a stream, read it whole and as a stream', async () => {
      const k = tenantKeys();
      const plain = bigPlaintext();
      await h.store.put(k, 'exports/e1.zip', chunked(plain, 10_000));
      assert.deepEqual(await h.store.get(k, 'exports/e1.zip'), plain);
      assert.deepEqual(await buffer(h.store.stream(k, 'exports/e1.zip')), plain);
      const small = Buffer.from('tiny export');
      await h.store.put(k, 'exports/e2.zip', Readable.from([small]));
      assert.deepEqual(await buffer(h.store.stream(k, 'exports/e2.zip')), small);
    });

    test('a failing source stream stores nothing', async () => {
      const k = tenantKeys();
      const failing = Readable.from(
        (async function* () {
          yield bigPlaintext();
          throw new Error('source broke');
        })(),
      );
      await assert.rejects(h.store.put(k, 'exports/broken.zip', failing), /source broke/);
      assert.deepEqual(await h.store.list(k.tenantId, ''), []);
    });

    test('a missing blob is blob_not_found, whole and streamed', async () => {
      const k = tenantKeys();
      await assert.rejects(h.store.get(k, 'nope'), isBlobNotFound);
      await assert.rejects(buffer(h.store.stream(k, 'nope')), isBlobNotFound);
    });

    test('list by prefix, sorted, only this tenant; delete', async () => {
      const a = tenantKeys();
      const b = tenantKeys();
      for (const key of ['outbox/2.eml', 'outbox/1.eml', 'invoices/1.pdf'])
        await h.store.put(a, key, Buffer.from(key));
      await h.store.put(b, 'outbox/9.eml', Buffer.from('b'));
      assert.deepEqual(await h.store.list(a.tenantId, 'outbox/'), ['outbox/1.eml', 'outbox/2.eml']);
      assert.deepEqual(await h.store.list(a.tenantId, ''), [
        'invoices/1.pdf',
        'outbox/1.eml',
        'outbox/2.eml',
      ]);
      await h.store.delete(a.tenantId, 'outbox/1.eml');
      await h.store.delete(a.tenantId, 'outbox/1.eml');
      assert.deepEqual(await h.store.list(a.tenantId, 'outbox/'), ['outbox/2.eml']);
      await assert.rejects(h.store.get(a, 'outbox/1.eml'), isBlobNotFound);
    });

    test("another tenant sees nothing, and a copied blob does not decrypt with the other tenant's keys", async () => {
      const a = tenantKeys();
      const b = tenantKeys();
      await h.store.put(a, 'invoices/x.pdf', Buffer.from(MARKER));
      await assert.rejects(h.store.get(b, 'invoices/x.pdf'), isBlobNotFound);
      await h.copy(a.tenantId, b.tenantId, 'invoices/x.pdf');
      await assert.rejects(h.store.get(b, 'invoices/x.pdf'), DecryptError);
      await assert.rejects(buffer(h.store.stream(b, 'invoices/x.pdf')), DecryptError);
    });

    test('a corrupted blob fails with DecryptError', async () => {
      const k = tenantKeys();
      await h.store.put(k, 'invoices/y.pdf', bigPlaintext());
      await h.corrupt(k.tenantId, 'invoices/y.pdf');
      await assert.rejects(h.store.get(k, 'invoices/y.pdf'), DecryptError);
      await assert.rejects(buffer(h.store.stream(k, 'invoices/y.pdf')), DecryptError);
    });

    test('invalid keys and tenant ids are refused before any I/O', async () => {
      const k = tenantKeys();
      for (const key of ['', '../x', 'a/../../x', '/abs', 'a//b', 'a\0b', 'a\\b', 'x'.repeat(901)]) {
        await assert.rejects(h.store.put(k, key, Buffer.from('x')), /invalid blob key/, JSON.stringify(key));
      }
      await assert.rejects(h.store.list('../etc', ''), /invalid tenant id/);
    });

    test('backups copy sealed bytes: getSealed/putSealed move a blob as ciphertext; listTenants names every space', async () => {
      const k = tenantKeys();
      await h.store.put(k, 'invoices/sealed.pdf', Buffer.from(MARKER));
      const sealed = await h.store.getSealed(k.tenantId, 'invoices/sealed.pdf');
      assert.equal(sealed.indexOf(MARKER), -1, 'still encrypted');
      await h.store.delete(k.tenantId, 'invoices/sealed.pdf');
      await assert.rejects(h.store.getSealed(k.tenantId, 'invoices/sealed.pdf'), { code: 'blob_not_found' });
      await h.store.putSealed(k.tenantId, 'invoices/sealed.pdf', sealed);
      assert.equal((await h.store.get(k, 'invoices/sealed.pdf')).toString(), MARKER);
      assert.ok((await h.store.listTenants()).includes(k.tenantId));
    });

    test('invariant 2: the stored bytes never contain the plaintext', async () => {
      const k = tenantKeys();
      await h.store.put(k, 'exports/raw.zip', chunked(bigPlaintext(), 4096));
      await h.store.put(k, 'invoices/raw.pdf', Buffer.from(MARKER));
      const raw = await h.raw();
      assert.ok(raw.length > 3 * SEGMENT_BYTES, 'the scan saw the stored blobs');
      assert.equal(raw.indexOf(MARKER), -1);
      assert.equal(raw.indexOf(Buffer.from(MARKER, 'utf16le')), -1);
    });
  });
}

contract('LocalBlobStore', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'kluis-blobs-'));
  const dir = path.join(root, 'blobs');
  const store = createBlobStore({ dataDir: root, s3: undefined });
  assert.ok(store instanceof LocalBlobStore);
  const fileOf = async (tenantId: string, key: string) => {
    const files = await filesUnder(path.join(dir, tenantId));
    for (const f of files) if ((await readFile(f)).includes(Buffer.from(key))) return f;
    throw new Error('no such file');
  };
  return {
    store,
    raw: async () => Buffer.concat(await Promise.all((await filesUnder(root)).map((f) => readFile(f)))),
    copy: async (from, to, key) => {
      const src = await fileOf(from, key);
      await cp(src, path.join(dir, to, path.basename(src)));
    },
    corrupt: async (tenantId, key) => {
      const f = await fileOf(tenantId, key);
      const buf = await readFile(f);
      buf[buf.length - 20] = buf[buf.length - 20]! ^ 0xff;
      await writeFile(f, buf);
    },
    teardown: () => rm(root, { recursive: true, force: true }),
  };
});

contract('S3BlobStore (fake S3 on 127.0.0.1)', async () => {
  const fake: FakeS3 = await startFakeS3();
  const store = new S3BlobStore(
    {
      endpoint: fake.url,
      region: 'eu-central-1',
      bucket: fake.bucket,
      accessKeyId: 'test',
      secretAccessKey: 'test',
      forcePathStyle: true,
    },
    { partBytes: 100_000 },
  );
  return {
    store,
    raw: async () => Buffer.concat([...fake.objects.values()]),
    copy: async (from, to, key) => {
      fake.objects.set(`${to}/${key}`, fake.objects.get(`${from}/${key}`)!);
    },
    corrupt: async (tenantId, key) => {
      const buf = fake.objects.get(`${tenantId}/${key}`)!;
      buf[buf.length - 20] = buf[buf.length - 20]! ^ 0xff;
    },
    teardown: async () => {
      assert.equal(fake.openUploads(), 0, 'failed uploads were aborted');
      assert.ok(
        fake.requests.some((r) => r.startsWith('POST CompleteMultipartUpload')),
        'multipart was used',
      );
      store.close();
      await fake.close();
    },
  };
});

describe('LocalBlobStore on disk', () => {
  test('file names are hashes: the directory listing does not reveal blob keys', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'kluis-blobs-'));
    try {
      const store = new LocalBlobStore(root);
      const k = tenantKeys();
      await store.put(k, 'invoices/2026-0042.pdf', Buffer.from('pdf'));
      const names = await readdir(path.join(root, k.tenantId));
      assert.equal(names.length, 1, 'no temporary file is left behind');
      assert.match(names[0]!, /^[0-9a-f]{64}$/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
