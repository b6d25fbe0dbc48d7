/**
 * The web app's sign-in over HTTP (Identity points 2, 3, 5, 14): sign up on the Kluis page,
 * authorization code with PKCE (S256) as a public client, the access token accepted by the API,
 * rotating refresh tokens, and sign-out that ends the session and revokes its tokens.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import {
  authorizeUrl,
  Browser,
  linkIn,
  pkce,
  platformMails,
  REDIRECT,
  signUpAndConfirm,
  uidOf,
} from './testing.ts';

let s: TestServices;
let app: App;

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

const token = (form: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: 'kluis-web', ...form }).toString(),
  });

const me = (accessToken: string) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${accessToken}` } });

describe('sign up and sign in with code + PKCE', () => {
  const email = `eigenaar-${randomBytes(3).toString('hex')}@voorbeeld.nl`;
  const password = 'paarse olifant danst op het dak';

  test('sign up, get a code, exchange it with the verifier, call the API, refresh, sign out', async () => {
    const browser = new Browser(app);
    const { challenge } = pkce();
    const start = await browser.request('GET', authorizeUrl(challenge));
    assert.equal(start.statusCode, 303, start.body);
    const interaction = String(start.headers.location);
    const uid = uidOf(interaction);
    assert.ok(uid);

    const login = await browser.request('GET', interaction);
    assert.equal(login.statusCode, 200);
    assert.match(login.body, /Inloggen bij Kluis/);
    assert.match(String(login.headers['content-security-policy']), /style-src 'self'/);
    assert.doesNotMatch(login.body, /<script(?! src="\/auth\/passkey.js" defer>)|<style|style=/);
    const css = await browser.request('GET', '/auth/kluis.css');
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /text\/css/);

    const weak = await browser.request('POST', `/auth/interaction/${uid}/signup`, {
      email,
      password: 'welkom123456',
      businessName: 'Olifant B.V.',
      lang: 'nl',
    });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /Controleer de velden/);

    const sent = await browser.request('POST', `/auth/interaction/${uid}/signup`, {
      email,
      password,
      businessName: 'Olifant B.V.',
      lang: 'nl',
    });
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Bevestig je e-mailadres/);
    const early = await browser.request('POST', `/auth/interaction/${uid}/login`, {
      email,
      password,
      lang: 'nl',
    });
    assert.equal(early.statusCode, 401, 'an unconfirmed account cannot sign in');
    const [mail] = await platformMails(s, email);
    assert.ok(mail);
    const link = linkIn(mail.text, 'confirm');
    assert.equal((await browser.request('GET', link.url)).statusCode, 200);
    const confirmAs = (pw: string) =>
      browser.request('POST', '/auth/confirm', { t: link.token, password: pw, lang: 'nl' });
    const wrong = await confirmAs('niet mijn wachtwoord hoor');
    assert.equal(wrong.statusCode, 401, 'confirming needs the password chosen at sign-up');
    const confirmed = await confirmAs(password);
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Account klaar/);
    assert.equal((await browser.request('GET', link.url)).statusCode, 404, 'the link works once');

    const { callback } = await browser.follow('POST', `/auth/interaction/${uid}/login`, {
      email,
      password,
      lang: 'nl',
    });
    assert.ok(callback, 'reached the redirect URI');
    assert.equal(callback.searchParams.get('state'), 'st4te');
    const code = callback.searchParams.get('code') ?? '';

    const wrongVerifier = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: pkce().verifier,
    });
    assert.equal(wrongVerifier.statusCode, 400);
    assert.equal(wrongVerifier.json().error, 'invalid_grant');

    // The code was burnt by the failed attempt: start again, now signing in.
    const second = pkce();
    const again = await browser.follow('GET', authorizeUrl(second.challenge));
    let cb = again.callback;
    if (!cb) {
      const uid2 = uidOf(String(again.res.headers.location ?? '')) || uidOf(again.res.body);
      cb = (await browser.follow('POST', `/auth/interaction/${uid2}/login`, { email, password, lang: 'nl' }))
        .callback;
    }
    assert.ok(cb);
    const tokens = await token({
      grant_type: 'authorization_code',
      code: cb.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      code_verifier: second.verifier,
    });
    assert.equal(tokens.statusCode, 200, tokens.body);
    const t = tokens.json() as { access_token: string; refresh_token: string; id_token: string };
    assert.ok(t.refresh_token && t.id_token);

    const who = await me(t.access_token);
    assert.equal(who.statusCode, 200, who.body);
    assert.equal(who.json().caller.type, 'user');
    assert.equal(who.json().role, 'owner');

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    const r = refreshed.json() as { access_token: string; refresh_token: string };
    assert.notEqual(r.refresh_token, t.refresh_token, 'refresh tokens rotate');
    const reused = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assert.equal(reused.statusCode, 400, 'a used refresh token is refused');

    // Reuse of a rotated refresh token revoked the whole grant (the provider's replay defence),
    // so sign in once more for the sign-out test.
    const third = pkce();
    const relog = await browser.follow('GET', authorizeUrl(third.challenge));
    assert.ok(relog.callback, 'the session signs in without a form');
    const fresh = (
      await token({
        grant_type: 'authorization_code',
        code: relog.callback.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        code_verifier: third.verifier,
      })
    ).json() as { access_token: string; refresh_token: string; id_token: string };
    assert.equal((await me(fresh.access_token)).statusCode, 200);

    const confirm = await browser.request(
      'GET',
      `/oidc/session/end?${new URLSearchParams({ id_token_hint: fresh.id_token, client_id: 'kluis-web' })}`,
    );
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Wil je uitloggen/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
    const out = await browser.follow('POST', '/oidc/session/end/confirm', { xsrf, logout: 'yes' });
    assert.equal(out.res.statusCode, 200, out.res.body);
    assert.match(out.res.body, /uitgelogd/);

    assert.equal((await me(fresh.access_token)).statusCode, 401, 'access token revoked with the session');
    // The revocation is audited in the person's business (just after the provider committed it).
    let revoked = 0;
    for (let i = 0; i < 50 && revoked === 0; i++) {
      const rows = await s.db.asOwner<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.tokens_revoked'`,
      );
      revoked = rows[0]?.n ?? 0;
      if (revoked === 0) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(revoked >= 1, 'user.tokens_revoked recorded');
    const afterLogout = await token({ grant_type: 'refresh_token', refresh_token: fresh.refresh_token });
    assert.equal(afterLogout.statusCode, 400, 'refresh token revoked');
    const fourth = pkce();
    const relogin = await browser.follow('GET', authorizeUrl(fourth.challenge));
    assert.equal(relogin.callback, undefined, 'the session is gone: the sign-in page shows again');
  });

  test('PKCE is required, and only S256', async () => {
    const browser = new Browser(app);
    const plain = await browser.request('GET', authorizeUrl('a'.repeat(43), 'plain'));
    assert.equal(plain.statusCode, 303);
    assert.match(String(plain.headers.location), /error=invalid_request/);
    const none = await browser.request(
      'GET',
      `/oidc/auth?${new URLSearchParams({ client_id: 'kluis-web', response_type: 'code', redirect_uri: REDIRECT, scope: 'openid' })}`,
    );
    assert.match(String(none.headers.location), /error=invalid_request/);
  });
});

describe('sign-in never reveals whether an account exists, and is rate limited', () => {
  test('wrong password and unknown account answer the same; the sixth attempt gets 429', async () => {
    const browser = new Browser(app);
    const start = await browser.request('GET', authorizeUrl(pkce().challenge));
    const uid = uidOf(String(start.headers.location));
    await browser.request('GET', String(start.headers.location));
    const email = `bestaat-${randomBytes(3).toString('hex')}@voorbeeld.nl`;
    await signUpAndConfirm(browser, s, uid, {
      email,
      password: 'groene giraffe zingt in de regen',
      businessName: 'Giraffe B.V.',
      lang: 'en',
    });

    const b2 = new Browser(app);
    const start2 = await b2.request('GET', authorizeUrl(pkce().challenge));
    const uid2 = uidOf(String(start2.headers.location));
    const known = await b2.request('POST', `/auth/interaction/${uid2}/login`, {
      email,
      password: 'wrong password!!',
      lang: 'en',
    });
    const unknown = await b2.request('POST', `/auth/interaction/${uid2}/login`, {
      email: 'niemand@voorbeeld.nl',
      password: 'wrong password!!',
      lang: 'en',
    });
    assert.equal(known.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.equal(
      known.body.replace(/value="[^"]*@[^"]*"/, ''),
      unknown.body.replace(/value="[^"]*@[^"]*"/, ''),
    );

    for (let i = 0; i < 4; i++) {
      const r = await b2.request('POST', `/auth/interaction/${uid2}/login`, {
        email,
        password: 'still wrong!!',
        lang: 'en',
      });
      assert.equal(r.statusCode, 401);
    }
    const limited = await b2.request('POST', `/auth/interaction/${uid2}/login`, {
      email,
      password: 'groene giraffe zingt in de regen',
      lang: 'en',
    });
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Too many attempts/);
    // An unknown address is limited exactly the same way.
    for (let i = 0; i < 5; i++) {
      await b2.request('POST', `/auth/interaction/${uid2}/login`, {
        email: 'ghost@voorbeeld.nl',
        password: 'x'.repeat(12),
      });
    }
    const ghost = await b2.request('POST', `/auth/interaction/${uid2}/login`, {
      email: 'ghost@voorbeeld.nl',
      password: 'x'.repeat(12),
    });
    assert.equal(ghost.statusCode, 429);
    // After the window the account may try again.
    s.clock.advance(16 * 60_000);
    const ok = await b2.follow('POST', `/auth/interaction/${uid2}/login`, {
      email,
      password: 'groene giraffe zingt in de regen',
      lang: 'en',
    });
    assert.ok(ok.callback, ok.res.body);

    const actions = await s.db.asOwner<{ action: string }>(
      `SELECT DISTINCT action FROM audit_events WHERE action LIKE 'user.%' OR action LIKE 'membership.%'`,
    );
    assert.deepEqual(actions.map((a) => a.action).sort(), [
      'membership.created',
      'user.address_confirmed',
      'user.sign_in_failed',
      'user.signed_in',
      'user.signed_up',
      'user.tokens_revoked',
    ]);
    // The log carries neither the address nor the password.
    assert.doesNotMatch(s.logged(), new RegExp(`${email}|giraffe zingt`));
  });
});
