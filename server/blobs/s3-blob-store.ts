/**
 * Blobs in an S3-compatible bucket (production). Object keys are `<tenantId>/<key>`: keys carry
 * only ids, and the prefix lets list() use ListObjectsV2. Bodies are blob-cipher output, so the
 * provider only ever sees ciphertext.
 *
 * Streams are uploaded without @aws-sdk/lib-storage (not a dependency): the encrypted stream is
 * cut into parts of `partBytes` (8 MiB; S3 wants ≥ 5 MiB for every part but the last) and sent
 * with CreateMultipartUpload / UploadPart / CompleteMultipartUpload, one part in memory at a time;
 * a stream that ends within the first part becomes one PutObject. A failed upload is aborted so
 * no orphaned parts keep costing storage.
 */

import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Config } from '../config.ts';
import {
  createBlobDecryptStream,
  createBlobEncryptStream,
  decryptBlob,
  encryptBlob,
} from '../crypto/blob-cipher.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { type BlobStore, blobNotFound, checkBlobKey, checkBlobPrefix, checkTenantId } from './blob-store.ts';

/** The bucket settings from Config. */
export type S3Settings = NonNullable<Config['s3']>;

const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
const CONTENT_TYPE = 'application/octet-stream';

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/** Encrypted blobs in an S3-compatible bucket. */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly partBytes: number;

  /** `partBytes` exists for tests, which use small parts to exercise multipart uploads. */
  constructor(settings: S3Settings, options: { partBytes?: number } = {}) {
    this.bucket = settings.bucket;
    this.partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
      // Integrity is already end-to-end (GCM tags), and several S3-compatible providers reject the
      // SDK's default flexible checksums; send and check them only where the API requires it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(tenantId: string, key: string): string {
    checkTenantId(tenantId);
    checkBlobKey(key);
    return `${tenantId}/${key}`;
  }

  /** Buffers go up in one PutObject; streams in multipart parts. */
  async put(keys: TenantKeys, key: string, data: Buffer | Readable): Promise<void> {
    const Key = this.objectKey(keys.tenantId, key);
    const place = { tenantId: keys.tenantId, key };
    if (Buffer.isBuffer(data)) {
      await this.putObject(Key, encryptBlob(keys.data, place, data));
      return;
    }
    const sealed = createBlobEncryptStream(keys.data, place);
    // pipeline() forwards a source error into `sealed`, where upload() sees it, and destroys the
    // source when upload() gives up on `sealed`; its own rejection is therefore already handled.
    pipeline(data, sealed).catch(() => {});
    await this.upload(Key, sealed);
  }

  private async putObject(Key: string, body: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key,
        Body: body,
        ContentLength: body.length,
        ContentType: CONTENT_TYPE,
      }),
    );
  }

  private async upload(Key: string, sealed: Readable): Promise<void> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | undefined;
    const parts: { ETag: string; PartNumber: number }[] = [];
    const sendPart = async () => {
      const body = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      if (uploadId === undefined) {
        const created = await this.client.send(
          new CreateMultipartUploadCommand({ Bucket: this.bucket, Key, ContentType: CONTENT_TYPE }),
        );
        if (!created.UploadId) throw new Error('S3 did not return an upload id');
        uploadId = created.UploadId;
      }
      const PartNumber = parts.length + 1;
      const res = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key,
          UploadId: uploadId,
          PartNumber,
          Body: body,
          ContentLength: body.length,
        }),
      );
      if (!res.ETag) throw new Error('S3 did not return a part ETag');
      parts.push({ ETag: res.ETag, PartNumber });
    };
    try {
      // Awaiting inside the loop pauses the stream, so at most one part is held.
      for await (const chunk of sealed) {
        pending.push(chunk as Buffer);
        pendingBytes += (chunk as Buffer).length;
        if (pendingBytes >= this.partBytes) await sendPart();
      }
      if (uploadId === undefined) {
        await this.putObject(Key, Buffer.concat(pending));
        return;
      }
      if (pendingBytes > 0) await sendPart();
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (err) {
      sealed.destroy();
      if (uploadId !== undefined) {
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId }))
          .catch(() => {}); // the original error matters more; a lifecycle rule cleans up leftovers
      }
      throw err;
    }
  }

  private async getBody(tenantId: string, key: string): Promise<Readable> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(tenantId, key) }),
      );
      if (!(res.Body instanceof Readable)) throw new Error('S3 returned no body stream');
      return res.Body;
    } catch (err) {
      throw isMissing(err) ? blobNotFound() : err;
    }
  }

  /** Reads a whole blob. */
  async get(keys: TenantKeys, key: string): Promise<Buffer> {
    const body = await this.getBody(keys.tenantId, key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return decryptBlob(keys.data, { tenantId: keys.tenantId, key }, Buffer.concat(chunks));
  }

  /** Streams a blob through the decryptor. */
  stream(keys: TenantKeys, key: string): Readable {
    const out = new PassThrough();
    const run = async () => {
      const body = await this.getBody(keys.tenantId, key);
      await pipeline(body, createBlobDecryptStream(keys.data, { tenantId: keys.tenantId, key }), out);
    };
    run().catch((err: Error) => out.destroy(err));
    return out;
  }

  /** Deletes the object; S3 answers a missing one with success too. */
  async delete(tenantId: string, key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(tenantId, key) }),
    );
  }

  /** Pages through ListObjectsV2 under the tenant's prefix. */
  async list(tenantId: string, prefix: string): Promise<string[]> {
    checkTenantId(tenantId);
    checkBlobPrefix(prefix);
    const root = `${tenantId}/`;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: root + prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) if (o.Key?.startsWith(root)) keys.push(o.Key.slice(root.length));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** The first path segment of every object (no Delimiter, so any S3-compatible store answers). */
  async listTenants(): Promise<string[]> {
    const tenants = new Set<string>();
    let token: string | undefined;
    do {
      const res = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) {
        const first = o.Key?.split('/')[0];
        if (first && /^[A-Za-z0-9-]{1,64}$/.test(first)) tenants.add(first);
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return [...tenants].sort();
  }

  /** The object's bytes as stored (ciphertext). */
  async getSealed(tenantId: string, key: string): Promise<Buffer> {
    checkTenantId(tenantId);
    checkBlobKey(key);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.getBody(tenantId, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Stores ciphertext from getSealed as it is. */
  async putSealed(tenantId: string, key: string, sealed: Buffer): Promise<void> {
    checkTenantId(tenantId);
    checkBlobKey(key);
    await this.putObject(this.objectKey(tenantId, key), sealed);
  }

  /** Closes the client's connections (tests, shutdown). */
  close(): void {
    this.client.destroy();
  }
}
