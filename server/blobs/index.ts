/**
 * Blob storage, chosen once at start-up: an S3-compatible bucket when S3_BUCKET is set (its
 * endpoint and region were already checked against the EU allow-list by config.ts), otherwise
 * encrypted files under `<dataDir>/blobs`.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import type { BlobStore } from './blob-store.ts';
import { LocalBlobStore } from './local-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

export { type BlobStore, blobNotFound, checkBlobKey, isBlobNotFound } from './blob-store.ts';
export { LocalBlobStore } from './local-blob-store.ts';
export { S3BlobStore, type S3Settings } from './s3-blob-store.ts';

/** Builds the configured blob store. */
export function createBlobStore(config: Pick<Config, 'dataDir' | 's3'>): BlobStore {
  return config.s3 ? new S3BlobStore(config.s3) : new LocalBlobStore(path.join(config.dataDir, 'blobs'));
}
