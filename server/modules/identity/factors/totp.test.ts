/**
 * TOTP: the RFC 6238 Appendix B vectors (SHA-1, 8 digits), base32 round trips, the ±1 step
 * window, replay refusal through lastUsedStep, and the otpauth:// URI.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  base32Decode,
  base32Encode,
  createTotpSecret,
  generateTotp,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.ts';

const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const at = (seconds: number) => new Date(seconds * 1000);

describe('RFC 6238 Appendix B (SHA-1)', () => {
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  for (const [seconds, code] of vectors) {
    test(`T = ${seconds} gives ${code}`, () => {
      assert.equal(generateTotp(RFC_SECRET, at(seconds), 8), code);
      assert.equal(verifyTotp(RFC_SECRET, code, at(seconds), undefined, 8), Math.floor(seconds / 30));
    });
  }
});

describe('base32', () => {
  test('RFC 4648 test vectors, unpadded', () => {
    const cases = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    const expected = ['', 'MY', 'MZXQ', 'MZXW6', 'MZXW6YQ', 'MZXW6YTB', 'MZXW6YTBOI'];
    assert.deepEqual(
      cases.map((c) => base32Encode(Buffer.from(c))),
      expected,
    );
    assert.equal(base32Decode('mzxw 6ytb oi======').toString(), 'foobar');
    assert.throws(() => base32Decode('MZXW1'), /not a base32 string/);
  });

  test('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        assert.deepEqual(base32Decode(base32Encode(bytes)), Buffer.from(bytes));
      }),
    );
  });

  test('a new secret is 20 random bytes', () => {
    const secret = createTotpSecret();
    assert.equal(secret.length, 32);
    assert.equal(base32Decode(secret).length, 20);
    assert.notEqual(createTotpSecret(), secret);
  });
});

describe('verification', () => {
  const secret = base32Encode(randomBytes(20));
  const now = new Date('2025-03-14T09:26:53Z');
  const step = totpStep(now);

  test('accepts the current code and one step of drift either way, returning the step', () => {
    assert.equal(verifyTotp(secret, generateTotp(secret, now), now), step);
    assert.equal(verifyTotp(secret, generateTotp(secret, new Date(now.getTime() - 30_000)), now), step - 1);
    assert.equal(verifyTotp(secret, generateTotp(secret, new Date(now.getTime() + 30_000)), now), step + 1);
  });

  test('refuses codes two steps away', () => {
    assert.equal(verifyTotp(secret, generateTotp(secret, new Date(now.getTime() - 60_000)), now), undefined);
    assert.equal(verifyTotp(secret, generateTotp(secret, new Date(now.getTime() + 60_000)), now), undefined);
  });

  test('refuses a replay: a step at or before the last used one', () => {
    const code = generateTotp(secret, now);
    const used = verifyTotp(secret, code, now);
    assert.equal(verifyTotp(secret, code, now, used), undefined);
    assert.equal(verifyTotp(secret, code, new Date(now.getTime() + 20_000), used), undefined);
    const earlier = generateTotp(secret, new Date(now.getTime() - 30_000));
    assert.equal(verifyTotp(secret, earlier, now, used), undefined);
    const next = generateTotp(secret, new Date(now.getTime() + 30_000));
    assert.equal(verifyTotp(secret, next, new Date(now.getTime() + 30_000), used), step + 1);
  });

  test('tolerates spaces, refuses malformed input', () => {
    const code = generateTotp(secret, now);
    assert.equal(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now), step);
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`]) {
      assert.equal(verifyTotp(secret, bad, now), undefined, bad);
    }
  });
});

test('the otpauth:// URI carries issuer, account and the SHA-1/6/30 profile', () => {
  const uri = new URL(totpUri('JBSW Y3DP EHPK 3PXP', { issuer: 'Kluis', account: 'piet@example.nl' }));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(decodeURIComponent(uri.pathname), '/Kluis:piet@example.nl');
  assert.deepEqual(Object.fromEntries(uri.searchParams), {
    secret: 'JBSWY3DPEHPK3PXP',
    issuer: 'Kluis',
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
  assert.match(
    totpUri('JBSWY3DPEHPK3PXP', { issuer: 'Kluis B.V.', account: 'a b' }),
    /Kluis%20B\.V\.:a%20b\?/,
  );
});
