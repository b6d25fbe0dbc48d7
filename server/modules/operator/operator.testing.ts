/** Test helper: an operator created by the service who signs in through the provider with TOTP. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { generateTotp } from '../identity/factors/totp.ts';
import { type CreatedOperator, createOperator } from '../identity/operators.service.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { authorizeUrl, Browser, pkce, REDIRECT, uidOf } from '../identity/testing.ts';

/** Creates an operator and signs them in with password and TOTP; returns the account and its token. */
export async function signedInOperator(
  app: App,
  services: Services,
): Promise<{ op: CreatedOperator; email: string; token: string; refreshToken: string }> {
  const email = `ops-${randomBytes(3).toString('hex')}@kluis.test`;
  const op = await createOperator(createIdentityRuntime(services), { email });
  const browser = new Browser(app);
  const { verifier, challenge } = pkce();
  const start = await browser.request('GET', authorizeUrl(challenge));
  const uid = uidOf(String(start.headers.location));
  const step = await browser.follow('POST', `/auth/interaction/${uid}/login`, {
    email,
    password: op.password,
    lang: 'en',
  });
  assert.equal(step.callback, undefined, 'an operator never gets in on the password alone');
  const done = await browser.follow('POST', `/auth/interaction/${uid}/second-factor`, {
    code: generateTotp(op.totpSecret, services.clock.now()),
  });
  assert.ok(done.callback, done.res.body);
  const res = await app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      client_id: 'kluis-web',
      grant_type: 'authorization_code',
      code: done.callback.searchParams.get('code') ?? '',
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    }).toString(),
  });
  assert.equal(res.statusCode, 200, res.body);
  return { op, email, token: res.json().access_token, refreshToken: res.json().refresh_token };
}
