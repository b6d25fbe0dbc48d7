/**
 * The web app calls the provider's token endpoint from the browser, which sends an Origin header:
 * the provider accepts exactly the app's own origin for the web client, and refuses every other.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type App, buildApp } from '../app.ts';
import { makeServices, type TestServices } from '../test/harness.ts';

let s: TestServices;
let app: App;
before(async () => {
  s = await makeServices();
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s, identity: { publicUrl: 'http://localhost:5005' } }));
  await app.ready();
});
after(async () => {
  await app.close();
  await s.close();
});

const tokenFrom = (origin: string) =>
  app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    payload: new URLSearchParams({
      client_id: 'kluis-web',
      grant_type: 'refresh_token',
      refresh_token: 'not-a-token',
    }).toString(),
  });

test("the web client may call the token endpoint from the app's origin, and from no other", async () => {
  const own = await tokenFrom('http://localhost:5005');
  assert.equal(own.statusCode, 400);
  assert.equal(own.json().error, 'invalid_grant', 'the origin passed; only the made-up token is refused');
  assert.equal(own.headers['access-control-allow-origin'], 'http://localhost:5005');

  const other = await tokenFrom('https://evil.example');
  assert.equal(other.statusCode, 400);
  assert.equal(other.json().error, 'invalid_request');
  assert.match(other.json().error_description, /origin .* not allowed/);
});
