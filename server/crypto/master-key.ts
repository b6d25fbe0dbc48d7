/**
 * The master key wraps every tenant key and nothing else. In production it comes from
 * KLUIS_MASTER_KEY (a secret store); for the embedded default it is generated once into the data
 * directory with mode 0600, and Kluis warns loudly because that file sits beside the data it protects.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { KEY_BYTES } from './aead.ts';

/** A master key and its public id (which key wrapped what, without revealing the key). */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Builds a MasterKey from 32 raw bytes. */
export function masterKeyFrom(key: Buffer): MasterKey {
  if (key.length !== KEY_BYTES) throw new Error('a master key is 32 bytes');
  const id = createHmac('sha256', key).update('kluis master key id').digest('hex').slice(0, 16);
  return { id, key };
}

/** Returns the configured master key, or loads/generates `master.key` in the data dir (embedded only). */
export function loadMasterKey(configured: Buffer | undefined, dataDir: string, log: Logger): MasterKey {
  if (configured) return masterKeyFrom(configured);
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) {
    const raw = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (raw.length !== KEY_BYTES) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return masterKeyFrom(raw);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  log.warn(
    { file },
    'GENERATED A MASTER KEY INSIDE THE DATA DIRECTORY. Fine for trying Kluis; in production set ' +
      'KLUIS_MASTER_KEY from a secret store and keep it apart from the data and its backups.',
  );
  return masterKeyFrom(key);
}
