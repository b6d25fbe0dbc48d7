/**
 * Second factors (Identity points 6, 12, 13, 14): TOTP enrolment through the API, sign-in that
 * asks for the code, replay refusal, one-time recovery codes, the owner's requirement for every
 * member, and operators who can never sign in on a password alone.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import { inTenant } from '../../db/transactions.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { generateTotp } from './factors/totp.ts';
import { insertMembership } from './memberships.repo.ts';
import { createOperator } from './operators.service.ts';
import { createIdentityRuntime, type IdentityRuntime } from './runtime.ts';
import { authorizeUrl, Browser, mintAccessToken, pkce, uidOf } from './testing.ts';

let s: TestServices;
let app: App;
let rt: IdentityRuntime;
const meta = { ip: '203.0.113.9', requestId: null };

before(async () => {
  s = await makeServices();
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s }));
  await app.ready();
  rt = createIdentityRuntime(s);
});
after(async () => {
  await app.close();
  await s.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

async function newOwner() {
  const email = `p-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const password = 'blauwe walvis zwemt naar huis';
  const { userId, tenantId } = await signUp(
    rt,
    { email, password, businessName: 'Walvis B.V.', locale: 'nl' },
    meta,
  );
  const token = await mintAccessToken(s, { sub: userId, kluis_tenant: tenantId });
  return { email, password, userId, tenantId, token };
}

/** Gives the token's person a confirmed TOTP second factor. */
async function enrolTotp(token: string) {
  const started = await api('POST', '/api/v1/me/two-factor/totp', token);
  assert.equal(started.statusCode, 201, started.body);
  const code = generateTotp(started.json().secret, s.clock.now());
  const confirmed = await api('POST', '/api/v1/me/two-factor/totp/confirm', token, { code });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
}

/** Starts a sign-in and posts the password; returns the browser and the interaction. */
async function passwordStep(email: string, password: string) {
  const browser = new Browser(app);
  const start = await browser.request('GET', authorizeUrl(pkce().challenge));
  const uid = uidOf(String(start.headers.location));
  const res = await browser.follow('POST', `/auth/interaction/${uid}/login`, { email, password, lang: 'en' });
  return { browser, uid, res };
}

describe('TOTP and recovery codes', () => {
  test('enrol through the API, then sign-in asks for a fresh code; codes are not replayable', async () => {
    const owner = await newOwner();
    const started = await api('POST', '/api/v1/me/two-factor/totp', owner.token);
    assert.equal(started.statusCode, 201, started.body);
    const { secret, uri } = started.json() as { secret: string; uri: string };
    assert.match(uri, /^otpauth:\/\/totp\/Kluis:/);
    const wrong = await api('POST', '/api/v1/me/two-factor/totp/confirm', owner.token, { code: '000000' });
    assert.equal(wrong.statusCode, 401);
    const code = generateTotp(secret, s.clock.now());
    const confirmed = await api('POST', '/api/v1/me/two-factor/totp/confirm', owner.token, { code });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    assert.equal(recoveryCodes.length, 10);
    assert.equal((await api('POST', '/api/v1/me/two-factor/totp', owner.token)).statusCode, 409);

    const { browser, uid, res } = await passwordStep(owner.email, owner.password);
    assert.equal(res.res.statusCode, 200);
    assert.equal(res.callback, undefined, 'no code yet, no sign-in');
    assert.match(res.res.body, /Second step/);
    const replay = await browser.request('POST', `/auth/interaction/${uid}/second-factor`, {
      code,
      lang: 'en',
    });
    assert.equal(replay.statusCode, 401, 'the code used at enrolment does not work again');
    s.clock.advance(30_000);
    const fresh = generateTotp(secret, s.clock.now());
    const done = await browser.follow('POST', `/auth/interaction/${uid}/second-factor`, {
      code: fresh,
      lang: 'en',
    });
    assert.ok(done.callback, done.res.body);

    const second = await passwordStep(owner.email, owner.password);
    const viaRecovery = await second.browser.follow('POST', `/auth/interaction/${second.uid}/second-factor`, {
      code: recoveryCodes[0] ?? '',
    });
    assert.ok(viaRecovery.callback, 'a recovery code works');
    const third = await passwordStep(owner.email, owner.password);
    const reused = await third.browser.request('POST', `/auth/interaction/${third.uid}/second-factor`, {
      code: recoveryCodes[0] ?? '',
      lang: 'en',
    });
    assert.equal(reused.statusCode, 401, 'only once');

    const actions = await s.db.asOwner<{ action: string }>(
      'SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY seq',
      [owner.tenantId],
    );
    const names = actions.map((a) => a.action);
    for (const a of [
      'user.two_factor_enrolled',
      'user.recovery_code_used',
      'user.sign_in_failed',
      'user.signed_in',
    ]) {
      assert.ok(names.includes(a), a);
    }
  });

  test('the owner can require a second factor; members without one reach only enrolment', async () => {
    const owner = await newOwner();
    // A real person (with a users row), who is a viewer in the owner's business.
    const { userId: viewer } = await newOwner();
    await inTenant(s.db, owner.tenantId, (tx) =>
      insertMembership(tx, owner.tenantId, viewer, 'viewer', s.clock.now()),
    );
    const viewerToken = await mintAccessToken(s, { sub: viewer, kluis_tenant: owner.tenantId });
    const notOwner = await api('PUT', '/api/v1/business/security', viewerToken, { requireTwoFactor: true });
    assert.equal(notOwner.statusCode, 403);
    assert.equal(notOwner.json().error.code, 'owner_only');
    await enrolTotp(owner.token);
    const before = await api('GET', '/api/v1/business/security', owner.token);
    assert.equal(before.statusCode, 200, before.body);
    assert.deepEqual(before.json(), { requireTwoFactor: false });
    const viewerReads = await api('GET', '/api/v1/business/security', viewerToken);
    assert.equal(viewerReads.statusCode, 403);
    assert.equal(viewerReads.json().error.code, 'owner_or_admin_only');
    const set = await api('PUT', '/api/v1/business/security', owner.token, { requireTwoFactor: true });
    assert.equal(set.statusCode, 200, set.body);
    const after = await api('GET', '/api/v1/business/security', owner.token);
    assert.deepEqual(after.json(), { requireTwoFactor: true }, 'the read follows the setting');
    const { userId: admin } = await newOwner();
    await inTenant(s.db, owner.tenantId, (tx) =>
      insertMembership(tx, owner.tenantId, admin, 'admin', s.clock.now()),
    );
    const adminToken = await mintAccessToken(s, { sub: admin, kluis_tenant: owner.tenantId });
    // Like every member without a second factor, an admin is sent to enrolment first; then may read it.
    const adminFirst = await api('GET', '/api/v1/business/security', adminToken);
    assert.equal(adminFirst.statusCode, 403);
    assert.equal(adminFirst.json().error.code, 'two_factor_required');
    await enrolTotp(adminToken);
    const adminReads = await api('GET', '/api/v1/business/security', adminToken);
    assert.equal(adminReads.statusCode, 200, adminReads.body);
    assert.deepEqual(adminReads.json(), { requireTwoFactor: true });

    const blocked = await api('PUT', '/api/v1/business/security', viewerToken, { requireTwoFactor: false });
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json().error.code, 'two_factor_required');
    assert.equal((await api('GET', '/api/v1/me', viewerToken)).statusCode, 200, 'who am I stays open');
    assert.equal(
      (await api('POST', '/api/v1/me/two-factor/totp', viewerToken)).statusCode,
      201,
      'enrolment is open',
    );
  });
});

describe('password change', () => {
  test('needs the current password, follows the policy, and the old password stops working', async () => {
    const owner = await newOwner();
    const wrong = await api('POST', '/api/v1/me/password', owner.token, {
      currentPassword: 'not it at all',
      newPassword: 'gele kanarie fluit een lied',
    });
    assert.equal(wrong.statusCode, 401);
    const weak = await api('POST', '/api/v1/me/password', owner.token, {
      currentPassword: owner.password,
      newPassword: 'password1234',
    });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.issues[0].code, 'password_common');
    const ok = await api('POST', '/api/v1/me/password', owner.token, {
      currentPassword: owner.password,
      newPassword: 'gele kanarie fluit een lied',
    });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.equal((await passwordStep(owner.email, owner.password)).res.res.statusCode, 401);
    assert.ok((await passwordStep(owner.email, 'gele kanarie fluit een lied')).res.callback);
    const rows = await s.db.asOwner<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'user.password_changed'`,
      [owner.tenantId],
    );
    assert.equal(rows[0]?.n, 1);
  });
});

describe('operators', () => {
  test('an operator signs in only with a second factor, and sees no business', async () => {
    const email = `ops-${randomBytes(3).toString('hex')}@kluis.test`;
    const op = await createOperator(rt, { email });
    assert.equal(op.recoveryCodes.length, 10);
    const step = await passwordStep(email, op.password);
    assert.equal(step.res.callback, undefined);
    assert.match(step.res.res.body, /Second step/);
    const done = await step.browser.follow('POST', `/auth/interaction/${step.uid}/second-factor`, {
      code: generateTotp(op.totpSecret, s.clock.now()),
    });
    assert.ok(done.callback);

    // Without the factor there is no way in, even with the right password.
    await s.db.asOwner('DELETE FROM user_totp WHERE user_id = $1', [op.userId]);
    const refused = await passwordStep(email, op.password);
    assert.equal(refused.res.res.statusCode, 403);
    assert.equal(refused.res.callback, undefined);
  });
});
