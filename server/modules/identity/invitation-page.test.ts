/**
 * The invitation link's page (Identity point 2): the invited person signs in, or creates an
 * account for the invited address, and joins with the invited role; a used, expired or unknown
 * link gets a page that says so.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import { inTenant } from '../../db/transactions.ts';
import { listOutbox, readOutbox } from '../../mail/index.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { generateTotp } from './factors/totp.ts';
import { createIdentityRuntime } from './runtime.ts';
import { authorizeUrl, Browser, mintAccessToken, pkce, uidOf } from './testing.ts';

let s: TestServices;
let app: App;
const meta = { ip: '203.0.113.11', requestId: null };
const PASSWORD = 'bruine beer eet honing uit de pot';

before(async () => {
  s = await makeServices();
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s }));
  await app.ready();
});
after(async () => {
  await app.close();
  await s.close();
});

const address = (what: string) => `${what}-${randomBytes(4).toString('hex')}@voorbeeld.nl`;

async function person(email = address('p')) {
  const r = await signUp(
    createIdentityRuntime(s),
    { email, password: PASSWORD, businessName: 'Beer B.V.', locale: 'nl' },
    meta,
  );
  return { ...r, email, token: await mintAccessToken(s, { sub: r.userId, kluis_tenant: r.tenantId }) };
}

/** Invites `email` into the owner's business and returns the link's path from the mail. */
async function invite(owner: Awaited<ReturnType<typeof person>>, email: string, role: string) {
  const sent = await app.inject({
    method: 'POST',
    url: '/api/v1/invitations',
    headers: { authorization: `Bearer ${owner.token}` },
    payload: { email, role },
  });
  assert.equal(sent.statusCode, 201, sent.body);
  const keys = await inTenant(s.db, owner.tenantId, (tx) => s.keyring.forTenant(tx, owner.tenantId));
  for (const m of await listOutbox(s.blobs, keys)) {
    if (!m.to.includes(email)) continue;
    const mail = await readOutbox(s.blobs, keys, m.id);
    const token = /\/auth\/invitation\?t=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    if (token) return token;
  }
  throw new Error('no invitation mail');
}

const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

const members = async (owner: Awaited<ReturnType<typeof person>>) =>
  (
    await app.inject({
      method: 'GET',
      url: '/api/v1/members',
      headers: { authorization: `Bearer ${owner.token}` },
    })
  ).json() as { email: string; role: string }[];

describe('the invitation page', () => {
  test('a new address chooses a password, joins with the role, and can then sign in', async () => {
    const owner = await person();
    const invitee = address('nieuw');
    const token = await invite(owner, invitee, 'bookkeeper');
    const browser = new Browser(app);
    const page = await browser.request('GET', `/auth/invitation?t=${token}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /uitgenodigd als boekhouder/);
    assert.match(page.body, /autocomplete="new-password"/);
    assert.doesNotMatch(page.body, /<script|<style|style=/);

    const weak = await browser.request('POST', '/auth/invitation', { t: token, password: 'welkom123456' });
    assert.equal(weak.statusCode, 400);
    const done = await browser.request('POST', '/auth/invitation', { t: token, password: PASSWORD });
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /Je bent nu boekhouder/);
    assert.deepEqual(
      (await members(owner)).find((m) => m.email === invitee)?.role,
      'bookkeeper',
      'a member with the invited role',
    );

    // The account is active: it signs in on the normal page.
    const b2 = new Browser(app);
    const start = await b2.request('GET', authorizeUrl(pkce().challenge));
    const uid = uidOf(String(start.headers.location));
    const login = await b2.follow('POST', `/auth/interaction/${uid}/login`, {
      email: invitee,
      password: PASSWORD,
    });
    assert.ok(login.callback, login.res.body);

    const again = await browser.request('GET', `/auth/invitation?t=${token}`);
    assert.equal(again.statusCode, 404);
    assert.match(again.body, /al aangenomen/);
    const replay = await browser.request('POST', '/auth/invitation', { t: token, password: PASSWORD });
    assert.equal(replay.statusCode, 404, 'a used invitation does nothing');
  });

  test('an existing account signs in with its password and joins; a wrong password joins nothing', async () => {
    const owner = await person();
    const existing = await person();
    const token = await invite(owner, existing.email, 'viewer');
    const browser = new Browser(app);
    const page = await browser.request('GET', `/auth/invitation?t=${token}&lang=en`);
    assert.match(page.body, /invited as viewer/);
    assert.match(page.body, /autocomplete="current-password"/);
    const wrong = await browser.request('POST', '/auth/invitation', {
      t: token,
      password: 'dit is niet het wachtwoord',
      lang: 'en',
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /This password is wrong/);
    assert.equal(
      (await members(owner)).find((m) => m.email === existing.email),
      undefined,
    );
    const ok = await browser.request('POST', '/auth/invitation', {
      t: token,
      password: PASSWORD,
      lang: 'en',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await members(owner)).find((m) => m.email === existing.email)?.role, 'viewer');
  });

  test('an account with a second factor gives its code as well', async () => {
    const owner = await person();
    const existing = await person();
    const started = await call(existing.token, 'POST', '/api/v1/me/two-factor/totp');
    const { secret } = started.json() as { secret: string };
    const confirm = await call(existing.token, 'POST', '/api/v1/me/two-factor/totp/confirm', {
      code: generateTotp(secret, s.clock.now()),
    });
    assert.equal(confirm.statusCode, 200, confirm.body);
    const token = await invite(owner, existing.email, 'admin');
    const browser = new Browser(app);
    const page = await browser.request('GET', `/auth/invitation?t=${token}`);
    assert.match(page.body, /name="code"/);
    const noCode = await browser.request('POST', '/auth/invitation', { t: token, password: PASSWORD });
    assert.equal(noCode.statusCode, 403);
    const wrong = await browser.request('POST', '/auth/invitation', {
      t: token,
      password: PASSWORD,
      code: '000000',
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(
      (await members(owner)).find((m) => m.email === existing.email),
      undefined,
    );
    s.clock.advance(30_000);
    try {
      const ok = await browser.request('POST', '/auth/invitation', {
        t: token,
        password: PASSWORD,
        code: generateTotp(secret, s.clock.now()),
      });
      assert.equal(ok.statusCode, 200, ok.body);
    } finally {
      s.clock.set(new Date());
    }
    assert.equal((await members(owner)).find((m) => m.email === existing.email)?.role, 'admin');
  });

  test('an expired or unknown link gets a page that says so', async () => {
    const owner = await person();
    const token = await invite(owner, address('laat'), 'viewer');
    s.clock.advance(8 * 86_400_000);
    try {
      const late = await new Browser(app).request('GET', `/auth/invitation?t=${token}`);
      assert.equal(late.statusCode, 404);
      assert.match(late.body, /verlopen/);
      const post = await new Browser(app).request('POST', '/auth/invitation', {
        t: token,
        password: PASSWORD,
      });
      assert.equal(post.statusCode, 404);
    } finally {
      s.clock.set(new Date());
    }
    const unknown = await new Browser(app).request('GET', `/auth/invitation?t=${'x'.repeat(43)}`);
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /bestaat niet/);
    assert.equal((await new Browser(app).request('GET', '/auth/invitation')).statusCode, 404);
  });
});
