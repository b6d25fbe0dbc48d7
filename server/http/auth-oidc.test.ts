/**
 * The embedded provider (Identity points 1, 9, 14): discovery at /oidc, asymmetric signing keys
 * rotated without breaking issued tokens, client-credentials for API clients with hashed secrets,
 * and revoked clients' tokens refused at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { type App, buildApp } from '../app.ts';
import type { Ctx } from '../context.ts';
import { createApiClient, revokeApiClient } from '../modules/clients/index.ts';
import { rotateSigningKey } from '../modules/identity/signing-keys.ts';
import { makeServices, makeTenant, type TestServices } from '../test/harness.ts';

let s: TestServices;
let app: App;
let a: Ctx;

before(async () => {
  s = await makeServices();
  // The provider stamps tokens with the wall clock; the API checks them with the injected one.
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s }));
  await app.ready();
  // Acting as the business's owner: only owners and admins manage API clients.
  a = { ...(await makeTenant(s, 'A')), access: { role: 'owner', scopes: [] } };
});
after(async () => {
  await app.close();
  await s.close();
});

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function tokenFor(target: App, id: string, secret: string, extra = '') {
  return target.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
    payload: `grant_type=client_credentials${extra}`,
  });
}

const me = (target: App, token: string) =>
  target.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

describe('discovery and keys', () => {
  test('discovery at /oidc/.well-known/openid-configuration names the issuer, ES256 and S256 only', async () => {
    const res = await app.inject({ method: 'GET', url: '/oidc/.well-known/openid-configuration' });
    assert.equal(res.statusCode, 200, res.body);
    const doc = res.json();
    assert.equal(doc.issuer, 'http://localhost:5005/oidc');
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.ok(doc.grant_types_supported.includes('client_credentials'));
    assert.match(doc.jwks_uri, /\/oidc\/jwks$/);
    assert.match(res.headers['content-security-policy'] as string, /default-src 'self'/);
  });

  test('the JWKS publishes public EC keys only', async () => {
    const res = await app.inject({ method: 'GET', url: '/oidc/jwks' });
    const { keys } = res.json() as { keys: Record<string, string>[] };
    assert.ok(keys.length >= 1);
    for (const k of keys) {
      assert.equal(k.kty, 'EC');
      assert.equal(k.d, undefined, 'no private part');
    }
  });
});

describe('client credentials', () => {
  test('grant_type=client_credentials alone returns a JWT access token the API accepts', async () => {
    const { clientId, clientSecret } = await createApiClient(a, {
      name: 'Boekhoudkoppeling',
      scopes: ['customers:read', 'invoices:read'],
    });
    const res = await tokenFor(app, clientId, clientSecret);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(decodeProtectedHeader(body.access_token).typ, 'at+jwt');
    assert.equal(decodeProtectedHeader(body.access_token).alg, 'ES256');
    const who = await me(app, body.access_token);
    assert.equal(who.statusCode, 200, who.body);
    assert.deepEqual(who.json(), {
      caller: { type: 'client', id: clientId },
      business: { id: a.tenantId },
      role: null,
      scopes: ['customers:read', 'invoices:read'],
      memberships: [],
    });
  });

  test('a narrower scope may be asked for; a scope the client lacks is refused', async () => {
    const { clientId, clientSecret } = await createApiClient(a, {
      name: 'Lezer',
      scopes: ['customers:read'],
    });
    const narrow = await tokenFor(app, clientId, clientSecret, '&scope=customers%3Aread');
    assert.equal(narrow.statusCode, 200, narrow.body);
    assert.equal(narrow.json().scope, 'customers:read');
    const wider = await tokenFor(app, clientId, clientSecret, '&scope=invoices%3Awrite');
    assert.equal(wider.statusCode, 400);
    assert.equal(wider.json().error, 'invalid_scope');
  });

  test('a wrong secret, or an unknown client, gets invalid_client', async () => {
    const { clientId } = await createApiClient(a, { name: 'X', scopes: ['customers:read'] });
    const wrong = await tokenFor(app, clientId, 'kls_not-the-secret');
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error, 'invalid_client');
    const unknown = await tokenFor(app, '01900000-0000-7000-8000-000000000000', 'kls_x');
    assert.equal(unknown.statusCode, 401);
  });

  test("a revoked client's tokens stop working at once, and it gets no new ones", async () => {
    const { clientId, clientSecret } = await createApiClient(a, { name: 'Oud', scopes: ['customers:read'] });
    const token = (await tokenFor(app, clientId, clientSecret)).json().access_token as string;
    assert.equal((await me(app, token)).statusCode, 200);
    await revokeApiClient(a, clientId);
    const res = await me(app, token);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'token_invalid');
    assert.equal((await tokenFor(app, clientId, clientSecret)).statusCode, 401);
  });

  test('the secret is stored only as a hash', async () => {
    const { clientId, clientSecret } = await createApiClient(a, { name: 'Hash', scopes: ['invoices:read'] });
    const rows = await s.db.asOwner<{ secret_hash: Buffer }>(
      'SELECT secret_hash FROM api_clients WHERE id = $1',
      [clientId],
    );
    assert.equal(rows.length, 1);
    assert.ok(!Buffer.from(rows[0]!.secret_hash).includes(Buffer.from(clientSecret)));
    assert.equal(Buffer.from(rows[0]!.secret_hash).length, 32);
  });
});

describe('signing key rotation', () => {
  test('tokens signed before a rotation stay valid; after a restart new tokens use the new key', async () => {
    const { clientId, clientSecret } = await createApiClient(a, { name: 'Rot', scopes: ['customers:read'] });
    const before = (await tokenFor(app, clientId, clientSecret)).json().access_token as string;
    const { kid, retired } = await rotateSigningKey(s);
    assert.ok(retired.includes(decodeProtectedHeader(before).kid as string));
    // A restarted process (a second app on the same database) signs with the new key.
    const { app: restarted } = await buildApp({ services: s });
    await restarted.ready();
    try {
      const afterToken = (await tokenFor(restarted, clientId, clientSecret)).json().access_token as string;
      assert.equal(decodeProtectedHeader(afterToken).kid, kid);
      // The running app learns the new key when a token names it (at most every 5 s).
      s.clock.advance(6_000);
      for (const target of [app, restarted]) {
        assert.equal((await me(target, before)).statusCode, 200, 'old token still valid');
        assert.equal((await me(target, afterToken)).statusCode, 200, 'new token valid');
      }
      const jwks = (await restarted.inject({ method: 'GET', url: '/oidc/jwks' })).json();
      const kids = jwks.keys.map((k: { kid: string }) => k.kid);
      assert.ok(kids.includes(kid) && kids.includes(decodeProtectedHeader(before).kid));
    } finally {
      await restarted.close();
    }
  });
});
