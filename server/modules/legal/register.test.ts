/**
 * Privacy center point 5: the register of processing (GDPR art. 30(2)) per business, as JSON and
 * PDF, generated from the data catalogue, the subprocessors with this business's decisions, and
 * the security measures of the running configuration. Owners and admins only; each business gets
 * its own contact and decisions.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ApiTest } from '../../test/api.ts';
import { addSubprocessor } from '../subprocessors/subprocessors.service.ts';
import { dataAnnex } from './annex.ts';
import { OPERATOR_SETTINGS, openLegalTest } from './legal.testing.ts';

let t: ApiTest;
before(async () => {
  t = await openLegalTest();
});
after(() => t.close());

test('the register is generated from the catalogue, the subprocessors and the security measures', async () => {
  await addSubprocessor(t.s, OPERATOR_SETTINGS, {
    name: 'Wolk Inc.',
    purpose: 'Hosting van back-ups',
    dataCategories: ['name', 'email'],
    country: 'IE',
    parentJurisdiction: 'US',
    agreementReference: 'SCC-2026',
  });
  await t.call('PUT', '/api/v1/privacy/contact', t.ownerA, { name: 'Jan de Vries', email: 'jan@a.example' });
  const res = await t.call('GET', '/api/v1/privacy/register', t.ownerA);
  assert.equal(res.statusCode, 200);
  const r = res.json();
  assert.equal(r.processor.name, 'Kluisbeheer Noord B.V.');
  assert.equal(r.processor.kvkNumber, '87654321');
  assert.deepEqual(r.controller, {
    tenantId: t.a.tenantId,
    contact: { name: 'Jan de Vries', email: 'jan@a.example', phone: null },
  });
  // Every subject and category of the catalogue is in it.
  const annex = dataAnnex();
  assert.deepEqual(
    r.processing.map((p: { subject: string }) => p.subject),
    annex.map((e) => e.subject),
  );
  const customer = r.processing.find((p: { subject: string }) => p.subject === 'customer');
  assert.ok(customer.categories.some((c: { code: string }) => c.code === 'bank_account'));
  assert.ok(customer.retention.some((c: { code: string }) => c.code === 'fiscal_7_years'));
  // The subprocessor, flagged as a transfer (non-EU parent), not yet used (announced).
  const wolk = r.subprocessors.find((s: { name: string }) => s.name === 'Wolk Inc.');
  assert.equal(wolk.isThirdCountry, true);
  assert.equal(wolk.isUsedForBusiness, false);
  assert.ok(r.securityMeasures.some((m: string) => m.includes('AES-256-GCM')));
  assert.ok(r.securityMeasures.length >= 10);

  // B's register has B's own contact.
  const b = (await t.call('GET', '/api/v1/privacy/register', t.ownerB)).json();
  assert.equal(b.controller.tenantId, t.b.tenantId);
  assert.equal(b.controller.contact.name, 'Privacy Contact');
});

test('the register as PDF, and only for owners and admins', async () => {
  const pdf = await t.call('GET', '/api/v1/privacy/register.pdf', t.ownerA);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  const viewer = await t.tokenFor(t.a, 'viewer');
  assert.equal((await t.call('GET', '/api/v1/privacy/register', viewer)).statusCode, 403);
  assert.equal((await t.call('GET', '/api/v1/privacy/register.pdf', viewer)).statusCode, 403);
});
