/**
 * Passkeys as a second factor (Identity points 6 and 14), with the factors library's software
 * authenticator standing in for the browser: registration through the API, then a sign-in whose
 * second step a passkey answers; a wrong origin, a replayed answer and a foreign passkey fail.
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
import { createIdentityRuntime, type IdentityRuntime } from './runtime.ts';
import { authorizeUrl, Browser, mintAccessToken, pkce, REDIRECT, TEST_PUBLIC_URL, uidOf } from './testing.ts';

let s: TestServices;
let app: App;
let rt: IdentityRuntime;

before(async () => {
  s = await makeServices();
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s }));
  await app.ready();
  rt = createIdentityRuntime(s);
});
after(async () => {
  await app.close();
  await s.close();
});

test('register a passkey through the API, then answer the second step with it', async () => {
  const email = `pk-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const password = 'oranje schildpad leest de krant';
  const meta = { ip: '203.0.113.1', requestId: null };
  const { userId, tenantId } = await signUp(
    rt,
    { email, password, businessName: 'Schildpad', locale: 'en' },
    meta,
  );
  const token = await mintAccessToken(s, { sub: userId, kluis_tenant: tenantId });
  const auth = { authorization: `Bearer ${token}` };
  const device = new SoftAuthenticator({ origin: TEST_PUBLIC_URL });

  const options = await app.inject({
    method: 'POST',
    url: '/api/v1/me/two-factor/passkeys/options',
    headers: auth,
  });
  assert.equal(options.statusCode, 200, options.body);
  const creation = options.json() as PublicKeyCredentialCreationOptionsJSON;
  assert.equal(creation.rp.id, 'localhost');
  assert.notEqual(creation.user.id, userId, 'the user handle is not the user id');
  const registered = await app.inject({
    method: 'POST',
    url: '/api/v1/me/two-factor/passkeys',
    headers: auth,
    payload: { response: device.register(creation) },
  });
  assert.equal(registered.statusCode, 201, registered.body);
  const replayed = await app.inject({
    method: 'POST',
    url: '/api/v1/me/two-factor/passkeys',
    headers: auth,
    payload: { response: device.register(creation) },
  });
  assert.equal(replayed.statusCode, 409, 'a registration challenge works once');

  // Sign in: the password, then the passkey instead of a code.
  const browser = new Browser(app);
  const start = await browser.request('GET', authorizeUrl(pkce().challenge));
  const uid = uidOf(String(start.headers.location));
  const step = await browser.request('POST', `/auth/interaction/${uid}/login`, {
    email,
    password,
    lang: 'en',
  });
  assert.equal(step.statusCode, 200);
  assert.match(step.body, /<script src="\/auth\/passkey.js" defer><\/script>/);
  assert.equal((await browser.request('GET', '/auth/passkey.js')).statusCode, 200);

  const ask = async () =>
    (
      await browser.request('GET', `/auth/interaction/${uid}/passkey-options`)
    ).json() as PublicKeyCredentialRequestOptionsJSON;
  const answer = (body: object) =>
    app.inject({
      method: 'POST',
      url: `/auth/interaction/${uid}/passkey`,
      headers: { cookie: start.headers['set-cookie'] ? cookieOf(start.headers['set-cookie']) : '' },
      payload: body,
    });

  const phishing = await answer(device.authenticate(await ask(), { origin: 'https://kluis.example.evil' }));
  assert.equal(phishing.statusCode, 401, 'another origin fails');
  const stranger = new SoftAuthenticator({ origin: TEST_PUBLIC_URL });
  stranger.register({ ...creation, excludeCredentials: [] });
  const foreign = await answer(stranger.authenticate({ ...(await ask()), allowCredentials: [] }));
  assert.equal(foreign.statusCode, 401, 'a passkey of someone else fails');

  const good = device.authenticate(await ask());
  const ok = await answer(good);
  assert.equal(ok.statusCode, 200, ok.body);
  const { redirectTo } = ok.json() as { redirectTo: string };
  const done = await browser.follow('GET', redirectTo);
  assert.ok(done.callback?.href.startsWith(REDIRECT), done.res.body);
  assert.equal((await answer(good)).statusCode >= 400, true, 'the same answer cannot be used again');
});

function cookieOf(set: string | string[]): string {
  return (Array.isArray(set) ? set : [set]).map((c) => c.split(';')[0]).join('; ');
}
