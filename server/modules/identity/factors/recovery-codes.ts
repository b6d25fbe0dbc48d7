/**
 * One-time recovery codes for a second factor that is lost: ten codes of the form
 * `xxxx-xxxx-xxxx` from Crockford's base32 alphabet (no i, l, o, u; typed o/i/l read as 0/1/1),
 * 12 symbols × 5 bits = 60 bits of entropy each. Only keyed hashes are stored.
 *
 * Why HMAC-SHA256 and not argon2: argon2 exists to slow down guessing of low-entropy secrets
 * people choose. These codes are uniformly random with 60 bits, so online guessing (rate-limited,
 * and only after the password) is hopeless, and offline guessing needs the HMAC key, which lives
 * in the keyring and never in the database. Argon2 would also make each use cost up to ten slow
 * verifications, because a typed code must be compared against every unused hash.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Codes issued per set. */
export const RECOVERY_CODE_COUNT = 10;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford's base32, lower-cased
const SYMBOLS = 12;
const GROUP = 4;
const DOMAIN = 'kluis.recovery-code.v1\0';

/** A freshly generated set: the codes to show once, and the hashes to store in the same order. */
export interface RecoveryCodeSet {
  codes: string[];
  hashes: string[];
}

/** Generates a new set of codes; show `codes` to the person once and store only `hashes`. */
export function generateRecoveryCodes(key: Buffer, count = RECOVERY_CODE_COUNT): RecoveryCodeSet {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    let symbols = '';
    for (let j = 0; j < SYMBOLS; j++) symbols += ALPHABET[randomInt(ALPHABET.length)];
    codes.push(formatRecoveryCode(symbols));
  }
  return { codes, hashes: codes.map((c) => hashRecoveryCode(key, c)) };
}

/** Groups 12 symbols as `xxxx-xxxx-xxxx` for display. */
function formatRecoveryCode(symbols: string): string {
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) groups.push(symbols.slice(i, i + GROUP));
  return groups.join('-');
}

/**
 * Reduces what a person typed to the 12 canonical symbols: case, spaces and dashes ignored,
 * and the look-alikes o→0, i/l→1 mapped as Crockford prescribes. Undefined when not a code.
 */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const symbols = typed
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  if (symbols.length !== SYMBOLS) return undefined;
  for (const s of symbols) if (!ALPHABET.includes(s)) return undefined;
  return symbols;
}

/** The stored form of one code: base64url HMAC-SHA256 under the recovery-code key. */
export function hashRecoveryCode(key: Buffer, code: string): string {
  const symbols = normaliseRecoveryCode(code);
  if (symbols === undefined) throw new Error('not a recovery code');
  return createHmac('sha256', key).update(DOMAIN).update(symbols).digest('base64url');
}

/**
 * Finds the unused code that `typed` matches and returns its index, or undefined. Used codes are
 * null (or undefined) in `hashes`: the caller sets the returned index to null in the same
 * transaction, so a code works once. Every entry is compared, in constant time, whatever matches.
 */
export function consumeRecoveryCode(
  key: Buffer,
  hashes: readonly (string | null | undefined)[],
  typed: string,
): number | undefined {
  const symbols = normaliseRecoveryCode(typed);
  if (symbols === undefined) return undefined;
  const candidate = Buffer.from(hashRecoveryCode(key, symbols), 'base64url');
  let found: number | undefined;
  hashes.forEach((stored, index) => {
    if (stored == null) return;
    const bytes = Buffer.from(stored, 'base64url');
    if (bytes.length === candidate.length && timingSafeEqual(bytes, candidate) && found === undefined) {
      found = index;
    }
  });
  return found;
}
