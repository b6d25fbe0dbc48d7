/**
 * Recovery codes: format and entropy, hashes that depend on the key, normalisation of what people
 * type, and one-time use through the caller nulling the consumed index.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  consumeRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from './recovery-codes.ts';

const key = randomBytes(32);

test('ten distinct codes of the form xxxx-xxxx-xxxx from the unambiguous alphabet, hashed in order', () => {
  const { codes, hashes } = generateRecoveryCodes(key);
  assert.equal(codes.length, RECOVERY_CODE_COUNT);
  assert.equal(new Set(codes).size, RECOVERY_CODE_COUNT);
  for (const code of codes)
    assert.match(code, /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  assert.deepEqual(
    hashes,
    codes.map((c) => hashRecoveryCode(key, c)),
  );
  assert.ok(
    !hashes.some((h, i) => h.includes(codes[i]!.replace(/-/g, ''))),
    'hashes do not contain the codes',
  );
  // 32 symbols over 12 positions: every symbol should turn up across a few hundred codes.
  const many = generateRecoveryCodes(key, 50).codes.join('').replace(/-/g, '');
  assert.equal(new Set(many).size, 32);
});

test('the hash depends on the key, so a database copy alone cannot be brute-forced', () => {
  const code = 'abcd-efgh-jkmn';
  assert.notEqual(hashRecoveryCode(key, code), hashRecoveryCode(randomBytes(32), code));
});

test('normalises case, spaces, dashes and look-alike letters; refuses anything else', () => {
  assert.equal(normaliseRecoveryCode(' ABCD EFGH-JKMN '), 'abcdefghjkmn');
  assert.equal(normaliseRecoveryCode('O1IL-oooo-2222'), '011100002222');
  for (const bad of ['', 'abcd-efgh-jkm', 'abcd-efgh-jkmnp', 'abcd-efgh-jkmu', 'abcd-efgh-jk!n']) {
    assert.equal(normaliseRecoveryCode(bad), undefined, bad);
  }
});

test('a code matches once: the caller nulls its index and it never matches again', () => {
  const { codes, hashes } = generateRecoveryCodes(key);
  const stored: (string | null)[] = [...hashes];
  const index = consumeRecoveryCode(key, stored, codes[3]!.toUpperCase().replace(/-/g, ' '));
  assert.equal(index, 3);
  stored[3] = null;
  assert.equal(consumeRecoveryCode(key, stored, codes[3]!), undefined);
  assert.equal(consumeRecoveryCode(key, stored, codes[9]!), 9);
});

test('wrong codes, malformed input and another key match nothing', () => {
  const { codes, hashes } = generateRecoveryCodes(key);
  assert.equal(consumeRecoveryCode(key, hashes, 'zzzz-zzzz-zzzz'), undefined);
  assert.equal(consumeRecoveryCode(key, hashes, 'not a code'), undefined);
  assert.equal(consumeRecoveryCode(randomBytes(32), hashes, codes[0]!), undefined);
  assert.equal(consumeRecoveryCode(key, [], codes[0]!), undefined);
  assert.equal(consumeRecoveryCode(key, ['garbage', hashes[0]!], codes[0]!), 1);
});
