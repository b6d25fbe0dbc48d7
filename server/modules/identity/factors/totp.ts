/**
 * TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second steps — the only profile
 * every authenticator app supports. Written on node:crypto, since it is a few lines of HMAC and
 * dynamic truncation. Time is always a parameter (invariant 8), so tests travel in time.
 *
 * Secrets travel as base32 (RFC 4648, unpadded), the form authenticator apps read from the QR
 * code. The caller stores the secret encrypted like any other field and keeps the last accepted
 * step, so an observed code cannot be replayed inside its window.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Seconds per step (RFC 6238's default X). */
export const TOTP_PERIOD_SECONDS = 30;
/** Digits per code. */
export const TOTP_DIGITS = 6;
/** Bytes of a new secret: 160 bits, the HMAC-SHA-1 block-size recommendation of RFC 4226 §4. */
export const TOTP_SECRET_BYTES = 20;
/**
 * Steps of clock drift accepted either side: one step tolerates a phone clock 30 s off and a code
 * typed just as it rolls over, while the window stays 3 codes wide (3 in a million per guess).
 */
export const TOTP_DRIFT_STEPS = 1;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as unpadded RFC 4648 base32. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff; // only the unwritten bits (< 13) matter
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes RFC 4648 base32, ignoring case, spaces, dashes and padding; throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error('not a base32 string');
    buffer = ((buffer << 5) | value) & 0xffff; // only the unread bits (< 13) matter
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** Creates a new random secret (20 bytes), base32-encoded for storage and the QR code. */
export function createTotpSecret(): string {
  return base32Encode(randomBytes(TOTP_SECRET_BYTES));
}

/** Options for the otpauth:// URI. */
export interface TotpUriOptions {
  issuer: string;
  account: string;
}

/**
 * The otpauth:// URI an authenticator app reads from the QR code (Google Authenticator's key URI
 * format). The issuer is both the label prefix and a parameter, as the format recommends, so
 * apps old and new show "Kluis (account)".
 */
export function totpUri(secret: string, { issuer, account }: TotpUriOptions): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: base32Encode(base32Decode(secret)),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, '%20')}`;
}

/** The step (RFC 6238's T) that `now` falls in. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The HOTP value (RFC 4226 §5.3) of a secret for one counter value, zero-padded to `digits`. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator app shows at `now`; for tests and the enrolment preview. */
export function generateTotp(secret: string, now: Date, digits = TOTP_DIGITS): string {
  return hotp(base32Decode(secret), totpStep(now), digits);
}

/**
 * Checks a code typed at `now` against the steps now−1, now and now+1, and returns the step it
 * matched, which the caller stores as the new `lastUsedStep`. Returns undefined for a wrong code
 * and for a replay: a step at or before `lastUsedStep` is never accepted again, even in the window.
 */
export function verifyTotp(
  secret: string,
  code: string,
  now: Date,
  lastUsedStep?: number,
  digits = TOTP_DIGITS,
): number | undefined {
  const typed = code.replace(/[\s-]/g, '');
  if (typed.length !== digits || !/^\d+$/.test(typed)) return undefined;
  const key = base32Decode(secret);
  const current = totpStep(now);
  let matched: number | undefined;
  // Every candidate is computed and compared, so timing says nothing about which step matched.
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    const isMatch = timingSafeEqual(Buffer.from(hotp(key, step, digits)), Buffer.from(typed));
    const isFresh = lastUsedStep === undefined || step > lastUsedStep;
    if (isMatch && isFresh) matched = step;
  }
  return matched;
}
