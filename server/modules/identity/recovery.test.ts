/**
 * Password reset, sign-up that never tells whether an address has an account, and login limits
 * shared by every app node (Identity points 2, 4, 5, 13), over HTTP against the real app.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { createIdentityRuntime } from './runtime.ts';
import { authorizeUrl, Browser, linkIn, pkce, platformMails, REDIRECT, uidOf } from './testing.ts';

let s: TestServices;
let app: App;
const meta = { ip: '203.0.113.9', requestId: null };
const PASSWORD = 'blauwe walvis zwemt naar huis';
const MASTER = randomBytes(32);

before(async () => {
  s = await makeServices({ masterKey: MASTER });
  s.clock.set(new Date()); // the provider stamps tokens with the wall clock
  ({ app } = await buildApp({ services: s }));
  await app.ready();
});
after(async () => {
  await app.close();
  await s.close();
});

const address = (what: string) => `${what}-${randomBytes(4).toString('hex')}@voorbeeld.nl`;

/** An active account made without the pages. */
async function account(email = address('p')) {
  const { userId } = await signUp(
    createIdentityRuntime(s),
    { email, password: PASSWORD, businessName: 'Walvis B.V.', locale: 'nl' },
    meta,
  );
  return { email, userId };
}

const tokenRequest = (form: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: 'kluis-web', ...form }).toString(),
  });

const me = (accessToken: string) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${accessToken}` } });

/** Signs in through the pages and exchanges the code; returns the tokens. */
async function signInTokens(browser: Browser, email: string, password: string) {
  const { verifier, challenge } = pkce();
  const start = await browser.follow('GET', authorizeUrl(challenge));
  let cb = start.callback;
  if (!cb) {
    const uid = uidOf(start.res.body);
    const r = await browser.follow('POST', `/auth/interaction/${uid}/login`, { email, password, lang: 'nl' });
    cb = r.callback;
    if (!cb) return { status: r.res.statusCode, access_token: '', refresh_token: '' };
  }
  const t = await tokenRequest({
    grant_type: 'authorization_code',
    code: cb.searchParams.get('code') ?? '',
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  assert.equal(t.statusCode, 200, t.body);
  return { status: 200, ...(t.json() as { access_token: string; refresh_token: string }) };
}

const auditCount = async (action: string) =>
  (
    await s.db.asOwner<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = $1`, [
      action,
    ])
  )[0]?.n ?? 0;

describe('password reset', () => {
  test('the same answer for every address; a single-use link sets a new password and ends every session', async () => {
    const { email } = await account();
    const browser = new Browser(app);
    const before = await signInTokens(browser, email, PASSWORD);
    assert.ok(before.access_token && before.refresh_token);
    assert.equal((await me(before.access_token)).statusCode, 200);

    const start = await new Browser(app).follow('GET', authorizeUrl(pkce().challenge));
    assert.match(start.res.body, /href="\/auth\/forgot\?lang=nl">Wachtwoord vergeten\?/);
    const form = await browser.request('GET', '/auth/forgot?lang=nl');
    assert.equal(form.statusCode, 200);
    assert.doesNotMatch(form.body, /<script|<style|style=/);

    const unknownAddress = address('niemand');
    const unknown = await browser.request('POST', '/auth/forgot', { email: unknownAddress, lang: 'nl' });
    const known = await browser.request('POST', '/auth/forgot', { email, lang: 'nl' });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    assert.equal(known.body, unknown.body, 'the page never tells whether an account exists');
    assert.match(known.body, /Als er een account bij dit adres hoort/);
    assert.equal((await browser.request('POST', '/auth/forgot', { email: 'geen adres' })).statusCode, 400);

    const [mail] = await platformMails(s, email);
    assert.ok(mail, 'the account holder got a mail');
    assert.equal((await platformMails(s, unknownAddress, 0)).length, 0, 'an unknown address gets none');
    const { url: link, token } = linkIn(mail.text, 'reset');
    const post = (password: string) =>
      browser.request('POST', '/auth/reset', { t: token, password, lang: 'nl' });
    const stored = await s.db.asOwner<{ n: number }>(
      `SELECT count(*)::int AS n FROM password_resets WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
      [token],
    );
    assert.equal(stored[0]?.n, 1, 'only the hash of the token is stored');
    const plain = await s.db.asOwner<{ n: number }>(
      `SELECT count(*)::int AS n FROM password_resets WHERE position(convert_to($1, 'UTF8') in token_hash) > 0`,
      [token],
    );
    assert.equal(plain[0]?.n, 0);

    const page = await browser.request('GET', link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Nieuw wachtwoord kiezen/);
    const weak = await post('welkom123456');
    assert.equal(weak.statusCode, 400, 'the same password rules as sign-up');
    assert.match(weak.body, /Controleer de velden/);

    const fresh = 'gele kanarie fluit elke ochtend';
    const done = await post(fresh);
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /Wachtwoord gewijzigd/);

    assert.equal((await me(before.access_token)).statusCode, 401, 'access tokens stop');
    const refresh = await tokenRequest({ grant_type: 'refresh_token', refresh_token: before.refresh_token });
    assert.equal(refresh.statusCode, 400, 'refresh tokens stop');
    const again = await browser.follow('GET', authorizeUrl(pkce().challenge));
    assert.equal(again.callback, undefined, 'the browser session ended: the sign-in page shows');

    assert.equal((await browser.request('GET', link)).statusCode, 404, 'the link works once');
    assert.equal((await post(fresh)).statusCode, 404);
    assert.equal((await signInTokens(new Browser(app), email, PASSWORD)).status, 401, 'old password refused');
    const after = await signInTokens(new Browser(app), email, fresh);
    assert.equal((await me(after.access_token ?? '')).statusCode, 200, 'the new password signs in');

    assert.ok((await auditCount('user.password_reset_requested')) >= 1);
    assert.ok((await auditCount('user.password_reset')) >= 1);
    assert.doesNotMatch(s.logged(), new RegExp(`${email}|${token}|kanarie`));
  });

  test('a link expires after an hour', async () => {
    const { email } = await account();
    const browser = new Browser(app);
    await browser.request('POST', '/auth/forgot', { email, lang: 'en' });
    const [mail] = await platformMails(s, email);
    assert.ok(mail);
    assert.match(mail.subject, /New password|Nieuw wachtwoord/);
    const { url: link, token } = linkIn(mail.text, 'reset');
    s.clock.advance(61 * 60_000);
    try {
      const gone = await browser.request('GET', `${link}&lang=en`);
      assert.equal(gone.statusCode, 404);
      assert.match(gone.body, /expired or was already used/);
      const post = await browser.request('POST', '/auth/reset', {
        t: token,
        password: 'gele kanarie fluit elke ochtend',
        lang: 'en',
      });
      assert.equal(post.statusCode, 404);
    } finally {
      s.clock.set(new Date());
    }
    assert.equal((await browser.request('GET', '/auth/reset?t=nonsense')).statusCode, 404);
  });
});

describe('sign-up never reveals an existing account', () => {
  test('the same page for a new and a taken address; the owner of the taken one gets a mail', async () => {
    const { email } = await account();
    const browser = new Browser(app);
    const start = await browser.request('GET', authorizeUrl(pkce().challenge));
    const uid = uidOf(String(start.headers.location));
    const fresh = address('nieuw');
    const form = (e: string) => ({
      email: e,
      password: 'oranje kat slaapt in de zon',
      businessName: 'Kat B.V.',
      lang: 'nl',
    });
    const taken = await browser.request('POST', `/auth/interaction/${uid}/signup`, form(email));
    const created = await browser.request('POST', `/auth/interaction/${uid}/signup`, form(fresh));
    assert.equal(taken.statusCode, 200);
    assert.equal(created.statusCode, 200);
    assert.equal(taken.body, created.body);
    assert.doesNotMatch(taken.body, /bestaat al|already/);

    const [warning] = await platformMails(s, email);
    assert.ok(warning);
    assert.match(warning.text, /al een|already have one/);
    assert.match(warning.text, /\/auth\/reset\?t=/, 'with a way to reset the password');
    const [confirm] = await platformMails(s, fresh);
    assert.ok(confirm);
    assert.match(confirm.text, /\/auth\/confirm\?t=/);
    // Nothing changed for the existing account: its password still signs in.
    assert.equal((await signInTokens(new Browser(app), email, PASSWORD)).status, 200);
    assert.ok((await auditCount('user.sign_up_repeated')) >= 1);
  });

  test('someone who signs up with another person’s address cannot get the account', async () => {
    const victim = address('slachtoffer');
    const attacker = new Browser(app);
    const start = await attacker.request('GET', authorizeUrl(pkce().challenge));
    const uid = uidOf(String(start.headers.location));
    const chosen = 'paarse inktvis leest de krant';
    await attacker.request('POST', `/auth/interaction/${uid}/signup`, {
      email: victim,
      password: chosen,
      businessName: 'Inktvis B.V.',
    });
    const [mail] = await platformMails(s, victim);
    assert.ok(mail);
    // The address's owner opens the link but does not know the password chosen by the other.
    const wrong = await new Browser(app).request('POST', '/auth/confirm', {
      t: linkIn(mail.text, 'confirm').token,
      password: 'iets anders dan het gekozen',
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal((await signInTokens(new Browser(app), victim, chosen)).status, 401, 'still unconfirmed');
  });
});

describe('login limits are shared by every app node', () => {
  test('failures on two app instances on one database add up to one budget', async () => {
    const blobDir = mkdtempSync(path.join(tmpdir(), 'kluis-node2-'));
    // A second node: its own services, app, runtime and counters; the same database and master key.
    const s2 = await makeServices({ db: s.db, masterKey: MASTER, blobDir });
    s2.clock.set(s.clock.now());
    const { app: app2 } = await buildApp({ services: s2 });
    await app2.ready();
    try {
      const { email } = await account();
      const nodes = [new Browser(app), new Browser(app2)];
      const uids: string[] = [];
      for (const b of nodes) {
        const start = await b.request('GET', authorizeUrl(pkce().challenge));
        uids.push(uidOf(String(start.headers.location)));
      }
      const attempt = (i: number, password: string) =>
        nodes[i % 2]!.request('POST', `/auth/interaction/${uids[i % 2]}/login`, {
          email,
          password,
          lang: 'en',
        });
      for (let i = 0; i < 5; i++) assert.equal((await attempt(i, 'wrong password!!')).statusCode, 401);
      assert.equal((await attempt(1, PASSWORD)).statusCode, 429, 'node 2 knows the failures seen by node 1');
      assert.equal((await attempt(0, PASSWORD)).statusCode, 429);
      // The window comes from the injected clock, on both nodes.
      s.clock.advance(16 * 60_000);
      s2.clock.advance(16 * 60_000);
      try {
        const ok = await nodes[1]!.follow('POST', `/auth/interaction/${uids[1]}/login`, {
          email,
          password: PASSWORD,
        });
        assert.ok(ok.callback, ok.res.body);
      } finally {
        s.clock.set(new Date());
      }
      const stored = await s.db.asOwner<{ n: number }>(
        `SELECT count(*)::int AS n FROM login_failures WHERE position(convert_to($1, 'UTF8') in key) > 0`,
        [email],
      );
      assert.equal(stored[0]?.n, 0, 'the address is never stored in clear');
    } finally {
      await app2.close();
      rmSync(blobDir, { recursive: true, force: true });
    }
  });
});
