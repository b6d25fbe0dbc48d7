/**
 * Passwords: argon2id hashing and the password policy (NIST SP 800-63B style: length, a list of
 * known passwords and a guessability estimate; no composition rules, no forced rotation).
 *
 * Parameters are OWASP's first argon2id option, m = 19 MiB, t = 2, p = 1. OWASP rates it equal to
 * m = 46 MiB, t = 1; we take the smaller memory because one process serves the logins of many
 * businesses at once, and 19 MiB per concurrent verification keeps a login burst from exhausting
 * memory. Raising them later is safe: `needsRehash` tells the login flow to re-hash on success.
 */
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import * as zxcvbnNl from '@zxcvbn-ts/language-nl-be';

/** The shortest password accepted, in Unicode code points after NFC normalisation. */
export const PASSWORD_MIN_LENGTH = 12;
/** The longest password accepted; long enough for any passphrase, short enough to bound the work. */
export const PASSWORD_MAX_LENGTH = 128;
/** The lowest zxcvbn score (0–4) accepted: 3 is "safely unguessable" against an offline slow hash. */
export const PASSWORD_MIN_SCORE = 3;

// Algorithm.Argon2id and Version.V0x13 of @node-rs/argon2; its enums are ambient `const enum`s,
// which erasable TypeScript cannot read, so the values are spelled out.
const ARGON2ID = 2;
const VERSION_0X13 = 1;

/** The argon2id parameters new hashes use. */
export const ARGON2_PARAMS = {
  algorithm: ARGON2ID,
  memoryCost: 19 * 1024, // KiB
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

/**
 * A hash of a random, discarded password with the current parameters. Verifying against it costs
 * what a real verification costs, so an unknown account answers as slowly as a wrong password.
 * A test checks it still matches ARGON2_PARAMS.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$RBkgjLFKy30M+UkZKLEGmA$aq56d9dB/cg9P9Gq49PCHwPiTmIcrsHLgEEBJoMN8Gg';

// Normalised before hashing and counting, so the same passphrase typed on a Mac (NFD input) and
// on Windows (NFC) is the same password.
function normalisePassword(password: string): string {
  return password.normalize('NFC');
}

/** Hashes a password with argon2id (PHC string, with its own random salt). */
export async function hashPassword(password: string): Promise<string> {
  return hash(normalisePassword(password), ARGON2_PARAMS);
}

/** True when `password` matches `passwordHash`. A malformed hash is a bug and throws. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, normalisePassword(password));
}

/**
 * Verifies against the account's hash, or against the dummy hash when there is no account (or no
 * password), so both cases cost one argon2 verification and cannot be told apart by timing.
 */
export async function verifyPasswordOrDummy(
  passwordHash: string | undefined,
  password: string,
): Promise<boolean> {
  const matches = await verifyPassword(passwordHash ?? DUMMY_PASSWORD_HASH, password);
  return passwordHash !== undefined && matches;
}

/** True when a stored hash was made with other parameters than today's and should be replaced. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const p = parseOptions(passwordHash);
    return (
      p.algorithm !== ARGON2_PARAMS.algorithm ||
      p.version !== VERSION_0X13 ||
      p.memoryCost !== ARGON2_PARAMS.memoryCost ||
      p.timeCost !== ARGON2_PARAMS.timeCost ||
      p.parallelism !== ARGON2_PARAMS.parallelism ||
      p.outputLen !== ARGON2_PARAMS.outputLen
    );
  } catch {
    return true;
  }
}

/** Words about the account that a password should not lean on (zxcvbn's user inputs). */
export interface PasswordContext {
  email?: string;
  name?: string;
  businessName?: string;
}

/** The languages policy messages come in. */
export type PasswordLang = 'nl' | 'en';

/** Why a password is refused; stable codes clients may rely on. */
export type PasswordPolicyCode =
  | 'password_too_short'
  | 'password_too_long'
  | 'password_common'
  | 'password_too_guessable';

/** The outcome of the policy: accepted with its score, or refused with a message for the person. */
export type PasswordPolicyResult =
  | { ok: true; score: number }
  | { ok: false; code: PasswordPolicyCode; message: string; score?: number; suggestions?: string[] };

const MESSAGES: Record<PasswordLang, Record<PasswordPolicyCode, string>> = {
  en: {
    password_too_short:
      'Use at least 12 characters. A passphrase of three or four unrelated words is long enough and easy to remember.',
    password_too_long: 'Use at most 128 characters.',
    password_common:
      'This password appears in lists of leaked passwords that attackers try first. Choose another one, for example a passphrase of several unrelated words.',
    password_too_guessable:
      'This password is too easy to guess. Add a word or two that have nothing to do with you or your business; capitals, digits and symbols are not needed.',
  },
  nl: {
    password_too_short:
      'Gebruik minstens 12 tekens. Een zin van drie of vier losse woorden die niets met elkaar te maken hebben is lang genoeg en makkelijk te onthouden.',
    password_too_long: 'Gebruik hoogstens 128 tekens.',
    password_common:
      'Dit wachtwoord staat in lijsten met uitgelekte wachtwoorden die aanvallers als eerste proberen. Kies een ander, bijvoorbeeld een zin van een paar losse woorden.',
    password_too_guessable:
      'Dit wachtwoord is te makkelijk te raden. Voeg een of twee woorden toe die niets met jou of je bedrijf te maken hebben; hoofdletters, cijfers en leestekens zijn niet nodig.',
  },
};

let commonPasswords: Set<string> | undefined;

/**
 * The frequency-ranked list of common and breached passwords shipped in @zxcvbn-ts/language-common
 * (about 49,000 entries), lower-cased into a Set once per process. Bundled through npm: nothing is
 * fetched at run time, and no password ever leaves the process.
 */
export function commonPasswordSet(): ReadonlySet<string> {
  commonPasswords ??= new Set(zxcvbnCommon.dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return commonPasswords;
}

const estimators = new Map<PasswordLang, ZxcvbnFactory>();

// Built lazily (about 0.2 s each, for the dictionaries) and kept; one per language because the
// feedback is translated at construction. The Dutch dictionary (nl-be) helps in both languages.
function estimator(lang: PasswordLang): ZxcvbnFactory {
  let z = estimators.get(lang);
  if (!z) {
    z = new ZxcvbnFactory({
      dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, ...zxcvbnNl.dictionary },
      graphs: zxcvbnCommon.adjacencyGraphs,
      translations: lang === 'nl' ? zxcvbnNl.translations : zxcvbnEn.translations,
      // zxcvbn's matching grows steeply with length (over a second at 128 characters); the first
      // 64 are a sound estimate, since a weak prefix already fails and a strong one is enough.
      maxLength: 64,
    });
    estimators.set(lang, z);
  }
  return z;
}

/** The account's words as zxcvbn user inputs: each value whole and split into its parts. */
export function passwordUserInputs(context: PasswordContext): string[] {
  const inputs = new Set<string>();
  for (const value of [context.email, context.name, context.businessName]) {
    if (!value) continue;
    const v = value.normalize('NFC').toLowerCase().trim();
    inputs.add(v);
    const [local, domain] = v.split('@');
    if (local && domain) inputs.add(local).add(domain);
    for (const part of v.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) inputs.add(part);
  }
  return [...inputs];
}

/** Checks a new password against the policy; the message says what to do instead. */
export function checkPasswordPolicy(
  password: string,
  context: PasswordContext,
  lang: PasswordLang,
): PasswordPolicyResult {
  const p = normalisePassword(password);
  const refuse = (code: PasswordPolicyCode, extra: { score?: number; suggestions?: string[] } = {}) =>
    ({ ok: false, code, message: MESSAGES[lang][code], ...extra }) as const;

  const length = [...p].length; // code points, so an emoji or accented letter counts once
  if (length < PASSWORD_MIN_LENGTH) return refuse('password_too_short');
  if (length > PASSWORD_MAX_LENGTH) return refuse('password_too_long');
  if (commonPasswordSet().has(p.toLowerCase())) return refuse('password_common', { score: 0 });

  const result = estimator(lang).check(p, passwordUserInputs(context));
  if (result.score < PASSWORD_MIN_SCORE) {
    const { warning, suggestions } = result.feedback;
    return refuse('password_too_guessable', {
      score: result.score,
      suggestions: warning ? [warning, ...suggestions] : [...suggestions],
    });
  }
  return { ok: true, score: result.score };
}
