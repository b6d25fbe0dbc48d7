/**
 * auth — what API authentication costs (Identity point 11): GET /api/v1/me with a bearer token
 * (signature verified once, then cached until expiry; membership read from the database on every
 * request) against the same handler mounted without authentication, in the same app and run.
 * Also the price of a first verification: distinct tokens, each checked against the JWKS once.
 */
import { performance } from 'node:perf_hooks';
import { buildApp } from '../server/app.ts';
import { addMember, mintAccessToken } from '../server/modules/identity/testing.ts';
import { makeServices, makeTenant } from '../server/test/harness.ts';

/** Runs the benchmark and returns its numbers. */
export async function benchAuth(): Promise<Record<string, number | string>> {
  const REQUESTS = 3_000;
  const FRESH = 500;
  const s = await makeServices();
  s.clock.set(new Date());
  const { app } = await buildApp({ services: s });
  const tenant = await makeTenant(s, 'Bench B.V.');
  const userId = await addMember(s, tenant.tenantId, 'owner');
  // The same answer as /api/v1/me, without the authentication hook (outside /api).
  app.get('/bench/me', async () => ({
    caller: { type: 'user', id: userId },
    business: { id: tenant.tenantId },
    role: 'owner',
    scopes: ['openid'],
  }));
  await app.ready();
  const token = await mintAccessToken(s, { sub: userId, kluis_tenant: tenant.tenantId });
  const headers = { authorization: `Bearer ${token}` };
  const rate = async (url: string, h: Record<string, string>) => {
    for (let i = 0; i < 200; i++) await app.inject({ method: 'GET', url, headers: h }); // warm-up
    const t = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      const res = await app.inject({ method: 'GET', url, headers: h });
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
    }
    return REQUESTS / ((performance.now() - t) / 1000);
  };
  const bare = await rate('/bench/me', {});
  const authed = await rate('/api/v1/me', headers);
  const tokens = await Promise.all(
    Array.from({ length: FRESH }, () => mintAccessToken(s, { sub: userId, kluis_tenant: tenant.tenantId })),
  );
  const t = performance.now();
  for (const tk of tokens)
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${tk}` } });
  const fresh = FRESH / ((performance.now() - t) / 1000);
  await app.close();
  await s.close();
  const r = {
    database: s.db.kind,
    unauthenticatedPerSecond: Math.round(bare),
    authenticatedCachedPerSecond: Math.round(authed),
    authenticatedFirstUsePerSecond: Math.round(fresh),
    cachedRatio: Number((bare / authed).toFixed(2)),
  };
  console.log(
    `auth (${r.database}): GET /api/v1/me ${r.authenticatedCachedPerSecond}/s with a cached token, ` +
      `${r.authenticatedFirstUsePerSecond}/s with a new token each time, vs ${r.unauthenticatedPerSecond}/s ` +
      `without authentication (${r.cachedRatio}×)`,
  );
  return r;
}
