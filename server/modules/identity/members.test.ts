/**
 * Managing the people and integrations of a business through the API (Identity points 2, 9, 13):
 * owners and admins only, at least one owner always, changes effective on the next request, and
 * every change audited.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import { inTenant } from '../../db/transactions.ts';
import { listOutbox, readOutbox } from '../../mail/index.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { insertMembership } from './memberships.repo.ts';
import { createIdentityRuntime, type IdentityRuntime } from './runtime.ts';
import { mintAccessToken } from './testing.ts';

let s: TestServices;
let app: App;
let rt: IdentityRuntime;
const meta = { ip: '203.0.113.5', requestId: null };

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

const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

/** A business with an owner, plus people with the given roles; returns ids and tokens. */
async function business(...roles: ('admin' | 'bookkeeper' | 'viewer')[]) {
  const person = async () => {
    const email = `m-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
    const r = await signUp(
      rt,
      { email, password: 'rode vos springt over het hek', businessName: 'X', locale: 'nl' },
      meta,
    );
    return { ...r, email };
  };
  const owner = await person();
  const tenantId = owner.tenantId;
  const token = (sub: string) => mintAccessToken(s, { sub, kluis_tenant: tenantId });
  const others = [];
  for (const role of roles) {
    const p = await person();
    await inTenant(s.db, tenantId, (tx) => insertMembership(tx, tenantId, p.userId, role, s.clock.now()));
    others.push({ ...p, role, token: await token(p.userId) });
  }
  return { tenantId, owner: { ...owner, token: await token(owner.userId) }, others };
}

describe('members', () => {
  test('owners and admins list members; viewers may not', async () => {
    const b = await business('admin', 'viewer');
    const [admin, viewer] = b.others;
    const list = await api('GET', '/api/v1/members', admin!.token);
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(
      list.json().map((m: { role: string; email: string }) => [m.role, m.email]),
      [
        ['owner', b.owner.email],
        ['admin', admin!.email],
        ['viewer', viewer!.email],
      ],
    );
    assert.equal((await api('GET', '/api/v1/members', viewer!.token)).statusCode, 403);
  });

  test('a role change applies on the next request; only owners touch the owner role; one owner stays', async () => {
    const b = await business('admin', 'viewer');
    const [admin, viewer] = b.others;
    assert.equal(
      (await api('PUT', `/api/v1/members/${viewer!.userId}`, admin!.token, { role: 'bookkeeper' }))
        .statusCode,
      204,
    );
    assert.equal((await api('GET', '/api/v1/me', viewer!.token)).json().role, 'bookkeeper');
    const promote = await api('PUT', `/api/v1/members/${viewer!.userId}`, admin!.token, { role: 'owner' });
    assert.equal(promote.statusCode, 403);
    const lastOwner = await api('PUT', `/api/v1/members/${b.owner.userId}`, b.owner.token, { role: 'admin' });
    assert.equal(lastOwner.statusCode, 409);
    assert.equal(lastOwner.json().error.code, 'last_owner');

    assert.equal((await api('DELETE', `/api/v1/members/${viewer!.userId}`, b.owner.token)).statusCode, 204);
    const gone = await api('GET', '/api/v1/me', viewer!.token);
    assert.equal(gone.statusCode, 403);
    assert.equal(gone.json().error.code, 'membership_missing');
    assert.equal((await api('DELETE', `/api/v1/members/${viewer!.userId}`, b.owner.token)).statusCode, 404);

    const other = await business();
    const foreign = await api('DELETE', `/api/v1/members/${other.owner.userId}`, b.owner.token);
    assert.equal(foreign.statusCode, 404, "another business's member looks like a missing one");

    const actions = await s.db.asOwner<{ action: string }>(
      `SELECT action FROM audit_events WHERE tenant_id = $1 AND action LIKE 'membership.%' ORDER BY seq`,
      [b.tenantId],
    );
    assert.deepEqual(
      actions.map((a) => a.action),
      ['membership.created', 'membership.role_changed', 'membership.removed'],
    );
  });
});

describe('API clients in the app', () => {
  test('owners create, list and revoke clients; the secret is shown once; viewers may not', async () => {
    const b = await business('viewer');
    const created = await api('POST', '/api/v1/clients', b.owner.token, {
      name: 'Boekhoudpakket',
      scopes: ['invoices:read'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const { clientId, clientSecret } = created.json() as { clientId: string; clientSecret: string };
    const list = await api('GET', '/api/v1/clients', b.owner.token);
    assert.equal(list.json()[0].name, 'Boekhoudpakket');
    assert.doesNotMatch(list.body, new RegExp(clientSecret));
    assert.equal(
      (await api('POST', '/api/v1/clients', b.others[0]!.token, { name: 'x', scopes: ['invoices:read'] }))
        .statusCode,
      403,
    );
    const bad = await api('POST', '/api/v1/clients', b.owner.token, { name: 'x', scopes: ['everything'] });
    assert.equal(bad.statusCode, 400);
    assert.equal((await api('POST', `/api/v1/clients/${clientId}/revoke`, b.owner.token)).statusCode, 204);
    const other = await business();
    assert.equal(
      (await api('POST', `/api/v1/clients/${clientId}/revoke`, other.owner.token)).statusCode,
      404,
    );
    const actions = await s.db.asOwner<{ action: string }>(
      `SELECT action FROM audit_events WHERE tenant_id = $1 AND action LIKE 'client.%' ORDER BY seq`,
      [b.tenantId],
    );
    assert.deepEqual(
      actions.map((a) => a.action),
      ['client.created', 'client.revoked'],
    );
  });
});

describe('invitations', () => {
  test('an owner invites an address; only that person can accept, once, and gets the role', async () => {
    const b = await business('viewer', 'admin');
    const [viewer, admin] = b.others;
    const invitee = `uitgenodigd-${randomBytes(3).toString('hex')}@voorbeeld.nl`;
    assert.equal(
      (await api('POST', '/api/v1/invitations', viewer!.token, { email: invitee, role: 'viewer' }))
        .statusCode,
      403,
    );
    assert.equal(
      (await api('POST', '/api/v1/invitations', admin!.token, { email: invitee, role: 'owner' })).statusCode,
      403,
      'an admin cannot hand out the owner role',
    );
    const sent = await api('POST', '/api/v1/invitations', b.owner.token, {
      email: invitee,
      role: 'bookkeeper',
    });
    assert.equal(sent.statusCode, 201, sent.body);

    const keys = await inTenant(s.db, b.tenantId, (tx) => s.keyring.forTenant(tx, b.tenantId));
    const [summary] = await listOutbox(s.blobs, keys);
    assert.deepEqual(summary?.to, [invitee]);
    const mail = await readOutbox(s.blobs, keys, summary?.id ?? '');
    const token = /\/invitation\?t=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';
    assert.ok(token);
    const stored = await s.db.asOwner<{ token_hash: Buffer }>('SELECT token_hash FROM invitations');
    assert.ok(stored.every((r) => !Buffer.from(r.token_hash).includes(Buffer.from(token))));

    // Someone else, signed in, cannot use the link.
    const stranger = await business();
    const wrong = await api('POST', '/api/v1/invitations/accept', stranger.owner.token, { token });
    assert.equal(wrong.statusCode, 404);

    const { userId, tenantId } = await signUp(
      rt,
      {
        email: invitee,
        password: 'witte zwaan drijft op de vijver',
        businessName: 'Eigen zaak',
        locale: 'nl',
      },
      meta,
    );
    const own = await mintAccessToken(s, { sub: userId, kluis_tenant: tenantId });
    const accepted = await api('POST', '/api/v1/invitations/accept', own, { token });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.deepEqual(accepted.json(), { businessId: b.tenantId, role: 'bookkeeper' });
    const inB = await mintAccessToken(s, { sub: userId, kluis_tenant: b.tenantId });
    assert.equal((await api('GET', '/api/v1/me', inB)).json().role, 'bookkeeper');
    assert.equal((await api('POST', '/api/v1/invitations/accept', own, { token })).statusCode, 404, 'once');

    const late = await api('POST', '/api/v1/invitations', b.owner.token, { email: invitee, role: 'viewer' });
    assert.equal(late.statusCode, 201);
    s.clock.advance(8 * 86_400_000);
    const [, second] = await listOutbox(s.blobs, keys);
    const lateToken = /\/invitation\?t=([A-Za-z0-9_-]+)/.exec(
      (await readOutbox(s.blobs, keys, second?.id ?? '')).text,
    )?.[1];
    const expired = await api(
      'POST',
      '/api/v1/invitations/accept',
      await mintAccessToken(s, { sub: userId, kluis_tenant: tenantId }),
      {
        token: lateToken ?? '',
      },
    );
    assert.equal(expired.statusCode, 404, 'expired after 7 days');
  });
});
