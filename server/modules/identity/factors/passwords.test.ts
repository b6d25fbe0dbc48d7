/**
 * Passwords: argon2id round trips (NFC-normalised), rehash detection, the dummy hash for unknown
 * accounts, and the policy (length in code points, the bundled list, zxcvbn with account words).
 * Few hashes on purpose: each costs tens of milliseconds.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hash } from '@node-rs/argon2';
import {
  ARGON2_PARAMS,
  checkPasswordPolicy,
  commonPasswordSet,
  DUMMY_PASSWORD_HASH,
  hashPassword,
  needsRehash,
  passwordUserInputs,
  verifyPassword,
  verifyPasswordOrDummy,
} from './passwords.ts';

describe('hashing', () => {
  test('hashes with argon2id and the OWASP parameters, verifies NFC and NFD input alike', async () => {
    const nfd = 'cafe\u0301 op het strand met een ijsje';
    const stored = await hashPassword(nfd);
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(needsRehash(stored), false);
    assert.equal(await verifyPassword(stored, nfd.normalize('NFC')), true);
    assert.equal(await verifyPassword(stored, 'cafe op het strand met een ijsje'), false);
    assert.equal(await verifyPasswordOrDummy(stored, nfd), true);
    assert.equal(await verifyPasswordOrDummy(stored, 'wrong password here'), false);
  });

  test('an unknown account runs one verification against the dummy hash and fails', async () => {
    assert.equal(await verifyPasswordOrDummy(undefined, 'anything at all, really'), false);
  });

  test('the dummy hash uses the current parameters, so it costs what a real one costs', () => {
    assert.equal(needsRehash(DUMMY_PASSWORD_HASH), false);
  });

  test('hashes with other parameters or algorithms, and garbage, need a rehash', async () => {
    const weaker = await hash('x', { ...ARGON2_PARAMS, memoryCost: 4096 });
    assert.equal(needsRehash(weaker), true);
    assert.equal(needsRehash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'), true);
    assert.equal(needsRehash('$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'), true);
  });
});

describe('policy', () => {
  const strong = 'paarse olifant fietst naar de maan';

  test('accepts a passphrase of unrelated words with its score', () => {
    const result = checkPasswordPolicy(strong, {}, 'nl');
    assert.equal(result.ok, true);
    assert.ok(result.ok && result.score >= 3);
  });

  test('counts code points after NFC: 12 accented letters typed decomposed are 12, not 24', () => {
    const decomposed = 'e\u0301'.repeat(11);
    assert.equal(checkPasswordPolicy(decomposed, {}, 'en').ok, false);
    const r = checkPasswordPolicy(decomposed, {}, 'en');
    assert.equal(!r.ok && r.code, 'password_too_short');
    const emoji = '🐘🚲🌙🧀☂️🎺🦊🍐🛶🪁🧭🪴';
    const e = checkPasswordPolicy(emoji, {}, 'en');
    assert.notEqual(!e.ok && e.code, 'password_too_short');
  });

  test('refuses too short and too long with a helpful message in the chosen language', () => {
    const short = checkPasswordPolicy('kort', {}, 'nl');
    assert.deepEqual(short.ok ? undefined : [short.code, /zin van drie of vier/.test(short.message)], [
      'password_too_short',
      true,
    ]);
    const long = checkPasswordPolicy('woord '.repeat(22), {}, 'en');
    assert.equal(!long.ok && long.code, 'password_too_long');
    assert.equal(!long.ok && long.message, 'Use at most 128 characters.');
    assert.equal(checkPasswordPolicy('a'.repeat(128), {}, 'en').ok, false); // guessable, not too long
    assert.notEqual(
      ((r) => !r.ok && r.code)(checkPasswordPolicy('a'.repeat(128), {}, 'en')),
      'password_too_long',
    );
  });

  test('the bundled list has at least 10,000 entries and refuses them in any case', () => {
    assert.ok(commonPasswordSet().size >= 10_000, `only ${commonPasswordSet().size}`);
    for (const p of ['qwerty123456', 'QWERTY123456', 'mailcreated5240', '1q2w3e4r5t6y']) {
      const r = checkPasswordPolicy(p, {}, 'en');
      assert.equal(!r.ok && r.code, 'password_common', p);
      assert.match(!r.ok ? r.message : '', /passphrase/);
    }
  });

  test('refuses guessable passwords with zxcvbn suggestions, in Dutch or English', () => {
    const nl = checkPasswordPolicy('welkomwelkom', {}, 'nl');
    assert.equal(!nl.ok && nl.code, 'password_too_guessable');
    assert.ok(!nl.ok && nl.score !== undefined && nl.score < 3);
    assert.ok(!nl.ok && nl.suggestions?.some((s) => /Vermijd|Voeg/.test(s)));
    const en = checkPasswordPolicy('abcabcabcabcabc', {}, 'en');
    assert.equal(!en.ok && en.code, 'password_too_guessable');
    assert.ok(!en.ok && en.suggestions?.some((s) => /Avoid|Add/.test(s)));
  });

  test("leaning on the account's own name, e-mail or business lowers the score", () => {
    const password = 'bakkerijkorenbloem';
    const context = { email: 'piet@example.nl', name: 'Piet Jansen', businessName: 'Bakkerij Korenbloem' };
    assert.equal(checkPasswordPolicy(password, {}, 'en').ok, true);
    const r = checkPasswordPolicy(password, context, 'en');
    assert.equal(!r.ok && r.code, 'password_too_guessable');
    assert.ok(!r.ok && !r.message.includes('korenbloem'), 'no personal data in the message');
  });

  test('user inputs hold each value whole and its parts', () => {
    assert.deepEqual(passwordUserInputs({ email: 'P.Jansen@Example.nl', businessName: 'De Vries & Zn' }), [
      'p.jansen@example.nl',
      'p.jansen',
      'example.nl',
      'jansen',
      'example',
      'de vries & zn',
      'vries',
    ]);
  });
});
