/**
 * Privacy center point 4: subprocessors. Adding one sets its effective date at least the notice
 * period ahead (30 days, configurable) and mails every business's contact; the public page lists
 * it; an EU-only deployment refuses one outside the EU/EEA or under a non-EU parent's law. Per
 * business: notify-and-object (used once effective; an objection is recorded with its reason and
 * audited) or prior consent (not used until the business consents). Time travels over the notice.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { listOutbox } from '../../mail/outbox-mailer.ts';
import type { ApiTest } from '../../test/api.ts';
import { auditActions } from '../invoices/invoices.testing.ts';
import { OPERATOR_SETTINGS, openLegalTest } from '../legal/legal.testing.ts';
import { addSubprocessor, type SubprocessorInput } from './subprocessors.service.ts';

let t: ApiTest;
before(async () => {
  t = await openLegalTest();
});
after(() => t.close());

const DAY = 86_400_000;
const MAILER: SubprocessorInput = {
  name: 'Postbode Mail GmbH',
  purpose: 'Versturen van e-mail',
  dataCategories: ['email', 'name'],
  country: 'DE',
  parentJurisdiction: 'DE',
  agreementReference: 'DPA-2026-07',
};

async function outboxSubjects(tenantId: string): Promise<string[]> {
  const keys = await inTenant(t.s.db, tenantId, (tx) => t.s.keyring.forTenant(tx, tenantId));
  return (await listOutbox(t.s.blobs, keys)).map((m) => m.subject);
}

test('adding a subprocessor: effective after 30 days, every contact mailed, listed on the public page', async () => {
  const now = t.s.clock.now();
  const { subprocessor, mailed } = await addSubprocessor(t.s, OPERATOR_SETTINGS, MAILER);
  assert.equal(subprocessor.effectiveFrom.getTime(), now.getTime() + 30 * DAY);
  assert.equal(mailed, 2, 'A and B');
  for (const tenant of [t.a, t.b]) {
    assert.ok((await outboxSubjects(tenant.tenantId)).some((s) => s.includes('Postbode Mail GmbH')));
  }
  const page = await t.app.inject({ method: 'GET', url: '/subverwerkers', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('Postbode Mail GmbH'));
  assert.ok(page.body.includes('DPA-2026-07'));
  assert.ok(page.body.includes(subprocessor.effectiveFrom.toISOString().slice(0, 10)));
});

test('the notice period is a floor, configurable; bad input is refused with codes', async () => {
  const soon = new Date(t.s.clock.now().getTime() + 10 * DAY);
  await assert.rejects(addSubprocessor(t.s, OPERATOR_SETTINGS, { ...MAILER, effectiveFrom: soon }), {
    code: 'effective_date_too_soon',
  });
  const longer = { ...OPERATOR_SETTINGS, subprocessorNoticeDays: 45 };
  const { subprocessor } = await addSubprocessor(t.s, longer, { ...MAILER, name: 'Opslag B.V.' });
  assert.equal(subprocessor.effectiveFrom.getTime(), t.s.clock.now().getTime() + 45 * DAY);
  await assert.rejects(
    addSubprocessor(t.s, OPERATOR_SETTINGS, { ...MAILER, dataCategories: ['shoe_size'] }),
    {
      code: 'validation_failed',
    },
  );
});

test('an EU-only deployment refuses a subprocessor outside the EU or under a non-EU parent', async () => {
  const euOnly = { ...OPERATOR_SETTINGS, subprocessorsEuOnly: true };
  await assert.rejects(addSubprocessor(t.s, euOnly, { ...MAILER, country: 'US', parentJurisdiction: 'US' }), {
    code: 'subprocessor_outside_eu',
  });
  await assert.rejects(addSubprocessor(t.s, euOnly, { ...MAILER, country: 'IE', parentJurisdiction: 'US' }), {
    code: 'subprocessor_outside_eu',
  });
  const ok = await addSubprocessor(t.s, euOnly, {
    ...MAILER,
    name: 'Noorse Back-up AS',
    country: 'NO',
    parentJurisdiction: 'NO',
  });
  assert.equal(ok.subprocessor.country, 'NO');
});

test('notify-and-object vs prior consent, over the notice period; objections recorded and audited', async () => {
  const { subprocessor } = await addSubprocessor(t.s, OPERATOR_SETTINGS, {
    ...MAILER,
    name: 'Rekenkracht SE',
  });
  const id = subprocessor.id;
  const find = async (token: string) =>
    (
      (await t.call('GET', '/api/v1/subprocessors', token)).json() as { id: string; [k: string]: unknown }[]
    ).find((s) => s.id === id);

  // B chooses prior consent.
  const policy = await t.call('PUT', '/api/v1/privacy/subprocessor-policy', t.ownerB, {
    policy: 'prior_consent',
  });
  assert.equal(policy.json().subprocessorPolicy, 'prior_consent');

  const beforeA = await find(t.ownerA);
  assert.equal(beforeA?.isEffective, false);
  assert.equal(beforeA?.isUsedForBusiness, false);

  // A objects, with a reason, before the effective date.
  const objected = await t.call('POST', `/api/v1/subprocessors/${id}/objection`, t.ownerA, {
    reason: 'Onze klanten willen geen opslag bij deze partij.',
  });
  assert.equal(objected.statusCode, 200);
  assert.equal(objected.json().objection.reason, 'Onze klanten willen geen opslag bij deze partij.');
  assert.deepEqual(await auditActions(t.a, id), ['subprocessor.objected']);
  const raw = await inTenant(t.s.db, t.a.tenantId, (tx) =>
    queryRows<{ r: string }>(tx, sql`SELECT row_to_json(d)::text AS r FROM subprocessor_decisions d`),
  );
  assert.ok(raw.length === 1 && !raw[0]?.r.includes('klanten'), 'the reason is stored encrypted');
  assert.equal((await find(t.ownerB))?.objection, null, "B never sees A's objection");

  // 31 days later it is effective: used for A (notify-and-object), not for B until B consents.
  t.s.clock.advance(31 * DAY);
  const ownerA = await t.tokenFor(t.a, 'owner');
  const ownerB = await t.tokenFor(t.b, 'owner');
  const afterA = await find(ownerA);
  assert.equal(afterA?.isEffective, true);
  assert.equal(afterA?.isUsedForBusiness, true);
  assert.equal((await find(ownerB))?.isUsedForBusiness, false);
  const consented = await t.call('POST', `/api/v1/subprocessors/${id}/consent`, ownerB);
  assert.equal(consented.statusCode, 200);
  assert.equal(consented.json().isUsedForBusiness, true);
  assert.deepEqual(await auditActions(t.b, id), ['subprocessor.consented']);
});

test('refusals: a missing subprocessor is 404, an empty reason 400, a viewer 403', async () => {
  const { subprocessor } = await addSubprocessor(t.s, OPERATOR_SETTINGS, {
    ...MAILER,
    name: 'Vertaalbureau BV',
  });
  const ownerA = await t.tokenFor(t.a, 'owner'); // the clock travelled past the first tokens
  const missing = await t.call(
    'POST',
    '/api/v1/subprocessors/00000000-0000-7000-8000-000000000000/consent',
    ownerA,
  );
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'subprocessor_not_found');
  const empty = await t.call('POST', `/api/v1/subprocessors/${subprocessor.id}/objection`, ownerA, {
    reason: ' ',
  });
  assert.equal(empty.statusCode, 400);
  const viewer = await t.tokenFor(t.a, 'viewer');
  assert.equal(
    (await t.call('POST', `/api/v1/subprocessors/${subprocessor.id}/consent`, viewer)).statusCode,
    403,
  );
  assert.equal((await t.call('GET', '/api/v1/subprocessors', viewer)).statusCode, 403);
});
