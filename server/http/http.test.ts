/**
 * The HTTP platform (Foundation points 13 and 14): one error shape with stable codes for anything
 * a client can send, no internals in a 500, strict security headers, opt-in rate limits, request
 * ids, and logs without personal data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { type App, buildApp, type Lifecycle } from '../app.ts';
import { makeServices, type TestServices } from '../test/harness.ts';

let s: TestServices;
let app: App;
let lifecycle: Lifecycle;

before(async () => {
  s = await makeServices();
  ({ app, lifecycle } = await buildApp({ services: s, bodyLimit: 1024 }));
  // Test-only routes standing in for real ones: a schema-validated POST, a rate-limited route and a bug.
  app.post(
    '/t/echo',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1 }, n: { type: 'integer' } },
        },
      },
    },
    async (req) => req.body,
  );
  app.get('/t/limited', { config: { rateLimit: { max: 3, timeWindow: 60_000 } } }, async () => ({
    ok: true,
  }));
  app.get('/t/bug', async () => {
    // A database error quoting a client's value, as PostgreSQL does.
    throw Object.assign(new Error('invalid input syntax for type uuid: "jan@example.nl"'), {
      code: '22P02',
      severity: 'ERROR',
    });
  });
  await app.ready();
});
after(async () => {
  await app.close();
  await s.close();
});

const errorOf = (body: string) =>
  JSON.parse(body).error as { code: string; message: string; requestId: string; issues?: unknown[] };

describe('errors', () => {
  test('every malformed request gets a 4xx in the one shape with a stable code', async () => {
    const cases: [InjectOptions, number, string][] = [
      [
        {
          method: 'POST',
          url: '/t/echo',
          headers: { 'content-type': 'application/json' },
          payload: '{"name":',
        },
        400,
        'malformed_json',
      ],
      [
        { method: 'POST', url: '/t/echo', headers: { 'content-type': 'application/json' }, payload: '' },
        400,
        'malformed_json',
      ],
      [{ method: 'POST', url: '/t/echo', payload: { n: 'x' } }, 400, 'validation_failed'],
      [{ method: 'POST', url: '/t/echo', payload: { name: 'a', extra: 1 } }, 400, 'validation_failed'],
      [
        { method: 'POST', url: '/t/echo', headers: { 'content-type': 'text/xml' }, payload: '<a/>' },
        415,
        'unsupported_media_type',
      ],
      [{ method: 'POST', url: '/t/echo', payload: { name: 'x'.repeat(2000) } }, 413, 'payload_too_large'],
      [{ method: 'GET', url: '/no/such/route' }, 404, 'route_not_found'],
      [{ method: 'DELETE', url: '/healthz' }, 404, 'route_not_found'],
    ];
    for (const [req, status, code] of cases) {
      const res = await app.inject(req);
      assert.equal(res.statusCode, status, `${JSON.stringify(req)} → ${res.body}`);
      const err = errorOf(res.body);
      assert.equal(err.code, code);
      assert.equal(typeof err.message, 'string');
      assert.equal(err.requestId, res.headers['x-request-id']);
    }
  });

  test('validation errors list every problem with its path', async () => {
    const res = await app.inject({ method: 'POST', url: '/t/echo', payload: { name: '', n: 1.5 } });
    const err = errorOf(res.body);
    assert.equal(res.statusCode, 400);
    assert.deepEqual((err.issues as { path: string }[]).map((i) => i.path).sort(), ['n', 'name']);
  });

  test('a bug answers 500 with no internals, and the log keeps the SQLSTATE but not the quoted value', async () => {
    const res = await app.inject({ method: 'GET', url: '/t/bug?email=jan@example.nl' });
    assert.equal(res.statusCode, 500);
    const err = errorOf(res.body);
    assert.equal(err.code, 'internal_error');
    assert.doesNotMatch(res.body, /uuid|jan@example|22P02|stack/);
    const log = s.logged();
    assert.match(log, /22P02/);
    assert.doesNotMatch(log, /jan@example\.nl/, 'neither the message nor the query string reaches the log');
  });
});

describe('headers and limits', () => {
  test('security headers are on every response, HSTS only over TLS', async () => {
    for (const url of ['/healthz', '/no/such/route']) {
      const res = await app.inject({ method: 'GET', url });
      assert.match(
        String(res.headers['content-security-policy']),
        /default-src 'self'.*frame-ancestors 'none'/,
      );
      // The web app frames only PDFs from blob: URLs it made itself; plugins stay off.
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /(^|; )frame-src blob:(;|$)/);
      assert.match(csp, /(^|; )object-src 'none'(;|$)/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['strict-transport-security'], undefined, 'not over plain HTTP');
    }
  });

  test('a rate-limited route answers 429 in the error shape once its budget is spent', async () => {
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'GET', url: '/t/limited', remoteAddress: '192.0.2.9' });
      statuses.push(res.statusCode);
      last = res.body;
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.equal(errorOf(last).code, 'rate_limited');
    const other = await app.inject({ method: 'GET', url: '/t/limited', remoteAddress: '192.0.2.10' });
    assert.equal(other.statusCode, 200, 'the budget is per client address');
  });
});

describe('health', () => {
  test('/healthz is ok; /readyz is ready when migrated and 503 while draining', async () => {
    assert.deepEqual((await app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    lifecycle.draining = true;
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    lifecycle.draining = false;
    assert.equal(res.statusCode, 503);
  });

  test('/readyz is 503 when the database is not migrated or not reachable', async () => {
    const { openDatabase } = await import('../db/client.ts');
    const fresh = await openDatabase({ pgliteDir: undefined });
    const built = await buildApp({ services: { ...s, db: fresh } });
    assert.equal((await built.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'not migrated');
    await fresh.migrate();
    assert.equal((await built.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    await fresh.close();
    assert.equal((await built.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'closed');
    await built.app.close();
  });
});
