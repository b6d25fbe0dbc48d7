/**
 * The embedded blob store: `<dir>/<tenantId>/<sha256(key) hex>`, one file per blob, mode 0600.
 * File names are hashes so a directory listing reveals nothing about what is stored. Because
 * list() must work without the tenant's keys, each file starts with a short plaintext preamble
 * naming its key (keys carry only ids, never personal data), followed by the encrypted blob:
 *
 *   "KLB1" ‖ key length (uint16 BE) ‖ key (UTF-8) ‖ blob cipher output
 *
 * The key is also bound into every segment's AAD, so editing the preamble or renaming a file
 * makes it fail to decrypt. Writes go to a temporary file that is fsynced and renamed over the
 * target, then the directory is fsynced: a crash leaves the old blob or the new one, never half.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DecryptError } from '../crypto/aead.ts';
import {
  createBlobDecryptStream,
  createBlobEncryptStream,
  decryptBlob,
  encryptBlob,
} from '../crypto/blob-cipher.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import {
  type BlobStore,
  blobNotFound,
  checkBlobKey,
  checkBlobPrefix,
  checkTenantId,
  MAX_KEY_BYTES,
} from './blob-store.ts';

const MAGIC = Buffer.from('KLB1', 'ascii');
const FIXED_PREAMBLE = MAGIC.length + 2;
const NAME = /^[0-9a-f]{64}$/;

/** The file name of a key: opaque, fixed length, and safe on every file system. */
function fileName(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function preamble(key: string): Buffer {
  const k = Buffer.from(key, 'utf8');
  const head = Buffer.alloc(FIXED_PREAMBLE);
  MAGIC.copy(head);
  head.writeUInt16BE(k.length, MAGIC.length);
  return Buffer.concat([head, k]);
}

/** Reads the key a file claims to hold and where its ciphertext starts; undefined for foreign files. */
function parsePreamble(buf: Buffer): { key: string; start: number } | undefined {
  if (buf.length < FIXED_PREAMBLE || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = buf.readUInt16BE(MAGIC.length);
  if (length > MAX_KEY_BYTES || buf.length < FIXED_PREAMBLE + length) return undefined;
  return {
    key: buf.toString('utf8', FIXED_PREAMBLE, FIXED_PREAMBLE + length),
    start: FIXED_PREAMBLE + length,
  };
}

async function readPreamble(fh: FileHandle): Promise<{ key: string; start: number } | undefined> {
  const buf = Buffer.alloc(FIXED_PREAMBLE + MAX_KEY_BYTES);
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  return parsePreamble(buf.subarray(0, bytesRead));
}

/** FileHandle.write may write less than asked; loop until the whole buffer is on its way to disk. */
async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let at = 0;
  while (at < buf.length) at += (await fh.write(buf, at)).bytesWritten;
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** fsync on a directory makes a rename or unlink durable; some platforms refuse it, which is harmless. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open directories; its rename is already durable enough for an embedded default.
  } finally {
    await fh?.close();
  }
}

/** Encrypted blobs in a local directory, the default when no bucket is configured. */
export class LocalBlobStore implements BlobStore {
  /** The root directory, normally `<dataDir>/blobs`. */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  private pathOf(tenantId: string, key: string): string {
    checkTenantId(tenantId);
    checkBlobKey(key);
    return path.join(this.dir, tenantId, fileName(key));
  }

  /** Writes atomically: temp file, fsync, rename, fsync of the directory. */
  async put(keys: TenantKeys, key: string, data: Buffer | Readable): Promise<void> {
    const target = this.pathOf(keys.tenantId, key);
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${target}.${randomBytes(8).toString('hex')}.tmp`;
    const fh = await open(temp, 'wx', 0o600);
    const place = { tenantId: keys.tenantId, key };
    try {
      if (Buffer.isBuffer(data)) {
        await fh.writeFile(Buffer.concat([preamble(key), encryptBlob(keys.data, place, data)]));
      } else {
        await writeAll(fh, preamble(key));
        // A sink function, not fh.createWriteStream: the handle must stay open for fsync, and a
        // non-closing write stream leaves FileHandle.close() waiting forever (Node 24).
        await pipeline(
          data,
          createBlobEncryptStream(keys.data, place),
          async (sealed: AsyncIterable<Buffer>) => {
            for await (const chunk of sealed) await writeAll(fh, chunk);
          },
        );
      }
      await fh.sync();
      await fh.close();
    } catch (err) {
      await fh.close().catch(() => {});
      await rm(temp, { force: true });
      throw err;
    }
    await rename(temp, target);
    await syncDir(dir);
  }

  /** Reads a whole blob. */
  async get(keys: TenantKeys, key: string): Promise<Buffer> {
    const file = this.pathOf(keys.tenantId, key);
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      if (isMissing(err)) throw blobNotFound();
      throw err;
    }
    const head = parsePreamble(buf);
    if (head?.key !== key) throw new DecryptError();
    return decryptBlob(keys.data, { tenantId: keys.tenantId, key }, buf.subarray(head.start));
  }

  /** Streams a blob from disk through the decryptor, one segment in memory at a time. */
  stream(keys: TenantKeys, key: string): Readable {
    const out = new PassThrough();
    const file = this.pathOf(keys.tenantId, key);
    const run = async () => {
      let fh: FileHandle;
      try {
        fh = await open(file, 'r');
      } catch (err) {
        throw isMissing(err) ? blobNotFound() : err;
      }
      let start: number;
      try {
        const head = await readPreamble(fh);
        if (head?.key !== key) throw new DecryptError();
        start = head.start;
      } catch (err) {
        await fh.close();
        throw err;
      }
      // The read stream owns the handle from here on and closes it, also when `out` is destroyed.
      await pipeline(
        fh.createReadStream({ start }),
        createBlobDecryptStream(keys.data, { tenantId: keys.tenantId, key }),
        out,
      );
    };
    run().catch((err: Error) => out.destroy(err));
    return out;
  }

  /** Unlinks the file; a missing one is fine. */
  async delete(tenantId: string, key: string): Promise<void> {
    const file = this.pathOf(tenantId, key);
    await rm(file, { force: true });
    await syncDir(path.dirname(file));
  }

  /** Directories under the root that are named like tenant ids. */
  async listTenants(): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    return entries
      .filter((e) => e.isDirectory() && /^[A-Za-z0-9-]{1,64}$/.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  /** The file's bytes after the preamble, checked to name this key. */
  async getSealed(tenantId: string, key: string): Promise<Buffer> {
    let buf: Buffer;
    try {
      buf = await readFile(this.pathOf(tenantId, key));
    } catch (err) {
      if (isMissing(err)) throw blobNotFound();
      throw err;
    }
    const head = parsePreamble(buf);
    if (head?.key !== key) throw new DecryptError();
    return buf.subarray(head.start);
  }

  /** Writes sealed bytes atomically, as put() does. */
  async putSealed(tenantId: string, key: string, sealed: Buffer): Promise<void> {
    const target = this.pathOf(tenantId, key);
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${target}.${randomBytes(8).toString('hex')}.tmp`;
    const fh = await open(temp, 'wx', 0o600);
    try {
      await fh.writeFile(Buffer.concat([preamble(key), sealed]));
      await fh.sync();
      await fh.close();
    } catch (err) {
      await fh.close().catch(() => {});
      await rm(temp, { force: true });
      throw err;
    }
    await rename(temp, target);
    await syncDir(dir);
  }

  /** Reads each file's preamble; only files whose name matches their key are listed. */
  async list(tenantId: string, prefix: string): Promise<string[]> {
    checkTenantId(tenantId);
    checkBlobPrefix(prefix);
    const dir = path.join(this.dir, tenantId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    const keys = await Promise.all(
      names
        .filter((n) => NAME.test(n))
        .map(async (name) => {
          let fh: FileHandle | undefined;
          try {
            fh = await open(path.join(dir, name), 'r');
            const head = await readPreamble(fh);
            return head && fileName(head.key) === name ? head.key : undefined;
          } catch (err) {
            if (isMissing(err)) return undefined; // deleted while listing
            throw err;
          } finally {
            await fh?.close();
          }
        }),
    );
    return keys.flatMap((k) => (k?.startsWith(prefix) ? [k] : [])).sort();
  }
}
