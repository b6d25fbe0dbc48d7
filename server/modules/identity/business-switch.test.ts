/**
 * Switching between businesses (Identity point 2): a person in several businesses chooses one
 * after signing in, or the web app asks for one with `kluis_business`; the access token's business
 * follows, and a token for business B gives B's data and never A's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import { inTenant } from '../../db/transactions.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { insertMembership } from './memberships.repo.ts';
import { createIdentityRuntime } from './runtime.ts';
import { authorizeUrl, Browser, mintAccessToken, pkce, REDIRECT, uidOf } from './testing.ts';

let s: TestServices;
let app: App;
const meta = { ip: '203.0.113.12', requestId: null };
const PASSWORD = 'zilveren vis zwemt door de gracht';

before(async () => {
  s = await makeServices();
  s.clock.set(new Date()); // the provider stamps tokens with the wall clock
  ({ app } = await buildApp({ services: s }));
  await app.ready();
});
after(async () => {
  await app.close();
  await s.close();
});

async function person(businessName: string) {
  const email = `z-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const r = await signUp(
    createIdentityRuntime(s),
    { email, password: PASSWORD, businessName, locale: 'nl' },
    meta,
  );
  return { ...r, email, token: await mintAccessToken(s, { sub: r.userId, kluis_tenant: r.tenantId }) };
}

const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

const tokenRequest = (form: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: 'kluis-web', ...form }).toString(),
  });

async function exchange(callback: URL, verifier: string) {
  const t = await tokenRequest({
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') ?? '',
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  assert.equal(t.statusCode, 200, t.body);
  return t.json() as { access_token: string; refresh_token: string };
}

const customerIds = async (token: string) =>
  ((await call('GET', '/api/v1/customers?limit=200', token)).json() as { items: { id: string }[] }).items.map(
    (c) => c.id,
  );

describe('switching between businesses', () => {
  test('choose after sign-in, switch with kluis_business; tokens for B give B and never A', async () => {
    const me = await person('Alfa B.V.');
    const other = await person('Bravo B.V.');
    const stranger = await person('Charlie B.V.');
    const A = me.tenantId;
    const B = other.tenantId;
    await inTenant(s.db, B, (tx) => insertMembership(tx, B, me.userId, 'admin', s.clock.now()));
    const inA = (
      await call('POST', '/api/v1/customers', me.token, { kind: 'person', name: 'Klant van A' })
    ).json();
    const inB = (
      await call('POST', '/api/v1/customers', other.token, { kind: 'person', name: 'Klant van B' })
    ).json();
    assert.ok(inA.id && inB.id);

    // Sign in without naming a business: the chooser lists the person's businesses, and only those.
    const browser = new Browser(app);
    const first = pkce();
    const start = await browser.follow('GET', authorizeUrl(first.challenge));
    const uid = uidOf(start.res.body);
    const login = await browser.follow('POST', `/auth/interaction/${uid}/login`, {
      email: me.email,
      password: PASSWORD,
      lang: 'nl',
    });
    assert.equal(login.callback, undefined);
    assert.equal(login.res.statusCode, 200);
    assert.match(login.res.body, /Kies een bedrijf/);
    assert.match(login.res.body, /Alfa B\.V\. · eigenaar/);
    assert.match(login.res.body, /Bravo B\.V\. · beheerder/);
    assert.doesNotMatch(login.res.body, /Charlie/);
    assert.doesNotMatch(login.res.body, /<script|<style|style=/);
    const chooser = uidOf(login.res.body);

    const foreign = await browser.request('POST', `/auth/interaction/${chooser}/business`, {
      business: stranger.tenantId,
    });
    assert.equal(foreign.statusCode, 400, 'a business the person does not belong to is refused');
    const chose = await browser.follow('POST', `/auth/interaction/${chooser}/business`, { business: B });
    assert.ok(chose.callback, chose.res.body);
    const forB = await exchange(chose.callback, first.verifier);

    const whoB = (await call('GET', '/api/v1/me', forB.access_token)).json();
    assert.equal(whoB.business.id, B);
    assert.equal(whoB.role, 'admin');
    assert.deepEqual(
      whoB.memberships.map((m: { business: { id: string; name: string }; role: string }) => [
        m.business.id,
        m.business.name,
        m.role,
      ]),
      [
        [A, 'Alfa B.V.', 'owner'],
        [B, 'Bravo B.V.', 'admin'],
      ],
    );
    const seenB = await customerIds(forB.access_token);
    assert.ok(seenB.includes(inB.id));
    assert.ok(!seenB.includes(inA.id), "B's token lists none of A's customers");
    assert.equal((await call('GET', `/api/v1/customers/${inA.id}`, forB.access_token)).statusCode, 404);

    // Switch to A: the session signs in without a form; the new grant is for A.
    const second = pkce();
    const toA = await browser.follow('GET', `${authorizeUrl(second.challenge)}&kluis_business=${A}`);
    assert.ok(toA.callback, toA.res.body);
    const forA = await exchange(toA.callback, second.verifier);
    const whoA = (await call('GET', '/api/v1/me', forA.access_token)).json();
    assert.equal(whoA.business.id, A);
    assert.equal(whoA.role, 'owner');
    const seenA = await customerIds(forA.access_token);
    assert.ok(seenA.includes(inA.id) && !seenA.includes(inB.id));
    assert.equal((await call('GET', `/api/v1/customers/${inB.id}`, forA.access_token)).statusCode, 404);

    // Refreshed tokens stay with their grant's business; B's tokens still work for B only.
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: forA.refresh_token });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    assert.equal((await call('GET', '/api/v1/me', refreshed.json().access_token)).json().business.id, A);
    assert.equal((await call('GET', '/api/v1/me', forB.access_token)).json().business.id, B);

    // Asking again for the business the session's grant is for signs in silently.
    const third = pkce();
    const sameA = await browser.follow('GET', `${authorizeUrl(third.challenge)}&kluis_business=${A}`);
    assert.ok(sameA.callback);
    assert.equal(
      (await call('GET', '/api/v1/me', (await exchange(sameA.callback, third.verifier)).access_token)).json()
        .business.id,
      A,
    );

    // Naming a business the person does not belong to never yields its tokens: the chooser shows.
    const fourth = pkce();
    const toC = await browser.follow(
      'GET',
      `${authorizeUrl(fourth.challenge)}&kluis_business=${stranger.tenantId}`,
    );
    assert.equal(toC.callback, undefined);
    assert.match(toC.res.body, /Kies een bedrijf/);
  });

  test('a person with one business is never asked', async () => {
    const only = await person('Delta B.V.');
    const browser = new Browser(app);
    const { verifier, challenge } = pkce();
    const start = await browser.follow('GET', authorizeUrl(challenge));
    const done = await browser.follow('POST', `/auth/interaction/${uidOf(start.res.body)}/login`, {
      email: only.email,
      password: PASSWORD,
    });
    assert.ok(done.callback, done.res.body);
    const tokens = await exchange(done.callback, verifier);
    const who = (await call('GET', '/api/v1/me', tokens.access_token)).json();
    assert.equal(who.business.id, only.tenantId);
    assert.equal(who.memberships.length, 1);
  });
});

describe('consent', () => {
  test('a client-credentials client cannot reach an interactive sign-in (interactive clients: consent.test.ts)', async () => {
    const owner = await person('Echo B.V.');
    const created = await call('POST', '/api/v1/clients', owner.token, {
      name: 'Koppeling',
      scopes: ['customers:read'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const { clientId } = created.json() as { clientId: string };
    const { challenge } = pkce();
    for (const redirect of ['https://derde.example/cb', REDIRECT]) {
      const q = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: redirect,
        scope: 'openid customers:read',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const res = await new Browser(app).request('GET', `/oidc/auth?${q}`);
      assert.equal(res.statusCode, 400, 'a client without redirect URIs has no authorization-code flow');
      assert.equal(res.headers.location, undefined, 'and is never sent to a sign-in or consent page');
      assert.match(res.body, /Er ging iets mis/);
    }
  });
});
