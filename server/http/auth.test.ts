/**
 * API authentication (Identity points 7, 8, 11, 14): every /api route requires a valid access
 * token, the business and role come from the token and the memberships table, and the usual token
 * attacks fail with 401 (or 404 for another business's records, never data).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { base64url } from 'jose';
import { type App, buildApp } from '../app.ts';
import type { Ctx } from '../context.ts';
import { loadSigningKeys } from '../modules/identity/signing-keys.ts';
import { addMember, mintAccessToken } from '../modules/identity/testing.ts';
import { makeServices, makeTenant, type TestServices } from '../test/harness.ts';
import { type ApiRoute, isPublicApiRoute, PUBLIC_API_ROUTES } from './auth.ts';

let s: TestServices;
let app: App;
let apiRoutes: readonly ApiRoute[];
let a: Ctx;
let b: Ctx;
let ownerOfA: string;

before(async () => {
  s = await makeServices();
  ({ app, apiRoutes } = await buildApp({ services: s }));
  // Registered after the app was built, the way a careless future module might: still protected.
  app.get('/api/v1/forgot-to-protect', async () => ({ secret: 'data' }));
  await app.ready();
  a = await makeTenant(s, 'A');
  b = await makeTenant(s, 'B');
  ownerOfA = await addMember(s, a.tenantId, 'owner');
});
after(async () => {
  await app.close();
  await s.close();
});

const get = (url: string, token?: string) =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('route inventory', () => {
  test('every registered /api route answers 401 without a valid token', async () => {
    assert.ok(apiRoutes.some((r) => r.url === '/api/v1/me'));
    assert.ok(apiRoutes.some((r) => r.url === '/api/v1/forgot-to-protect'));
    const garbage = 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln';
    // The one named exception (ADR 0023): the API's description and its docs page, read-only.
    const open = apiRoutes.filter((r) => isPublicApiRoute(r.method, r.url));
    assert.deepEqual([...new Set(open.map((r) => r.url))].sort(), [
      PUBLIC_API_ROUTES.docsPrefix,
      `${PUBLIC_API_ROUTES.docsPrefix}/`,
      `${PUBLIC_API_ROUTES.docsPrefix}/json`,
      `${PUBLIC_API_ROUTES.docsPrefix}/static/*`,
      `${PUBLIC_API_ROUTES.docsPrefix}/static/index.html`,
      `${PUBLIC_API_ROUTES.docsPrefix}/static/swagger-initializer.js`,
      `${PUBLIC_API_ROUTES.docsPrefix}/yaml`,
      PUBLIC_API_ROUTES.document,
    ]);
    for (const route of open)
      assert.ok(['GET', 'HEAD'].includes(route.method), `${route.method} ${route.url}`);
    const spec = await app.inject({ method: 'GET', url: PUBLIC_API_ROUTES.document });
    assert.equal(spec.statusCode, 200);
    for (const route of apiRoutes.filter((r) => !isPublicApiRoute(r.method, r.url))) {
      const url = route.url.replace(/:[A-Za-z]+/g, '01900000-0000-7000-8000-000000000000');
      for (const token of [undefined, garbage]) {
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        assert.equal(res.statusCode, 401, `${route.method} ${route.url} answered ${res.statusCode}`);
        assert.match(res.headers['www-authenticate'] as string, /^Bearer/);
        if (route.method !== 'HEAD') assert.match(res.json().error.code, /^token_/);
      }
    }
  });

  test('unknown /api paths and odd spellings of /api are refused before routing', async () => {
    for (const url of ['/api/v1/nothing-here', '/API/v1/me', '/%61pi/v1/me', '//api/v1/me', '/api']) {
      const res = await get(url);
      assert.equal(res.statusCode, 401, url);
    }
  });
});

describe('GET /api/v1/me', () => {
  test('returns the user, the business from the token and the role from the memberships table', async () => {
    const token = await mintAccessToken(s, { sub: ownerOfA, kluis_tenant: a.tenantId, scope: 'openid' });
    const res = await get('/api/v1/me', token);
    assert.equal(res.statusCode, 200, res.body);
    const { memberships, ...rest } = res.json();
    assert.deepEqual(rest, {
      caller: { type: 'user', id: ownerOfA },
      business: { id: a.tenantId },
      role: 'owner',
      scopes: ['openid'],
    });
    assert.deepEqual(
      memberships.map((m: { business: { id: string }; role: string }) => [m.business.id, m.role]),
      [[a.tenantId, 'owner']],
    );
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('the role follows the memberships table, not the token', async () => {
    const viewer = await addMember(s, a.tenantId, 'viewer');
    const token = await mintAccessToken(s, { sub: viewer, kluis_tenant: a.tenantId, role: 'owner' });
    assert.equal((await get('/api/v1/me', token)).json().role, 'viewer');
  });

  test('a token naming business B for a member of A only is refused, and shows nothing of B', async () => {
    const token = await mintAccessToken(s, { sub: ownerOfA, kluis_tenant: b.tenantId });
    const res = await get('/api/v1/me', token);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'membership_missing');
    assert.doesNotMatch(res.body, new RegExp(b.tenantId));
  });
});

describe('token attacks', () => {
  const claims = () => ({ sub: ownerOfA, kluis_tenant: a.tenantId });
  const expectRejected = async (token: string, code = 'token_invalid') => {
    const res = await get('/api/v1/me', token);
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.json().error.code, code);
  };

  test('alg none', async () => {
    const good = await mintAccessToken(s, claims());
    const [, payload] = good.split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    await expectRejected(`${header}.${payload}.`);
  });

  test('HMAC signed with the public key as the secret', async () => {
    const [key] = await loadSigningKeys(s);
    const good = await mintAccessToken(s, claims());
    const [, payload] = good.split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: key?.kid }));
    for (const secret of [JSON.stringify(key?.publicJwk), String(key?.publicJwk.x)]) {
      const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await expectRejected(`${header}.${payload}.${sig}`);
    }
  });

  test('wrong issuer, wrong audience, wrong typ', async () => {
    await expectRejected(await mintAccessToken(s, { ...claims(), iss: 'https://evil.example/oidc' }));
    await expectRejected(await mintAccessToken(s, { ...claims(), aud: 'https://other.example/api' }));
    await expectRejected(await mintAccessToken(s, claims(), { typ: 'JWT' }));
  });

  test('expired, and not yet valid, beyond the leeway', async () => {
    const nowS = Math.floor(s.clock.now().getTime() / 1000);
    await expectRejected(
      await mintAccessToken(s, { ...claims(), iat: nowS - 900, exp: nowS - 120 }),
      'token_expired',
    );
    await expectRejected(await mintAccessToken(s, { ...claims(), nbf: nowS + 120 }));
    // Inside the leeway both are still fine.
    const res = await get('/api/v1/me', await mintAccessToken(s, { ...claims(), exp: nowS - 5 }));
    assert.equal(res.statusCode, 200);
  });

  test('a tampered payload', async () => {
    const good = await mintAccessToken(s, claims());
    const [header, , sig] = good.split('.');
    const forged = base64url.encode(
      JSON.stringify({ ...claims(), kluis_tenant: b.tenantId, exp: 9_999_999_999 }),
    );
    await expectRejected(`${header}.${forged}.${sig}`);
  });

  test('a cached token stops working when it expires', async () => {
    const nowS = Math.floor(s.clock.now().getTime() / 1000);
    const token = await mintAccessToken(s, { ...claims(), exp: nowS + 60 });
    assert.equal((await get('/api/v1/me', token)).statusCode, 200);
    s.clock.advance(120_000);
    await expectRejected(token, 'token_expired');
  });

  test('a malformed Authorization header is no token', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Basic eDp5' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'token_missing');
  });
});
