/**
 * AES-256-GCM, the only cipher Kluis uses (no home-made cryptography beyond composing node:crypto).
 * A fresh random 96-bit nonce per message; with at most a few billion messages per key the
 * collision risk stays far below NIST's 2^-32 bound.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;

// A raw key buffer is imported into a KeyObject on every cipher call, which costs more than the
// AES-GCM of a short field. The import is kept per key buffer and dies with it (the keyring's
// cache holds the buffers), so nothing outlives the key it was made from.
const imported = new WeakMap<Buffer, KeyObject>();

function keyObject(key: Buffer): KeyObject {
  let k = imported.get(key);
  if (!k) {
    k = createSecretKey(key);
    imported.set(key, k);
  }
  return k;
}

/** Encrypts `plaintext` under `key`, returning nonce ‖ ciphertext ‖ tag. */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyObject(key), nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Decrypts nonce ‖ ciphertext ‖ tag; throws DecryptError when the key, data or AAD do not match. */
export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new DecryptError();
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyObject(key), nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plain = decipher.update(body);
    const rest = decipher.final(); // checks the tag; GCM has nothing left over
    return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
  } catch {
    throw new DecryptError();
  }
}

/** A ciphertext that does not authenticate: wrong key, wrong place (AAD) or tampered bytes. */
export class DecryptError extends Error {
  constructor() {
    super('ciphertext does not authenticate');
    this.name = 'DecryptError';
  }
}
