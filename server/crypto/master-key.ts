/**
 * The master key wraps every tenant key and nothing else. In production it comes from
 * KLUIS_MASTER_KEY (a secret store); for the embedded default it is generated once into the data
 * directory with mode 0600, and Kluis warns loudly because that file sits beside the data it protects.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
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

/** The master keys a process can read with: the current one and any older or pending ones. */
export interface MasterKeys {
  current: MasterKey;
  others: MasterKey[];
}

const NEXT_FILE = 'master.key.next';

function readKeyFile(file: string): MasterKey {
  const raw = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (raw.length !== KEY_BYTES) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return masterKeyFrom(raw);
}

/**
 * Loads every master key this process may need: from the environment (current + previous), or
 * embedded from master.key plus master.key.next when a rotation was interrupted.
 */
export function loadMasterKeys(
  config: { masterKey: Buffer | undefined; previousMasterKeys: Buffer[]; dataDir: string },
  log: Logger,
): MasterKeys {
  if (config.masterKey) {
    return { current: masterKeyFrom(config.masterKey), others: config.previousMasterKeys.map(masterKeyFrom) };
  }
  const current = loadMasterKey(undefined, config.dataDir, log);
  const next = path.join(config.dataDir, NEXT_FILE);
  return { current, others: existsSync(next) ? [readKeyFile(next)] : [] };
}

/**
 * Embedded rotation, step 1: the new key is written (and fsynced) to master.key.next before any
 * tenant key is rewrapped to it, so a crash at any point leaves every wrapped key readable.
 * An interrupted rotation resumes with the same pending key.
 */
export function prepareEmbeddedRotation(dataDir: string): MasterKey {
  const next = path.join(dataDir, NEXT_FILE);
  if (existsSync(next)) return readKeyFile(next);
  const key = randomBytes(KEY_BYTES);
  const fd = openSync(next, 'wx', 0o600);
  writeFileSync(fd, `${key.toString('base64')}\n`);
  fsyncSync(fd);
  closeSync(fd);
  return masterKeyFrom(key);
}

/** Embedded rotation, last step: master.key.next atomically replaces master.key; the old key is gone. */
export function finishEmbeddedRotation(dataDir: string): void {
  renameSync(path.join(dataDir, NEXT_FILE), path.join(dataDir, 'master.key'));
}
