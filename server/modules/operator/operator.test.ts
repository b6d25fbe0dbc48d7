/**
 * The operator API (ADR 0058; Privacy center points 11 and 12): an operator signs in with password
 * and TOTP through the embedded provider and gets a token without a business; operator routes
 * take only such tokens (second factor checked on the server), business routes refuse them, and
 * each console action lands on the platform audit chain with the operator as actor.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { type App, buildApp } from '../../app.ts';
import type { Ctx } from '../../context.ts';
import { makeServices, makeTenant, type TestServices } from '../../test/harness.ts';
import { endSubscription } from '../ending/ending.service.ts';
import { type CreatedOperator, createOperator } from '../identity/operators.service.ts';
import { PLATFORM_CHAIN } from '../identity/platform-audit.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { addMember, mintAccessToken } from '../identity/testing.ts';
import { signedInOperator } from './operator.testing.ts';

let s: TestServices;
let app: App;
let op: CreatedOperator;
let opToken: string;
let opRefresh: string;
let a: Ctx;
let ownerToken: string;

before(async () => {
  s = await makeServices();
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s }));
  await app.ready();
  ({ op, token: opToken, refreshToken: opRefresh } = await signedInOperator(app, s));
  a = await makeTenant(s, 'Bakkerij Aap B.V.');
  const owner = await addMember(s, a.tenantId, 'owner');
  ownerToken = await mintAccessToken(s, { sub: owner, kluis_tenant: a.tenantId });
});
after(async () => {
  await app.close();
  await s.close();
});

const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

const platformEvents = async () =>
  s.db.asOwner<{ action: string; actor_type: string; actor_id: string | null; target_id: string | null }>(
    'SELECT action, actor_type, actor_id, target_id FROM audit_events WHERE tenant_id = $1 ORDER BY seq',
    [PLATFORM_CHAIN],
  );

describe('operator authentication', () => {
  test('the operator token names no business, says a second factor was used, and opens the console', async () => {
    const claims = decodeJwt(opToken);
    assert.equal(claims.kluis_tenant, undefined);
    assert.equal(claims.sub, op.userId);
    assert.ok(Array.isArray(claims.amr) && claims.amr.includes('otp'), JSON.stringify(claims.amr));
    const me = await call('GET', '/api/operator/v1/me', opToken);
    assert.equal(me.statusCode, 200, me.body);
    assert.deepEqual(me.json(), { id: op.userId, kind: 'operator' });
  });

  test('a refreshed operator token still carries the second factor and opens the console', async () => {
    assert.ok(opRefresh, 'the web app gets a refresh token');
    const res = await app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        client_id: 'kluis-web',
        grant_type: 'refresh_token',
        refresh_token: opRefresh,
      }).toString(),
    });
    assert.equal(res.statusCode, 200, res.body);
    const fresh = res.json().access_token as string;
    assert.deepEqual(decodeJwt(fresh).amr, decodeJwt(opToken).amr);
    assert.equal((await call('GET', '/api/operator/v1/me', fresh)).statusCode, 200);
  });

  test('operators get 403 on business routes: they have no business', async () => {
    for (const url of ['/api/v1/me', '/api/v1/customers', '/api/v1/invoices', '/api/v1/breach-notices']) {
      const res = await call('GET', url, opToken);
      assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'operator_has_no_business');
    }
  });

  test('business users and API clients get 403 operator_required on every operator route', async () => {
    const client = await mintAccessToken(s, {
      sub: '01900000-0000-7000-8000-0000000000c1',
      client_id: '01900000-0000-7000-8000-0000000000c1',
      kluis_tenant: a.tenantId,
    });
    for (const token of [ownerToken, client]) {
      for (const [method, url] of [
        ['GET', '/api/operator/v1/me'],
        ['GET', '/api/operator/v1/tenants'],
        ['GET', '/api/operator/v1/incidents'],
        ['POST', '/api/operator/v1/incidents'],
        ['GET', '/api/operator/v1/register'],
      ] as const) {
        const res = await call(method, url, token, method === 'POST' ? {} : undefined);
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'operator_required');
      }
    }
    // The business user's own API still works: the operator check changed nothing there.
    assert.equal((await call('GET', '/api/v1/me', ownerToken)).statusCode, 200);
  });

  test('a token of a non-operator that claims to be one (no business, amr, a live grant) is refused', async () => {
    const gid = String(decodeJwt(opToken).kluis_gid);
    const user = await addMember(s, a.tenantId, 'owner');
    const forged = await mintAccessToken(s, {
      sub: user,
      kluis_gid: gid,
      kluis_operator: true,
      amr: ['otp'],
    });
    const res = await call('GET', '/api/operator/v1/tenants', forged);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'operator_required');
  });

  test('the second factor is required: a sign-in without one, or an account without one, is refused', async () => {
    const gid = String(decodeJwt(opToken).kluis_gid);
    const claims = { sub: op.userId, kluis_gid: gid, kluis_operator: true };
    for (const amr of [undefined, ['pwd'], 'otp']) {
      const token = await mintAccessToken(s, amr === undefined ? claims : { ...claims, amr });
      const res = await call('GET', '/api/operator/v1/tenants', token);
      assert.equal(res.statusCode, 403, JSON.stringify(amr));
      assert.equal(res.json().error.code, 'second_factor_required');
    }
    // The account lost its factor (someone with the database): its tokens stop, even with amr.
    const other = await createOperator(createIdentityRuntime(s), {
      email: `ops2-${randomBytes(3).toString('hex')}@kluis.test`,
    });
    const token = await mintAccessToken(s, { sub: other.userId, kluis_gid: gid, amr: ['pwd', 'otp'] });
    assert.equal((await call('GET', '/api/operator/v1/me', token)).statusCode, 200);
    await s.db.asOwner('DELETE FROM user_totp WHERE user_id = $1', [other.userId]);
    const refused = await call('GET', '/api/operator/v1/me', token);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'second_factor_required');
  });

  test('a token whose grant is gone (signed out) is refused with 401; a token naming a business is not an operator token', async () => {
    const revoked = await mintAccessToken(s, {
      sub: op.userId,
      kluis_gid: 'no-such-grant',
      amr: ['pwd', 'otp'],
    });
    const res = await call('GET', '/api/operator/v1/me', revoked);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'token_invalid');
    const gid = String(decodeJwt(opToken).kluis_gid);
    const withBusiness = await mintAccessToken(s, {
      sub: op.userId,
      kluis_gid: gid,
      amr: ['otp'],
      kluis_tenant: a.tenantId,
    });
    const refused = await call('GET', '/api/operator/v1/me', withBusiness);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'operator_required');
  });
});

describe('tenants, subprocessors and the register', () => {
  test('the tenants list shows each business’s lifecycle and nothing of its content', async () => {
    const ended = await makeTenant(s, 'Slagerij Stop B.V.');
    await endSubscription(ended, { delete: true, retentionDays: 30 });
    const res = await call('GET', '/api/operator/v1/tenants', opToken);
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Record<string, unknown>[];
    const running = items.find((t) => t.id === a.tenantId);
    const stopping = items.find((t) => t.id === ended.tenantId);
    assert.deepEqual(Object.keys(running ?? {}).sort(), [
      'certifiedAt',
      'createdAt',
      'deletionStatus',
      'id',
      'name',
      'resumedAt',
      'retentionDeadline',
      'status',
      'subscriptionEndedAt',
    ]);
    assert.equal(running?.deletionStatus, 'none');
    assert.equal(running?.retentionDeadline, null);
    assert.equal(stopping?.deletionStatus, 'ending');
    const deadline = new Date(String(stopping?.retentionDeadline)).getTime();
    assert.equal(deadline - new Date(String(stopping?.subscriptionEndedAt)).getTime(), 30 * 86_400_000);
    assert.doesNotMatch(res.body, /privacy@testbedrijf/, 'no contact details in the tenants list');
  });

  test('adding a subprocessor: bad input and a date inside the notice period change nothing; a good one is audited', async () => {
    const good = {
      name: 'Opslag B.V.',
      purpose: 'Versleutelde back-ups',
      dataCategories: ['email'],
      country: 'NL',
      parentJurisdiction: 'NL',
      agreementReference: 'DPA-2026-01',
    };
    const before = (await call('GET', '/api/operator/v1/subprocessors', opToken)).json().items.length;
    const bad = await call('POST', '/api/operator/v1/subprocessors', opToken, {
      ...good,
      country: 'Nederland',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const badDate = await call('POST', '/api/operator/v1/subprocessors', opToken, {
      ...good,
      effectiveFrom: '2026-02-31',
    });
    assert.equal(badDate.statusCode, 400, badDate.body);
    const soon = new Date(s.clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
    const tooSoon = await call('POST', '/api/operator/v1/subprocessors', opToken, {
      ...good,
      effectiveFrom: soon,
    });
    assert.equal(tooSoon.statusCode, 422, tooSoon.body);
    assert.equal(tooSoon.json().error.code, 'effective_date_too_soon');
    assert.equal((await call('GET', '/api/operator/v1/subprocessors', opToken)).json().items.length, before);

    const added = await call('POST', '/api/operator/v1/subprocessors', opToken, good);
    assert.equal(added.statusCode, 201, added.body);
    const sub = added.json().subprocessor;
    const days =
      (new Date(`${sub.effectiveFrom}T00:00:00Z`).getTime() - s.clock.now().getTime()) / 86_400_000;
    assert.ok(days >= 29, `effective ${sub.effectiveFrom} is at least 30 days ahead`);
    assert.ok(added.json().mailed >= 1, 'the contacts were told');
    const event = (await platformEvents()).find((e) => e.action === 'platform.subprocessor_added');
    assert.deepEqual(event, {
      action: 'platform.subprocessor_added',
      actor_type: 'operator',
      actor_id: op.userId,
      target_id: sub.id,
    });
  });

  test('the register across businesses names every active business and its contact; JSON and PDF; reading it is audited', async () => {
    const res = await call('GET', '/api/operator/v1/register', opToken);
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    const mine = r.controllers.find((c: { businessId: string }) => c.businessId === a.tenantId);
    assert.equal(mine.name, 'Bakkerij Aap B.V.');
    assert.equal(mine.contact.email, 'privacy@testbedrijf.example');
    assert.ok(r.processing.length > 0);
    assert.ok(r.securityMeasures.length > 0);
    const pdf = await call('GET', '/api/operator/v1/register.pdf', opToken);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const reads = (await platformEvents()).filter((e) => e.action === 'platform.register_read');
    assert.equal(reads.length, 2);
    assert.ok(reads.every((e) => e.actor_id === op.userId));
  });
});
