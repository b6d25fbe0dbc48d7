/**
 * Passwordless sign-in with a passkey on the sign-in page (Identity points 6 and 14), with the
 * factors library's software authenticator standing in for the browser: a discoverable passkey
 * with user verification signs in; no verification, another origin, an unknown passkey, a
 * replayed answer and an answer without a challenge all fail.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { type App, buildApp } from '../../app.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { SoftAuthenticator } from './factors/soft-authenticator.ts';
import { createIdentityRuntime } from './runtime.ts';
import { authorizeUrl, Browser, mintAccessToken, pkce, REDIRECT, TEST_PUBLIC_URL, uidOf } from './testing.ts';

let s: TestServices;
let app: App;

before(async () => {
  s = await makeServices();
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s }));
  await app.ready();
});
after(async () => {
  await app.close();
  await s.close();
});

const cookieOf = (set: string | string[] | undefined) =>
  (Array.isArray(set) ? set : set ? [set] : []).map((c) => c.split(';')[0]).join('; ');

test('a discoverable passkey with user verification signs in without a password', async () => {
  const email = `pl-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const { userId, tenantId } = await signUp(
    createIdentityRuntime(s),
    { email, password: 'witte uil vliegt over het bos', businessName: 'Uil B.V.', locale: 'nl' },
    { ip: '203.0.113.2', requestId: null },
  );
  const auth = {
    authorization: `Bearer ${await mintAccessToken(s, { sub: userId, kluis_tenant: tenantId })}`,
  };
  const device = new SoftAuthenticator({ origin: TEST_PUBLIC_URL });
  const creation = (
    await app.inject({ method: 'POST', url: '/api/v1/me/two-factor/passkeys/options', headers: auth })
  ).json() as PublicKeyCredentialCreationOptionsJSON;
  assert.equal(
    creation.authenticatorSelection?.residentKey,
    'preferred',
    'authenticators may keep it discoverable',
  );
  const registered = await app.inject({
    method: 'POST',
    url: '/api/v1/me/two-factor/passkeys',
    headers: auth,
    payload: { response: device.register(creation) },
  });
  assert.equal(registered.statusCode, 201, registered.body);

  const browser = new Browser(app);
  const { verifier, challenge } = pkce();
  const start = await browser.request('GET', authorizeUrl(challenge));
  const uid = uidOf(String(start.headers.location));
  const page = await browser.request('GET', String(start.headers.location));
  assert.match(page.body, /id="passkey-login"/);
  assert.match(page.body, /<script src="\/auth\/passkey.js" defer><\/script>/);
  const cookie = cookieOf(start.headers['set-cookie']);

  const ask = async () => {
    const r = await app.inject({
      method: 'GET',
      url: `/auth/interaction/${uid}/passkey-login-options`,
      headers: { cookie },
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as PublicKeyCredentialRequestOptionsJSON;
  };
  const answer = (body: object) =>
    app.inject({
      method: 'POST',
      url: `/auth/interaction/${uid}/passkey-login`,
      headers: { cookie },
      payload: body,
    });

  const options = await ask();
  assert.deepEqual(options.allowCredentials ?? [], [], 'no user is named before the passkey answers');
  assert.equal(options.userVerification, 'required');

  const unverified = await answer(device.authenticate(options, { userVerified: false }));
  assert.equal(unverified.statusCode, 401, 'without user verification a passkey is not enough on its own');
  assert.equal((await answer(device.authenticate(options))).statusCode, 409, 'each challenge answers once');

  const phishing = await answer(device.authenticate(await ask(), { origin: 'https://kluis.example.evil' }));
  assert.equal(phishing.statusCode, 401, 'another origin fails');
  const stranger = new SoftAuthenticator({ origin: TEST_PUBLIC_URL });
  stranger.register({ ...creation, excludeCredentials: [] });
  assert.equal(
    (await answer(stranger.authenticate(await ask()))).statusCode,
    401,
    'an unknown passkey fails',
  );

  const good = device.authenticate(await ask());
  const ok = await answer(good);
  assert.equal(ok.statusCode, 200, ok.body);
  const { redirectTo } = ok.json() as { redirectTo: string };
  const done = await browser.follow('GET', redirectTo);
  assert.ok(done.callback?.href.startsWith(REDIRECT), done.res.body);
  const tokens = await app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      client_id: 'kluis-web',
      grant_type: 'authorization_code',
      code: done.callback?.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }).toString(),
  });
  assert.equal(tokens.statusCode, 200, tokens.body);
  const me = await app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${tokens.json().access_token}` },
  });
  assert.equal(me.json().caller.id, userId);
  assert.ok((await answer(good)).statusCode >= 400, 'the same answer cannot be used again');
  const events = await s.db.asOwner<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.signed_in' AND data->>'factor' = 'passkey_passwordless'`,
  );
  assert.equal(events[0]?.n, 1);
});
