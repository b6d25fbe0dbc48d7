/**
 * Incidents and breach notices (Privacy center points 8 and 11), travelling in time on the
 * injected clock: notices inside 48 hours, escalations at 24 and 36 hours, overdue after 48,
 * closing refused while a notice is missing, the mail carrying every element of the AP's form,
 * updates appended and sent, and each business seeing only its own notices. PGlite and server.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listAuditEvents } from '../../audit/audit.repo.ts';
import { verifyAuditChain } from '../../audit/verify.ts';
import { HOUR } from '../../clock.ts';
import { type Ctx, SYSTEM } from '../../context.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { listOutbox, readOutbox } from '../../mail/outbox-mailer.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { makeTenant } from '../../test/harness.ts';
import { createCustomer } from '../customers/customers.service.ts';
import { insertMembership } from '../identity/memberships.repo.ts';
import { CONSOLE, verifyPlatformAudit } from '../identity/platform-audit.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { insertUser } from '../identity/users.repo.ts';
import { createInvoice } from '../invoices/index.ts';
import { prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { createTenant } from '../tenants/tenants.service.ts';
import {
  addIncidentUpdate,
  closeIncident,
  createIncident,
  getIncident,
  type IncidentInput,
  listOverdueNotices,
  notifyIncident,
  scopeIncident,
} from './incidents.service.ts';

const OPERATOR = 'Kluisbeheer Noord B.V.';
let t: ApiTest;

before(async () => {
  t = await openApiTest();
  // A: two customers and one draft invoice, so two people and three records.
  const customerId = await prepareBusiness(t.a);
  await createCustomer(t.a, { kind: 'person', name: 'Joke de Tweede' });
  await createInvoice(t.a, workedExample(customerId));
});
after(() => t.close());

function incident(over: Partial<IncidentInput> = {}): IncidentInput {
  return {
    discoveredAt: t.s.clock.now(),
    startedAt: new Date(t.s.clock.now().getTime() - 6 * HOUR),
    endedAt: null,
    nature: 'Een back-up is gekopieerd door een onbevoegde',
    systems: ['backup-opslag', 'database'],
    dataCategories: ['name', 'email', 'bank_account'],
    description: 'Een verkeerd ingestelde bucket maakte een versleutelde back-up openbaar leesbaar',
    consequences: 'Gering: de back-up is versleuteld en de sleutel is niet gelekt',
    measures: 'Bucket afgesloten, sleutels geroteerd, toegangslogboeken nagelopen',
    encryption: 'encrypted',
    contact: 'incidenten@kluisbeheer.example',
    ...over,
  };
}

async function keysOf(ctx: Ctx) {
  return inTenant(t.s.db, ctx.tenantId, (tx) => t.s.keyring.forTenant(tx, ctx.tenantId));
}

async function mailsOf(ctx: Ctx, subjectPart: string) {
  const keys = await keysOf(ctx);
  const list = (await listOutbox(t.s.blobs, keys)).filter((m) => m.subject.includes(subjectPart));
  return Promise.all(list.map((m) => readOutbox(t.s.blobs, keys, m.id)));
}

async function actions(ctx: Ctx): Promise<string[]> {
  return inTenant(t.s.db, ctx.tenantId, async (tx) =>
    (await listAuditEvents(tx, ctx.tenantId, 0, 1000)).map((e) => e.action),
  );
}

const code = (expected: string) => (e: unknown) => (e as { code?: string }).code === expected;

test('notified within the clock: counts from the data, the mail holds every element of the AP form, audited', async () => {
  const created = await createIncident(t.s, CONSOLE, incident());
  const scoped = await scopeIncident(t.s, CONSOLE, created.id, { businesses: [t.a.tenantId, t.b.tenantId] });
  const a = scoped.scope.find((s) => s.businessId === t.a.tenantId);
  const b = scoped.scope.find((s) => s.businessId === t.b.tenantId);
  assert.deepEqual([a?.people, a?.records], [2, 3], 'A: two customers, plus one invoice');
  assert.deepEqual([b?.people, b?.records], [0, 0]);
  assert.equal(scoped.state, 'pending');

  t.s.clock.advance(2 * HOUR);
  const result = await notifyIncident(t.s, CONSOLE, created.id, OPERATOR);
  assert.deepEqual(result.notified.sort(), [t.a.tenantId, t.b.tenantId].sort());
  const after = await getIncident(t.s, created.id);
  assert.equal(after.state, 'notified');
  assert.ok(after.scope.every((s) => s.state === 'notified' && !s.late));

  const [mail] = await mailsOf(t.a, created.id);
  assert.ok(mail, 'the notice is in A’s outbox');
  assert.deepEqual(mail.to, ['privacy@testbedrijf.example'], 'sent to the data-protection contact');
  for (const element of [
    'Aard van de inbreuk',
    'Een back-up is gekopieerd door een onbevoegde',
    'Soort persoonsgegevens',
    'name, email, bank_account',
    'ongeveer 2 personen',
    '3 records',
    'Mogelijke gevolgen',
    'de sleutel is niet gelekt',
    'Genomen of voorgenomen maatregelen',
    'Bucket afgesloten',
    'Contactgegevens',
    'incidenten@kluisbeheer.example',
    'Tijdlijn',
    `ontdekt: ${created.discoveredAt.toISOString()}`,
    'Waren de gegevens versleuteld',
    'Ja: de gegevens waren versleuteld',
    'Getroffen systemen',
    'backup-opslag',
  ]) {
    assert.ok(mail.text.includes(element), `the mail says: ${element}`);
  }
  assert.ok((await actions(t.a)).includes('incident.notified'));
  assert.ok((await actions(t.b)).includes('incident.notified'));
  const verified = await verifyPlatformAudit(t.s);
  assert.equal(verified.ok, true);
  assert.equal(
    (await verifyAuditChain(t.s, t.a.tenantId)).ok,
    true,
    'A’s chain holds with incident.notified',
  );
});

test('the 48-hour clock: escalations at 24 h and 36 h, overdue after 48 h; closing refused until all are notified', async () => {
  const created = await createIncident(t.s, CONSOLE, incident());
  await assert.rejects(closeIncident(t.s, CONSOLE, created.id), code('incident_not_scoped'));
  await scopeIncident(t.s, CONSOLE, created.id, { businesses: [t.a.tenantId, t.b.tenantId] });
  const state = async () => (await getIncident(t.s, created.id)).state;
  const overdueHere = async () => (await listOverdueNotices(t.s)).filter((o) => o.incidentId === created.id);

  t.s.clock.advance(23 * HOUR);
  assert.equal(await state(), 'pending');
  t.s.clock.advance(1 * HOUR);
  assert.equal(await state(), 'escalated_24h');
  t.s.clock.advance(12 * HOUR);
  assert.equal(await state(), 'escalated_36h');
  assert.deepEqual(await overdueHere(), []);
  await assert.rejects(closeIncident(t.s, CONSOLE, created.id), code('incident_notices_missing'));

  t.s.clock.advance(12 * HOUR + 1);
  assert.equal(await state(), 'overdue');
  const overdue = await overdueHere();
  assert.deepEqual(overdue.map((o) => o.businessId).sort(), [t.a.tenantId, t.b.tenantId].sort());
  await assert.rejects(closeIncident(t.s, CONSOLE, created.id), code('incident_notices_missing'));

  await notifyIncident(t.s, CONSOLE, created.id, OPERATOR);
  assert.deepEqual(await overdueHere(), []);
  const late = await getIncident(t.s, created.id);
  assert.ok(
    late.scope.every((s) => s.state === 'notified' && s.late),
    'notified, but after the deadline',
  );
  const closed = await closeIncident(t.s, CONSOLE, created.id);
  assert.equal(closed.status, 'closed');
  await assert.rejects(closeIncident(t.s, CONSOLE, created.id), code('incident_closed'));
  await assert.rejects(
    addIncidentUpdate(t.s, CONSOLE, created.id, 'te laat', OPERATOR),
    code('incident_closed'),
  );
});

test('updates are appended, mailed to the contacts notified, and listed with the notice', async () => {
  const created = await createIncident(t.s, CONSOLE, incident({ encryption: 'unknown' }));
  await scopeIncident(t.s, CONSOLE, created.id, { businesses: [t.a.tenantId] });
  await notifyIncident(t.s, CONSOLE, created.id, OPERATOR);
  t.s.clock.advance(3 * HOUR);
  const first = await addIncidentUpdate(
    t.s,
    CONSOLE,
    created.id,
    'Forensisch onderzoek: geen toegang vastgesteld',
    OPERATOR,
  );
  assert.deepEqual(first, { seq: 1, sentTo: [t.a.tenantId] });
  const [update] = await mailsOf(t.a, `Vervolgmelding #1 beveiligingsincident ${created.id}`);
  assert.ok(update?.text.includes('geen toegang vastgesteld'));

  // B joins the scope later: its notice carries update 1, and update 2 reaches both.
  await scopeIncident(t.s, CONSOLE, created.id, { businesses: [t.b.tenantId] });
  await notifyIncident(t.s, CONSOLE, created.id, OPERATOR);
  const second = await addIncidentUpdate(t.s, CONSOLE, created.id, 'Onderzoek afgerond', OPERATOR);
  assert.deepEqual(second.sentTo.sort(), [t.a.tenantId, t.b.tenantId].sort());

  // Tokens are minted now: the clock has travelled past the lifetime of the first ones.
  for (const token of [await t.tokenFor(t.a, 'owner'), await t.tokenFor(t.b, 'owner')]) {
    const res = await t.call('GET', `/api/v1/breach-notices/${created.id}`, token);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json().updates.map((u: { seq: number; text: string }) => [u.seq, u.text]),
      [
        [1, 'Forensisch onderzoek: geen toegang vastgesteld'],
        [2, 'Onderzoek afgerond'],
      ],
    );
  }
  const incidentNow = await getIncident(t.s, created.id);
  assert.equal(incidentNow.updates.length, 2);
  assert.ok(incidentNow.scope.every((s) => s.updatesSent === 2));
});

test('breach-notice API: owners and admins only, in the order of the AP form, nothing for a business out of scope', async () => {
  const c = await makeTenant(t.s, 'C');
  const ownerC = await t.tokenFor(c, 'owner');
  // Tokens are minted now: the clock has travelled past the lifetime of the first ones.
  const ownerA = await t.tokenFor(t.a, 'owner');
  const ownerB = await t.tokenFor(t.b, 'owner');
  const created = await createIncident(t.s, CONSOLE, incident({ encryption: 'partly_encrypted' }));
  await scopeIncident(t.s, CONSOLE, created.id, { businesses: [t.a.tenantId] });
  await notifyIncident(t.s, CONSOLE, created.id, OPERATOR);

  const listed = await t.call('GET', '/api/v1/breach-notices', ownerA);
  assert.equal(listed.statusCode, 200);
  const mine = listed.json().items.find((n: { id: string }) => n.id === created.id);
  assert.equal(mine.people, 2);
  assert.equal(mine.records, 3);
  assert.equal(mine.encryption, 'partly_encrypted');
  assert.equal(mine.timeline.discoveredAt, created.discoveredAt.toISOString());

  const admin = await t.tokenFor(t.a, 'admin');
  assert.equal((await t.call('GET', `/api/v1/breach-notices/${created.id}`, admin)).statusCode, 200);
  const bookkeeper = await t.tokenFor(t.a, 'bookkeeper');
  assert.equal((await t.call('GET', '/api/v1/breach-notices', bookkeeper)).statusCode, 403);

  // C is in no scope: an empty inbox; B is not in this one: 404, like a missing notice.
  assert.deepEqual((await t.call('GET', '/api/v1/breach-notices', ownerC)).json().items, []);
  for (const url of [`/api/v1/breach-notices/${created.id}`, `/api/v1/breach-notices/${created.id}/export`]) {
    const res = await t.call('GET', url, ownerB);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'breach_notice_not_found');
  }
  assert.equal((await t.call('GET', '/api/v1/breach-notices/not-a-uuid', ownerA)).statusCode, 404);
  assert.equal(await mailsOf(c, created.id).then((m) => m.length), 0);

  const exported = await t.call('GET', `/api/v1/breach-notices/${created.id}/export`, ownerA);
  assert.equal(exported.statusCode, 200);
  assert.deepEqual(
    exported.json().form.map((f: { field: string }) => f.field),
    [
      'contact',
      'summary',
      'nature',
      'timeline',
      'numbers',
      'categories',
      'systems',
      'consequences',
      'measures',
      'encryption',
      'updates',
    ],
  );
  const text = await t.call('GET', `/api/v1/breach-notices/${created.id}/export?format=text`, ownerA);
  assert.equal(text.statusCode, 200);
  assert.match(text.headers['content-type'] as string, /^text\/plain/);
  assert.match(text.body, /^1\. Contactgegevens/);
  assert.match(text.body, /Gedeeltelijk/);
});

test('recording refuses what the catalogue does not know and dates in the future', async () => {
  await assert.rejects(
    createIncident(t.s, CONSOLE, incident({ dataCategories: ['shoe_size'] })),
    code('validation_failed'),
  );
  await assert.rejects(
    createIncident(t.s, CONSOLE, incident({ discoveredAt: new Date(t.s.clock.now().getTime() + HOUR) })),
    code('validation_failed'),
  );
  const created = await createIncident(t.s, CONSOLE, incident());
  await assert.rejects(
    scopeIncident(t.s, CONSOLE, created.id, { businesses: ['0190a0a0-0000-7000-8000-000000000000'] }),
    code('business_not_found'),
  );
  await assert.rejects(getIncident(t.s, '0190a0a0-0000-7000-8000-000000000000'), code('incident_not_found'));
});

test('two operators notifying at once send each business one notice', async () => {
  const created = await createIncident(t.s, CONSOLE, incident());
  await scopeIncident(t.s, CONSOLE, created.id, { businesses: [t.a.tenantId] });
  const results = await Promise.all([
    notifyIncident(t.s, CONSOLE, created.id, OPERATOR),
    notifyIncident(t.s, CONSOLE, created.id, OPERATOR),
  ]);
  assert.deepEqual(
    results.flatMap((r) => r.notified),
    [t.a.tenantId],
  );
  assert.equal((await mailsOf(t.a, `Melding beveiligingsincident (datalek) ${created.id}`)).length, 1);
  const notices = await t.call('GET', `/api/v1/breach-notices/${created.id}`, await t.tokenFor(t.a, 'owner'));
  assert.equal(notices.statusCode, 200);
});

test('a business without a data-protection contact: its owners receive the notice, so it is not left unnotified', async () => {
  const { id: businessId } = await createTenant(t.s, SYSTEM, { name: 'Nog Geen Contact B.V.' });
  const rt = createIdentityRuntime(t.s);
  const userKeys = await rt.userKeys();
  const userId = newId(t.s.clock.now());
  await inSystem(t.s.db, (tx) =>
    insertUser(tx, userKeys, {
      id: userId,
      kind: 'user',
      email: 'eigenaar@geencontact.example',
      passwordHash: null,
      locale: 'nl',
      at: t.s.clock.now(),
    }),
  );
  await inTenant(t.s.db, businessId, (tx) =>
    insertMembership(tx, businessId, userId, 'owner', t.s.clock.now()),
  );
  const created = await createIncident(t.s, CONSOLE, incident());
  await scopeIncident(t.s, CONSOLE, created.id, { businesses: [businessId] });
  const result = await notifyIncident(t.s, CONSOLE, created.id, OPERATOR);
  assert.deepEqual(result, { notified: [businessId], toOwners: [businessId], withoutContact: [] });
  const keys = await inTenant(t.s.db, businessId, (tx) => t.s.keyring.forTenant(tx, businessId));
  const [summary] = await listOutbox(t.s.blobs, keys);
  assert.ok(summary);
  const mail = await readOutbox(t.s.blobs, keys, summary.id);
  assert.deepEqual(mail.to, ['eigenaar@geencontact.example']);
  assert.match(mail.text, /Geachte eigenaar/);
  assert.equal((await closeIncident(t.s, CONSOLE, created.id)).status, 'closed');
});
