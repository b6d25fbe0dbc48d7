/**
 * Privacy center point 3: the data-protection contact. Set and read through the API (stored
 * encrypted, audited), required before the first invoice is issued (422 privacy_contact_missing),
 * due for reconfirmation after a year on the injected clock, owners and admins only, and one
 * business never sees another's.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SYSTEM } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import type { ApiTest } from '../../test/api.ts';
import { createInvoice, issueInvoice } from '../invoices/index.ts';
import { auditActions, prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { createTenant } from '../tenants/tenants.service.ts';
import { openLegalTest } from './legal.testing.ts';

let t: ApiTest;
before(async () => {
  t = await openLegalTest();
});
after(() => t.close());

const CONTACT = { name: 'Fatima el Amrani', email: 'privacy@bakkerij.example', phone: '+31 20 123 4567' };

async function bareBusiness() {
  const { id } = await createTenant(t.s, SYSTEM, { name: 'Zonder contact' });
  const ctx = { ...t.a, tenantId: id };
  return { ctx, token: await t.tokenFor(ctx, 'owner') };
}

test('a new business has no contact: GET says so, and issuing the first invoice is refused with 422', async () => {
  const { ctx, token } = await bareBusiness();
  const res = await t.call('GET', '/api/v1/privacy/contact', token);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    contact: null,
    confirmedAt: null,
    reconfirmDue: true,
    subprocessorPolicy: 'notify_object',
  });

  const customerId = await prepareBusiness(ctx);
  const draft = await createInvoice(ctx, workedExample(customerId));
  const refused = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`, token);
  assert.equal(refused.statusCode, 422);
  assert.equal(refused.json().error.code, 'privacy_contact_missing');

  const put = await t.call('PUT', '/api/v1/privacy/contact', token, CONTACT);
  assert.equal(put.statusCode, 200);
  const issued = await issueInvoice(ctx, draft.id);
  assert.equal(issued.status, 'issued');
});

test('the contact is stored encrypted, returned to owners and admins, and audited', async () => {
  const { ctx, token } = await bareBusiness();
  const put = await t.call('PUT', '/api/v1/privacy/contact', token, CONTACT);
  assert.equal(put.statusCode, 200);
  assert.deepEqual(put.json().contact, CONTACT);
  assert.equal(put.json().confirmedAt, t.s.clock.now().toISOString());
  assert.equal(put.json().reconfirmDue, false);

  const raw = await inTenant(t.s.db, ctx.tenantId, (tx) =>
    queryRows<{ row: string }>(tx, sql`SELECT row_to_json(p)::text AS row FROM privacy_settings p`),
  );
  assert.equal(raw.length, 1);
  assert.ok(!raw[0]?.row.includes('Fatima') && !raw[0]?.row.includes('bakkerij'), 'no plaintext in the row');

  const admin = await t.tokenFor(ctx, 'admin');
  assert.deepEqual((await t.call('GET', '/api/v1/privacy/contact', admin)).json().contact, CONTACT);
  const viewer = await t.tokenFor(ctx, 'viewer');
  assert.equal((await t.call('GET', '/api/v1/privacy/contact', viewer)).statusCode, 403);
  assert.equal((await t.call('PUT', '/api/v1/privacy/contact', viewer, CONTACT)).statusCode, 403);
  assert.deepEqual(await auditActions(ctx, ctx.tenantId), ['tenant.created', 'privacy_contact.updated']);
});

test('bad input is refused with field codes', async () => {
  const { token } = await bareBusiness();
  const res = await t.call('PUT', '/api/v1/privacy/contact', token, {
    name: ' ',
    email: 'nope',
    phone: 'abc',
  });
  assert.equal(res.statusCode, 400);
  const codes = res
    .json()
    .error.issues.map((i: { code: string }) => i.code)
    .sort();
  assert.deepEqual(codes, ['email_format', 'name_length', 'phone_format']);
});

test('a year after confirming, the contact is due again; confirming resets it', async () => {
  const { ctx, token } = await bareBusiness();
  await t.call('PUT', '/api/v1/privacy/contact', token, CONTACT);
  // Access tokens expire long before a year: each step gets a fresh one on the travelled clock.
  t.s.clock.advance(364 * 86_400_000);
  const day364 = await t.tokenFor(ctx, 'owner');
  assert.equal((await t.call('GET', '/api/v1/privacy/contact', day364)).json().reconfirmDue, false);
  t.s.clock.advance(2 * 86_400_000);
  const day366 = await t.tokenFor(ctx, 'owner');
  assert.equal((await t.call('GET', '/api/v1/privacy/contact', day366)).json().reconfirmDue, true);
  const confirmed = await t.call('POST', '/api/v1/privacy/contact/confirm', day366);
  assert.equal(confirmed.statusCode, 200);
  assert.equal(confirmed.json().reconfirmDue, false);
  assert.equal(confirmed.json().confirmedAt, t.s.clock.now().toISOString());
  assert.deepEqual((await auditActions(ctx, ctx.tenantId)).slice(-1), ['privacy_contact.confirmed']);
});

test('confirming without a contact is refused; businesses never see each other’s contact', async () => {
  const { token } = await bareBusiness();
  assert.equal(
    (await t.call('POST', '/api/v1/privacy/contact/confirm', token)).json().error.code,
    'privacy_contact_missing',
  );
  await t.call('PUT', '/api/v1/privacy/contact', t.ownerA, CONTACT);
  const seenByB = (await t.call('GET', '/api/v1/privacy/contact', t.ownerB)).json().contact;
  assert.notDeepEqual(seenByB, CONTACT);
});
