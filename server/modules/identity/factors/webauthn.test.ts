/**
 * Passkeys through real ceremonies with the soft authenticator: registration then sign-in work as
 * second factor and passwordless, and every forgery a server must catch is refused: another
 * origin, another challenge, another RP ID, a bent signature, a counter that does not grow, a
 * missing verification where it is required, and a response for another credential or user.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SoftAuthenticator } from './soft-authenticator.ts';
import {
  finishPasskeyAuthentication,
  finishPasskeyRegistration,
  type NewPasskey,
  type PasskeyUse,
  passkeyAssertionIdentity,
  type RelyingParty,
  startPasskeyAuthentication,
  startPasskeyRegistration,
} from './webauthn.ts';

const ORIGIN = 'https://kluis.example';
const rp: RelyingParty = { id: 'kluis.example', name: 'Kluis', origin: ORIGIN };
const user = { id: randomBytes(16), name: 'piet@example.nl', displayName: 'Piet' };

async function registered(use: PasskeyUse, authenticator = new SoftAuthenticator({ origin: ORIGIN })) {
  const options = await startPasskeyRegistration(rp, user, [], use);
  const result = await finishPasskeyRegistration(rp, authenticator.register(options), options.challenge, use);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return { authenticator, passkey: result.passkey, userHandle: options.user.id };
}

async function signIn(
  use: PasskeyUse,
  passkey: NewPasskey,
  answer: (
    options: Awaited<ReturnType<typeof startPasskeyAuthentication>>,
  ) => ReturnType<SoftAuthenticator['authenticate']>,
  allowed = use === 'second_factor' ? [passkey] : [],
) {
  const options = await startPasskeyAuthentication(rp, allowed, use);
  return finishPasskeyAuthentication(rp, {
    response: answer(options),
    expectedChallenge: options.challenge,
    passkey,
    use,
  });
}

describe('registration', () => {
  test('passwordless demands a resident key and user verification; the passkey comes back to store', async () => {
    const options = await startPasskeyRegistration(rp, user, [], 'passwordless');
    assert.equal(options.rp.id, 'kluis.example');
    assert.deepEqual(options.authenticatorSelection, {
      residentKey: 'required',
      userVerification: 'required',
      requireResidentKey: true,
    });
    assert.equal(options.attestation, 'none');
    const { passkey } = await registered('passwordless');
    assert.equal(passkey.counter, 0);
    assert.deepEqual(passkey.transports, ['internal', 'hybrid']);
    assert.equal(passkey.userVerified, true);
    assert.equal(passkey.deviceType, 'singleDevice');
    assert.ok(passkey.publicKey.length > 64);
  });

  test('as second factor, user verification is only preferred and existing passkeys are excluded', async () => {
    const { authenticator, passkey } = await registered('second_factor');
    const options = await startPasskeyRegistration(rp, user, [passkey], 'second_factor');
    assert.equal(options.authenticatorSelection?.userVerification, 'preferred');
    assert.deepEqual(
      options.excludeCredentials?.map((c) => c.id),
      [passkey.id],
    );
    assert.throws(() => authenticator.register(options), /InvalidStateError/);
    const unverified = new SoftAuthenticator({ origin: ORIGIN, userVerified: false });
    assert.ok((await registered('second_factor', unverified)).passkey);
  });

  test('refuses another origin, challenge, RP ID, ceremony type, and missing verification for passwordless', async () => {
    const cases: [object, RegExp][] = [
      [{ origin: 'https://kluis.example.evil' }, /origin/],
      [{ challenge: randomBytes(32).toString('base64url') }, /challenge/],
      [{ rpId: 'evil.example' }, /RP ID/],
      [{ type: 'webauthn.get' }, /type/],
      [{ userVerified: false }, /verification was required/],
      [{ userPresent: false }, /presence was required/],
    ];
    for (const [overrides, reason] of cases) {
      const options = await startPasskeyRegistration(rp, user, [], 'passwordless');
      const response = new SoftAuthenticator({ origin: ORIGIN }).register(options, overrides);
      const result = await finishPasskeyRegistration(rp, response, options.challenge, 'passwordless');
      assert.equal(result.ok, false, JSON.stringify(overrides));
      assert.equal(!result.ok && result.code, 'webauthn_verification_failed');
      assert.match(!result.ok ? result.reason : '', reason);
    }
  });
});

describe('sign-in', () => {
  test('register then sign in, as second factor and passwordless; the counter grows', async () => {
    for (const use of ['second_factor', 'passwordless'] as const) {
      const { authenticator, passkey, userHandle } = await registered(use);
      const options = await startPasskeyAuthentication(rp, use === 'passwordless' ? [] : [passkey], use);
      assert.equal(options.userVerification, use === 'passwordless' ? 'required' : 'preferred');
      const response = authenticator.authenticate(options);
      assert.deepEqual(passkeyAssertionIdentity(response), { credentialId: passkey.id, userHandle });
      const result = await finishPasskeyAuthentication(rp, {
        response,
        expectedChallenge: options.challenge,
        passkey,
        use,
        userHandle,
      });
      assert.deepEqual(result, {
        ok: true,
        credentialId: passkey.id,
        counter: 1,
        userVerified: true,
        backedUp: false,
      });
    }
  });

  test('a second factor without user verification is accepted; passwordless is not', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, userVerified: false });
    const twoFactor = await registered('second_factor', authenticator);
    const ok = await signIn('second_factor', twoFactor.passkey, (o) => authenticator.authenticate(o));
    assert.equal(ok.ok && ok.userVerified, false);
    const passwordless = await registered('passwordless');
    const refused = await signIn('passwordless', passwordless.passkey, (o) =>
      passwordless.authenticator.authenticate(o, { userVerified: false }),
    );
    assert.match(!refused.ok ? refused.reason : '', /verification required/);
  });

  test('refuses another origin, challenge, RP ID and a missing user presence', async () => {
    const { authenticator, passkey } = await registered('passwordless');
    const cases: [object, RegExp][] = [
      [{ origin: 'https://evil.example' }, /origin/],
      [{ challenge: randomBytes(32).toString('base64url') }, /challenge/],
      [{ rpId: 'evil.example' }, /RP ID|rpID/i],
      [{ userPresent: false }, /not present/],
    ];
    for (const [overrides, reason] of cases) {
      const result = await signIn('passwordless', passkey, (o) => authenticator.authenticate(o, overrides));
      assert.equal(result.ok, false, JSON.stringify(overrides));
      assert.match(!result.ok ? result.reason : '', reason);
    }
  });

  test('refuses a tampered signature', async () => {
    const { authenticator, passkey } = await registered('second_factor');
    const result = await signIn('second_factor', passkey, (o) => {
      const response = authenticator.authenticate(o);
      const signature = Buffer.from(response.response.signature, 'base64url');
      signature[signature.length - 1]! ^= 0x01;
      return { ...response, response: { ...response.response, signature: signature.toString('base64url') } };
    });
    assert.equal(result.ok, false);
  });

  test('refuses a counter that does not grow once non-zero; accepts authenticators that always say 0', async () => {
    const { authenticator, passkey } = await registered('second_factor');
    const first = await signIn('second_factor', passkey, (o) =>
      authenticator.authenticate(o, { signCount: 5 }),
    );
    assert.equal(first.ok && first.counter, 5);
    const stored = { ...passkey, counter: 5 };
    for (const signCount of [5, 4, 0]) {
      const replay = await signIn('second_factor', stored, (o) =>
        authenticator.authenticate(o, { signCount }),
      );
      assert.match(!replay.ok ? replay.reason : '', /counter/, `signCount ${signCount}`);
    }
    const synced = await registered(
      'passwordless',
      new SoftAuthenticator({ origin: ORIGIN, counter: 'zero' }),
    );
    for (let i = 0; i < 2; i++) {
      const ok = await signIn('passwordless', synced.passkey, (o) => synced.authenticator.authenticate(o));
      assert.equal(ok.ok && ok.counter, 0);
    }
  });

  test("refuses a response naming another passkey or another user's handle", async () => {
    const a = await registered('passwordless');
    const b = await registered('passwordless');
    const wrongKey = await signIn('passwordless', b.passkey, (o) => a.authenticator.authenticate(o));
    assert.match(!wrongKey.ok ? wrongKey.reason : '', /another credential/);
    const options = await startPasskeyAuthentication(rp, [], 'passwordless');
    const result = await finishPasskeyAuthentication(rp, {
      response: a.authenticator.authenticate(options),
      expectedChallenge: options.challenge,
      passkey: a.passkey,
      use: 'passwordless',
      userHandle: randomBytes(16).toString('base64url'),
    });
    assert.match(!result.ok ? result.reason : '', /another user handle/);
  });

  test('the soft authenticator only answers for credentials it holds on that RP ID', async () => {
    const { authenticator, passkey } = await registered('second_factor');
    const elsewhere = await startPasskeyAuthentication({ ...rp, id: 'other.example' }, [], 'passwordless');
    assert.throws(() => authenticator.authenticate(elsewhere), /NotAllowedError/);
    const options = await startPasskeyAuthentication(rp, [{ ...passkey, id: 'AAAA' }], 'second_factor');
    assert.throws(() => authenticator.authenticate(options), /NotAllowedError/);
  });
});
