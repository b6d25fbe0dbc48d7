/**
 * Consent for interactive API clients over HTTP (Identity point 2, ADR 0017): an owner registers a
 * client with redirect URIs; a person it sends through /oidc/auth signs in and sees the Kluis consent
 * page in Dutch or English naming the client, the business and each scope; approving gives a code
 * and a token that works on the API with only the approved scopes; denying returns access_denied;
 * both are audited; the web app's own flow still asks nothing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { createIdentityRuntime } from './runtime.ts';
import { authorizeUrl, Browser, mintAccessToken, pkce, uidOf } from './testing.ts';

let s: TestServices;
let app: App;
const meta = { ip: '203.0.113.14', requestId: null };
const PASSWORD = 'oranje kat slaapt op de bank';
const CB = 'https://boekhouder.example/kluis/callback';

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
  const email = `c-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const r = await signUp(
    createIdentityRuntime(s),
    { email, password: PASSWORD, businessName, locale: 'nl' },
    meta,
  );
  return { ...r, email, token: await mintAccessToken(s, { sub: r.userId, kluis_tenant: r.tenantId }) };
}

const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

async function interactiveClient(owner: { token: string }, scopes: string[]) {
  const created = await call('POST', '/api/v1/clients', owner.token, {
    name: 'Boekhoudpakket <Demo>',
    scopes,
    redirectUris: [CB, 'http://127.0.0.1:8765/cb'],
  });
  assert.equal(created.statusCode, 201, created.body);
  return created.json() as { clientId: string; clientSecret: string };
}

function authorize(clientId: string, challenge: string, scope: string) {
  const q = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: CB,
    scope,
    state: 'derde',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `/oidc/auth?${q}`;
}

/** Follows redirects until a page answers or the third party's callback is reached. */
async function follow(browser: Browser, method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  let res = await browser.request(method, url, form);
  for (let i = 0; i < 10 && res.statusCode >= 300 && res.statusCode < 400; i++) {
    const location = String(res.headers.location);
    if (location.startsWith(CB)) return { res, callback: new URL(location) };
    res = await browser.request('GET', location);
  }
  return { res, callback: undefined };
}

/** Starts the third party's request and signs in; returns the consent page. */
async function signInFor(
  browser: Browser,
  clientId: string,
  email: string,
  challenge: string,
  scope: string,
) {
  const start = await follow(browser, 'GET', authorize(clientId, challenge, scope));
  assert.equal(start.res.statusCode, 200, start.res.body);
  const uid = uidOf(start.res.body);
  assert.ok(uid);
  const login = await follow(browser, 'POST', `/auth/interaction/${uid}/login`, {
    email,
    password: PASSWORD,
    lang: 'nl',
  });
  return { ...login, uid: uidOf(login.res.body) };
}

const exchange = (clientId: string, secret: string, code: string, verifier: string) =>
  app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CB,
      code_verifier: verifier,
    }).toString(),
  });

const auditOf = async (tenantId: string) =>
  (
    await s.db.asOwner<{ action: string; actor_type: string; target_id: string }>(
      "SELECT action, actor_type, target_id FROM audit_events WHERE tenant_id = $1 AND action LIKE 'consent.%' ORDER BY seq",
      [tenantId],
    )
  ).map((r) => `${r.action}/${r.actor_type}/${r.target_id}`);

describe('registering an interactive client', () => {
  test('redirect URIs must be https or loopback http, without fragments; scopes only API scopes', async () => {
    const owner = await person('Registratie B.V.');
    for (const bad of [
      'http://boekhouder.example/cb',
      'https://x.example/cb#frag',
      'javascript:alert(1)',
      'cb',
    ]) {
      const res = await call('POST', '/api/v1/clients', owner.token, {
        name: 'X',
        scopes: ['customers:read'],
        redirectUris: [bad],
      });
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json().error.code, 'validation_failed');
    }
    const openid = await call('POST', '/api/v1/clients', owner.token, {
      name: 'X',
      scopes: ['openid'],
      redirectUris: [CB],
    });
    assert.equal(openid.statusCode, 400);
    const ok = await interactiveClient(owner, ['customers:read']);
    const listed = (await call('GET', '/api/v1/clients', owner.token)).json() as {
      id: string;
      redirectUris: string[];
    }[];
    assert.deepEqual(listed.find((c) => c.id === ok.clientId)?.redirectUris, [
      CB,
      'http://127.0.0.1:8765/cb',
    ]);
    const credentials = await app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${ok.clientId}:${ok.clientSecret}`).toString('base64')}`,
      },
      payload: 'grant_type=client_credentials&scope=customers:read',
    });
    assert.equal(credentials.statusCode, 400, 'an interactive client acts only for a person');
  });
});

describe('the consent page', () => {
  test('Dutch and English, names client, business and scopes; approve gives only the approved scopes', async () => {
    const owner = await person('Consent & Co B.V.');
    const other = await person('Ander B.V.');
    await call('POST', '/api/v1/customers', owner.token, { kind: 'person', name: 'Klant van Consent' });
    const client = await interactiveClient(owner, ['customers:read', 'invoices:read', 'customers:write']);
    const browser = new Browser(app);
    const { verifier, challenge } = pkce();
    const scope = 'openid customers:read invoices:read customers:write';
    const page = await signInFor(browser, client.clientId, owner.email, challenge, scope);
    assert.equal(page.callback, undefined, 'no code before consent');
    assert.equal(page.res.statusCode, 200, page.res.body);
    const nl = page.res.body;
    assert.match(nl, /<html lang="nl">/);
    assert.match(nl, /Toegang geven\?/);
    assert.match(nl, /Boekhoudpakket &lt;Demo&gt;/, 'the client is named, escaped');
    assert.match(nl, /Consent &amp; Co B\.V\./, 'the business is named');
    assert.match(nl, /Je klanten bekijken/);
    assert.match(nl, /Je facturen bekijken/);
    assert.match(nl, /Klanten aanmaken en wijzigen/);
    assert.match(nl, /Toestaan/);
    assert.match(nl, /Weigeren/);
    assert.doesNotMatch(nl, /<script|<style|style=/);
    assert.match(nl, /href="\/auth\/kluis.css"/);

    const en = await browser.request('GET', `/auth/interaction/${page.uid}?lang=en`);
    assert.equal(en.statusCode, 200);
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /Give access\?/);
    assert.match(en.body, /Boekhoudpakket &lt;Demo&gt;/);
    assert.match(en.body, /See your customers/);
    assert.match(en.body, /Create and change customers/);
    assert.match(en.body, /Allow/);
    assert.match(en.body, /Deny/);
    assert.doesNotMatch(en.body, /<script|<style|style=/);

    // Approve reading customers only; the other two are unchecked.
    const approved = await follow(browser, 'POST', `/auth/interaction/${page.uid}/consent`, {
      lang: 'en',
      decision: 'approve',
      'scope:customers:read': 'on',
    });
    assert.ok(approved.callback, approved.res.body);
    assert.equal(approved.callback.searchParams.get('state'), 'derde');
    const code = approved.callback.searchParams.get('code') ?? '';
    assert.ok(code);
    const wrongSecret = await exchange(client.clientId, 'kls_wrong', code, verifier);
    assert.equal(wrongSecret.statusCode, 401);
    const tokens = await exchange(client.clientId, client.clientSecret, code, verifier);
    assert.equal(tokens.statusCode, 200, tokens.body);
    const { access_token: at, scope: granted } = tokens.json() as { access_token: string; scope: string };
    assert.deepEqual(
      granted.split(' ').filter((x) => x !== 'openid'),
      ['customers:read'],
    );

    const customers = await call('GET', '/api/v1/customers', at);
    assert.equal(customers.statusCode, 200, customers.body);
    assert.ok(
      (customers.json() as { items: { name: string }[] }).items.some((c) => c.name === 'Klant van Consent'),
    );
    const write = await call('POST', '/api/v1/customers', at, { kind: 'person', name: 'Niet toegestaan' });
    assert.equal(write.statusCode, 403, 'customers:write was not approved');
    assert.equal(
      (await call('GET', '/api/v1/invoices', at)).statusCode,
      403,
      'invoices:read was not approved',
    );
    assert.equal(
      (await call('GET', '/api/v1/clients', at)).statusCode,
      403,
      'acting for an owner never gives the owner role',
    );

    // The approval is remembered in the grant: the same request again asks nothing.
    const again = pkce();
    const second = await follow(browser, 'GET', authorize(client.clientId, again.challenge, scope));
    assert.ok(second.callback, 'no consent page for what the grant already holds or refused');

    // Another business's person is refused by this business's client.
    const stranger = new Browser(app);
    const theirs = await signInFor(stranger, client.clientId, other.email, pkce().challenge, scope);
    assert.equal(theirs.res.statusCode, 403);
    assert.equal(theirs.callback, undefined);

    assert.deepEqual(await auditOf(owner.tenantId), [`consent.granted/user/${client.clientId}`]);
    assert.deepEqual(await auditOf(other.tenantId), []);

    // Revoking the client stops the token it holds for the person at once.
    const revoked = await call('POST', `/api/v1/clients/${client.clientId}/revoke`, owner.token);
    assert.equal(revoked.statusCode, 204);
    assert.equal((await call('GET', '/api/v1/customers', at)).statusCode, 401);
  });

  test('deny returns access_denied to the client and is audited', async () => {
    const owner = await person('Weigeraar B.V.');
    const client = await interactiveClient(owner, ['invoices:read']);
    const browser = new Browser(app);
    const page = await signInFor(
      browser,
      client.clientId,
      owner.email,
      pkce().challenge,
      'openid invoices:read',
    );
    assert.equal(page.res.statusCode, 200);
    const denied = await follow(browser, 'POST', `/auth/interaction/${page.uid}/consent`, {
      lang: 'nl',
      decision: 'deny',
      'scope:invoices:read': 'on',
    });
    assert.ok(denied.callback, denied.res.body);
    assert.equal(denied.callback.searchParams.get('error'), 'access_denied');
    assert.equal(denied.callback.searchParams.get('code'), null);
    assert.equal(denied.callback.searchParams.get('state'), 'derde');
    assert.deepEqual(await auditOf(owner.tenantId), [`consent.denied/user/${client.clientId}`]);
  });

  test('the web app still signs in without a consent page', async () => {
    const owner = await person('Eigen App B.V.');
    const browser = new Browser(app);
    const start = await browser.follow('GET', authorizeUrl(pkce().challenge));
    const uid = uidOf(start.res.body);
    const login = await browser.follow('POST', `/auth/interaction/${uid}/login`, {
      email: owner.email,
      password: PASSWORD,
      lang: 'nl',
    });
    assert.ok(login.callback, login.res.body);
    assert.ok(login.callback.searchParams.get('code'));
    assert.deepEqual(await auditOf(owner.tenantId), []);
  });
});
