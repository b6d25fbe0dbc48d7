/**
 * An external issuer (Identity point 10): with OIDC_ISSUER configured the API trusts that issuer's
 * keys, found through its discovery document, and the embedded provider is off. The issuer here is
 * a tiny JWKS server on 127.0.0.1 started by the test, signing with jose.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { type App, buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Ctx } from '../context.ts';
import { addMember } from '../modules/identity/testing.ts';
import { makeServices, makeTenant, type TestServices } from '../test/harness.ts';
import { identityOptionsFrom } from './auth-setup.ts';

let s: TestServices;
let issuerServer: Server;
let issuer: string;
let signingKey: CryptoKey;
let otherKey: CryptoKey;
const AUDIENCE = 'kluis-api';
let a: Ctx;

async function startIssuer(): Promise<void> {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'ext-1', alg: 'ES256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/realms/kluis/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
    } else if (req.url === '/realms/kluis/protocol/openid-connect/certs') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  const { port } = issuerServer.address() as { port: number };
  issuer = `http://127.0.0.1:${port}/realms/kluis`;
}

function sign(claims: JWTPayload, key = signingKey, kid = 'ext-1'): Promise<string> {
  const nowS = Math.floor(s.clock.now().getTime() / 1000);
  return new SignJWT({ iss: issuer, aud: AUDIENCE, iat: nowS, exp: nowS + 300, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .sign(key);
}

async function appWith(env: Record<string, string>): Promise<App> {
  const config = loadConfig({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE, ...env });
  const { app } = await buildApp({ services: s, identity: identityOptionsFrom(config) });
  await app.ready();
  return app;
}

const me = (app: App, token: string) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

before(async () => {
  s = await makeServices();
  await startIssuer();
  a = await makeTenant(s, 'A');
});
after(async () => {
  await new Promise((resolve) => issuerServer.close(resolve));
  await s.close();
});

describe('external issuer', () => {
  test("tokens of the external issuer are accepted; the role comes from Kluis's memberships", async () => {
    const app = await appWith({});
    try {
      const userId = await addMember(s, a.tenantId, 'bookkeeper');
      const res = await me(app, await sign({ sub: userId, kluis_tenant: a.tenantId, scope: 'openid' }));
      assert.equal(res.statusCode, 200, res.body);
      const { memberships, ...rest } = res.json();
      assert.deepEqual(rest, {
        caller: { type: 'user', id: userId },
        business: { id: a.tenantId },
        role: 'bookkeeper',
        scopes: ['openid'],
      });
      assert.deepEqual(
        memberships.map((m: { business: { id: string }; role: string }) => [m.business.id, m.role]),
        [[a.tenantId, 'bookkeeper']],
      );
    } finally {
      await app.close();
    }
  });

  test('claim mapping: business, role and scopes from claims named by the configuration', async () => {
    const app = await appWith({
      OIDC_TENANT_CLAIM: 'org',
      OIDC_ROLE_CLAIM: 'kluis_role',
      OIDC_SCOPE_CLAIM: 'scp',
    });
    try {
      const token = await sign({
        sub: 'keycloak-user-7',
        org: a.tenantId,
        kluis_role: 'admin',
        scp: ['invoices:read'],
      });
      const res = await me(app, token);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().role, 'admin');
      assert.deepEqual(res.json().scopes, ['invoices:read']);
      const noRole = await me(app, await sign({ sub: 'u', org: a.tenantId, kluis_role: 'superuser' }));
      assert.equal(noRole.statusCode, 403);
    } finally {
      await app.close();
    }
  });

  test('the embedded provider is off, and its tokens or foreign keys are refused', async () => {
    const app = await appWith({});
    try {
      const discovery = await app.inject({ method: 'GET', url: '/oidc/.well-known/openid-configuration' });
      assert.equal(discovery.statusCode, 404);
      const userId = await addMember(s, a.tenantId, 'owner');
      const forged = await sign({ sub: userId, kluis_tenant: a.tenantId }, otherKey);
      assert.equal((await me(app, forged)).statusCode, 401);
      const wrongIss = await sign({
        sub: userId,
        kluis_tenant: a.tenantId,
        iss: 'http://localhost:5005/oidc',
      });
      assert.equal((await me(app, wrongIss)).statusCode, 401);
    } finally {
      await app.close();
    }
  });

  test('an external issuer off loopback must be https and on the allow-list', () => {
    assert.throws(
      () => loadConfig({ OIDC_ISSUER: 'http://idp.example.com/realms/x', OIDC_AUDIENCE: 'k' }),
      /OIDC_ISSUER host idp.example.com is not in KLUIS_ALLOWED_HOSTS[\s\S]*OIDC_ISSUER must use TLS/,
    );
    assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://idp.example.eu' }), /OIDC_AUDIENCE is required/);
  });
});
