/**
 * The backup file (ADR 0050). A plaintext preamble names the backup and carries its random key
 * sealed under the master key; everything after it is one blob-cipher stream (segmented
 * AES-256-GCM, truncation and reordering detected) under that key, with the backup id bound in:
 *
 *   "KLUIS-BACKUP/1\n" ‖ header JSON ‖ "\n" ‖ encrypted frames
 *
 * Inside, entries follow each other, each `E ‖ name length (uint16) ‖ name`, then data chunks
 * `D ‖ length (uint32) ‖ bytes`, then `Z`. The last entry is `manifest.json`, with the SHA-256 and
 * size of every other entry, so a writer streams and a reader verifies everything before it trusts
 * anything. The frames are gzipped before encryption. Nothing is held whole in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { AppError } from '../../../domain/errors.ts';
import { createBlobDecryptStream, createBlobEncryptStream } from '../../crypto/blob-cipher.ts';
import type { DataKeys } from '../../crypto/envelope.ts';
import type { Keyring } from '../../crypto/keyring.ts';

const MAGIC = 'KLUIS-BACKUP/1\n';
const MAX_HEADER = 4096;
export const MANIFEST = 'manifest.json';

/** The plaintext header: enough to find the key, nothing about the data. */
export interface BackupHeader {
  id: string;
  createdAt: string;
  masterKeyId: string;
  /** The backup key sealed by the master key (base64), label `backup:<id>`. */
  sealedKey: string;
}

/** The size and hash of one entry. */
export interface EntrySum {
  bytes: number;
  sha256: string;
}

/** What the last entry says about all the others. */
export interface Manifest {
  format: 'kluis-backup/1';
  id: string;
  createdAt: string;
  database: 'pglite' | 'postgres';
  /** The hashes of the applied migrations, in order: a restore needs the same schema. */
  migrations: string[];
  tables: Record<string, EntrySum & { rows: number }>;
  blobs: Record<string, EntrySum>;
  tenants: { id: string; status: string }[];
}

const asKeys = (key: Buffer): DataKeys => ({
  current: { id: 1, key },
  byId: (id) => (id === 1 ? key : undefined),
});
const place = (id: string) => ({ tenantId: 'kluis-backup', key: id });

function write(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk)) resolve();
    else out.once('drain', resolve).once('error', reject);
  });
}

/** Writes a backup: the preamble to `file`, then frames through the encryptor. */
export class BackupWriter {
  private readonly enc;
  private readonly done: Promise<void>;

  private constructor(file: Writable, header: BackupHeader, key: Buffer) {
    file.write(`${MAGIC}${JSON.stringify(header)}\n`);
    // Frames are gzipped, then encrypted: rows rendered as text (bytea in hex) shrink about tenfold.
    this.enc = createGzip();
    const cipher = createBlobEncryptStream(asKeys(key), place(header.id));
    this.enc.pipe(cipher).pipe(file);
    cipher.on('error', (err) => file.destroy(err));
    this.done = new Promise((resolve, reject) => {
      file.on('finish', resolve).on('error', reject);
      this.enc.on('error', reject);
    });
  }

  /** Starts a backup with a fresh random key sealed under the keyring's master key. */
  static start(file: Writable, keyring: Keyring, id: string, createdAt: Date): BackupWriter {
    const key = randomBytes(32);
    const { sealed, masterKeyId } = keyring.sealSecret(`backup:${id}`, key);
    const header = {
      id,
      createdAt: createdAt.toISOString(),
      masterKeyId,
      sealedKey: sealed.toString('base64'),
    };
    return new BackupWriter(file, header, key);
  }

  /** Writes one entry from its chunks and returns its size and hash. */
  async entry(
    name: string,
    chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  ): Promise<EntrySum> {
    const n = Buffer.from(name, 'utf8');
    if (n.length > 0xffff) throw new Error('entry name too long');
    const head = Buffer.alloc(3);
    head.write('E', 0);
    head.writeUInt16BE(n.length, 1);
    await write(this.enc, Buffer.concat([head, n]));
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const c of chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
      if (buf.length === 0) continue;
      hash.update(buf);
      bytes += buf.length;
      const len = Buffer.alloc(5);
      len.write('D', 0);
      len.writeUInt32BE(buf.length, 1);
      await write(this.enc, Buffer.concat([len, buf]));
    }
    await write(this.enc, Buffer.from('Z'));
    return { bytes, sha256: hash.digest('hex') };
  }

  /** Writes the manifest as the last entry and finishes the file. */
  async finish(manifest: Manifest): Promise<void> {
    await this.entry(MANIFEST, [JSON.stringify(manifest)]);
    this.enc.end();
    await this.done;
  }
}

/** Reads exactly n bytes at a time from a stream of chunks. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** n bytes, or undefined at a clean end (no bytes left). */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.buf.length < n) {
      const next = await this.it.next();
      if (next.done) {
        if (this.buf.length === 0) return undefined;
        throw tampered();
      }
      this.buf = this.buf.length === 0 ? next.value : Buffer.concat([this.buf, next.value]);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

function tampered(): AppError {
  return new AppError('invalid', 'backup_tampered', 'The backup file is damaged or was changed');
}

/** Splits off the preamble: returns the header and the stream of encrypted bytes after it. */
export async function readHeader(
  source: Readable,
): Promise<{ header: BackupHeader; rest: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buf = Buffer.alloc(0);
  let nl = -1;
  while (nl < 0 || buf.indexOf(10, nl + 1) < 0) {
    const next = await it.next();
    if (next.done || buf.length > MAX_HEADER) throw tampered();
    buf = Buffer.concat([buf, next.value]);
    nl = buf.indexOf(10);
  }
  if (buf.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) {
    throw new AppError('invalid', 'backup_not_recognised', 'This is not a Kluis backup file');
  }
  const end = buf.indexOf(10, MAGIC.length);
  let header: BackupHeader;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length, end).toString('utf8')) as BackupHeader;
  } catch {
    throw tampered();
  }
  const first = buf.subarray(end + 1);
  const rest = (async function* () {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  return { header, rest };
}

/** Opens the backup key with the master key; a wrong master key or an edited header is refused. */
export function openBackupKey(keyring: Keyring, header: BackupHeader): Buffer {
  try {
    return keyring.openSecret(
      `backup:${header.id}`,
      Buffer.from(header.sealedKey, 'base64'),
      header.masterKeyId,
    );
  } catch {
    throw new AppError(
      'invalid',
      'backup_key_unreadable',
      'The backup key does not open with the configured master key (or the header was changed)',
    );
  }
}

/** One entry while reading: its name and its chunks, which must be consumed before the next. */
export interface ReadEntry {
  name: string;
  chunks: AsyncIterable<Buffer>;
}

/** Decrypts and splits the frames; any damage surfaces as backup_tampered. */
export async function* readEntries(
  rest: AsyncIterable<Buffer>,
  key: Buffer,
  id: string,
): AsyncGenerator<ReadEntry> {
  const dec = createBlobDecryptStream(asKeys(key), place(id));
  const gunzip = createGunzip();
  dec.on('error', (err) => gunzip.destroy(err));
  dec.pipe(gunzip);
  const feed = (async () => {
    try {
      for await (const c of rest) if (!dec.write(c)) await new Promise((r) => dec.once('drain', r));
      dec.end();
    } catch (err) {
      dec.destroy(err as Error);
    }
  })();
  const reader = new ByteReader(
    (async function* () {
      try {
        for await (const c of gunzip) yield c as Buffer;
      } catch {
        throw tampered();
      }
    })(),
  );
  for (;;) {
    const tag = await reader.read(1);
    if (!tag) break;
    if (tag.toString() !== 'E') throw tampered();
    const len = await reader.read(2);
    if (!len) throw tampered();
    const name = (await reader.read(len.readUInt16BE(0)))?.toString('utf8');
    if (name === undefined) throw tampered();
    let finished = false;
    const chunks = (async function* () {
      for (;;) {
        const t = await reader.read(1);
        if (!t) throw tampered();
        if (t.toString() === 'Z') break;
        if (t.toString() !== 'D') throw tampered();
        const l = await reader.read(4);
        if (!l) throw tampered();
        const data = await reader.read(l.readUInt32BE(0));
        if (!data) throw tampered();
        yield Buffer.from(data);
      }
      finished = true;
    })();
    yield { name, chunks };
    if (!finished)
      for await (const _ of chunks) {
        // skip what the consumer did not read
      }
  }
  await feed;
}
