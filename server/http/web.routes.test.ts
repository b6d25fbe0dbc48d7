/**
 * The web app served by the same process (ADR 0070): index.html for `/` and browser navigations,
 * hashed assets with long caching, and the server's own paths never swallowed by the fallback.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { App } from '../app.ts';
import { installErrorHandling } from './errors.ts';
import { isAppNavigation, webRoutes } from './web.routes.ts';

const HTML = 'text/html,application/xhtml+xml';
let dir: string;
let app: App;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kluis-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Kluis app</title>');
  writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  app = Fastify() as unknown as App;
  installErrorHandling(app);
  app.get('/api/v1/known', async () => ({ ok: true }));
  await webRoutes(app, dir);
  await app.ready();
});
after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serving the web app', () => {
  test('/ and app routes answer index.html, revalidated on every load', async () => {
    for (const url of ['/', '/invoices/123', '/auth/callback?code=x&state=y', '/customers?q=a']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: HTML } });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /Kluis app/);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
  });

  test('hashed assets are served with a year of caching', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /max-age=31536000.*immutable/);
    const missing = await app.inject({ method: 'GET', url: '/assets/nope.js', headers: { accept: HTML } });
    assert.equal(missing.statusCode, 404);
  });

  test('server paths, files and non-browser requests keep their JSON 404', async () => {
    for (const url of [
      '/api/v1/nope',
      '/api',
      '/oidc/nope',
      '/healthz/x',
      '/auth/interaction/abc',
      '/auth/nope',
      '/favicon.ico',
    ]) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: HTML } });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'route_not_found', url);
    }
    const api = await app.inject({ method: 'GET', url: '/api/v1/known', headers: { accept: HTML } });
    assert.deepEqual(api.json(), { ok: true });
    const json = await app.inject({ method: 'GET', url: '/no/such/route' });
    assert.equal(json.statusCode, 404, 'a client that does not ask for HTML gets the JSON 404');
    const post = await app.inject({ method: 'POST', url: '/invoices', headers: { accept: HTML } });
    assert.equal(post.statusCode, 404);
  });

  test('isAppNavigation draws the line', () => {
    assert.equal(isAppNavigation('/settings', HTML), true);
    assert.equal(isAppNavigation('/authx', HTML), true);
    assert.equal(isAppNavigation('/auth/callback', HTML), true);
    assert.equal(isAppNavigation('/auth/callbacks', HTML), false);
    assert.equal(isAppNavigation('/apiary', HTML), true);
    assert.equal(isAppNavigation('/api/v1/x', HTML), false);
    assert.equal(isAppNavigation('/settings', 'application/json'), false);
  });
});
