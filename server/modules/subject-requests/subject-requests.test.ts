/**
 * Privacy center point 7, data-subject requests: the public form (Dutch and English, no inline
 * script, rate limited, the same answer for an unknown business), the request stored encrypted in
 * the business's inbox with an acknowledgement to the person and a notice to the data-protection
 * contact, and the inbox API with the one-month deadline, the reminder seven days before, overdue,
 * and the recorded outcomes, on the injected clock. Owners and admins only; another business → 404.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../clock.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { isAppNavigation } from '../../http/web.routes.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { listOutbox } from '../../mail/outbox-mailer.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { auditActions } from '../invoices/invoices.testing.ts';
import { registerSubjectRequestJobs } from './subject-requests.jobs.ts';
import { addMonths, subjectRequestFormUrl } from './subject-requests.service.ts';

let t: ApiTest;
before(async () => {
  t = await openApiTest();
});
after(() => t.close());

const FORM = {
  kind: 'access',
  name: 'Jan de Vries',
  email: 'jan.devries@example.org',
  description: 'Welke gegevens hebt u over mij?',
};

function post(businessId: string, form: Record<string, string>, ip = '198.51.100.20') {
  return t.app.inject({
    method: 'POST',
    url: `/privacyverzoek/${businessId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams(form).toString(),
    remoteAddress: ip,
  });
}

async function outbox(tenantId: string) {
  const keys = await inTenant(t.s.db, tenantId, (tx) => t.s.keyring.forTenant(tx, tenantId));
  return listOutbox(t.s.blobs, keys);
}

async function onlyRequest(token: string) {
  const res = await t.call('GET', '/api/v1/subject-requests', token);
  assert.equal(res.statusCode, 200);
  return res.json().items as Record<string, unknown>[];
}

test('the form is a server-rendered page in Dutch and English without inline script', async () => {
  const nl = await t.app.inject({
    method: 'GET',
    url: `/privacyverzoek/${t.a.tenantId}`,
    headers: { accept: 'text/html' },
  });
  assert.equal(nl.statusCode, 200);
  assert.match(String(nl.headers['content-type']), /text\/html/);
  assert.match(nl.body, /<html lang="nl">/);
  assert.match(nl.body, /Privacyverzoek/);
  assert.match(nl.body, /<option value="erasure">verwijdering<\/option>/);
  assert.doesNotMatch(nl.body, /<script|style=/);
  assert.match(String(nl.headers['content-security-policy']), /script-src/);
  const en = await t.app.inject({ method: 'GET', url: `/privacyverzoek/${t.a.tenantId}?lang=en` });
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /Privacy request/);
  assert.equal(
    subjectRequestFormUrl('https://kluis.example/', t.a.tenantId),
    `https://kluis.example/privacyverzoek/${t.a.tenantId}`,
  );
});

test('a request is stored encrypted, acknowledged to the person, announced to the contact, and audited', async () => {
  const before = (await outbox(t.a.tenantId)).length;
  const res = await post(t.a.tenantId, { ...FORM, lang: 'nl' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Verzoek verstuurd/);

  const items = await onlyRequest(t.ownerA);
  const item = items.find((i) => i.email === FORM.email);
  assert.ok(item);
  assert.equal(item.kind, 'access');
  assert.equal(item.name, FORM.name);
  assert.equal(item.description, FORM.description);
  assert.equal(item.status, 'open');
  assert.equal(item.receivedAt, '2026-11-20T10:00:00.000Z');
  assert.equal(item.deadlineAt, '2026-12-20T10:00:00.000Z');
  assert.equal(item.overdue, false);
  assert.equal(item.reminderDue, false);

  const raw = await inTenant(t.s.db, t.a.tenantId, (tx) =>
    queryRows<{ row: string }>(tx, sql`SELECT row_to_json(r)::text AS row FROM subject_requests r`),
  );
  assert.ok(raw.length >= 1);
  for (const r of raw) assert.ok(!/Vries|example\.org|gegevens/.test(r.row), 'no plaintext in the row');

  const mails = await outbox(t.a.tenantId);
  assert.equal(mails.length, before + 2);
  const ack = mails.find((m) => m.to.includes(FORM.email));
  assert.ok(ack, 'the person is acknowledged');
  assert.match(ack.subject, /Uw privacyverzoek aan A is ontvangen/);
  const notice = mails.find((m) => m.to.includes('privacy@testbedrijf.example'));
  assert.ok(notice, 'the data-protection contact is told');
  assert.match(notice.subject, /Nieuw privacyverzoek \(inzage\), uiterlijk 2026-12-20/);

  assert.deepEqual(await auditActions(t.a, String(item.id)), ['subject_request.received']);
  assert.ok(!t.s.logged().includes(FORM.email), 'the address is never logged');
});

test('an unknown business, or a malformed id, gets the same neutral answer and nothing is stored', async () => {
  const known = await post(t.b.tenantId, { ...FORM, lang: 'en' });
  const unknown = await post('0190a0a0-0000-7000-8000-000000000000', { ...FORM, lang: 'en' });
  const malformed = await post('not-a-business', { ...FORM, lang: 'en' });
  assert.equal(known.statusCode, 200);
  assert.equal(unknown.statusCode, 200);
  assert.equal(malformed.statusCode, 200);
  assert.equal(unknown.body, known.body);
  assert.equal(malformed.body, known.body);
  assert.match(known.body, /Request sent/);
});

test('bad input shows the form again with the problems, and stores nothing', async () => {
  const res = await post(t.b.tenantId, { kind: 'everything', name: '', email: 'nope', description: '' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Controleer de velden/);
  assert.match(res.body, /Choose the kind of request/);
  assert.match(res.body, /value="nope"/);
});

test('the form is rate limited per address', async () => {
  let last = 0;
  for (let i = 0; i < 12; i++) {
    last = (await post(t.b.tenantId, { kind: '', name: '', email: '', description: '' }, '198.51.100.99'))
      .statusCode;
  }
  assert.equal(last, 429);
});

test('the deadline is one calendar month; a reminder is due 7 days before; then it is overdue', async (c) => {
  c.after(() => t.s.clock.set('2026-11-20T10:00:00Z'));
  assert.equal(addMonths(new Date('2027-01-31T12:00:00Z'), 1).toISOString(), '2027-02-28T12:00:00.000Z');
  assert.equal(addMonths(new Date('2028-01-31T12:00:00Z'), 1).toISOString(), '2028-02-29T12:00:00.000Z');
  assert.equal(addMonths(new Date('2026-12-15T12:00:00Z'), 1).toISOString(), '2027-01-15T12:00:00.000Z');

  // Tokens are short-lived: each step travels in time and then signs in afresh.
  t.s.clock.set('2027-03-01T09:00:00Z');
  await post(t.b.tenantId, { ...FORM, email: 'late@example.org', lang: 'nl' }, '198.51.100.30');
  const find = async () =>
    (await onlyRequest(await t.tokenFor(t.b, 'owner'))).find((i) => i.email === 'late@example.org');
  assert.equal((await find())?.deadlineAt, '2027-04-01T09:00:00.000Z');

  t.s.clock.set('2027-03-25T08:59:59Z');
  assert.equal((await find())?.reminderDue, false);
  t.s.clock.set('2027-03-25T09:00:00Z');
  assert.equal((await find())?.reminderDue, true);
  assert.equal((await find())?.overdue, false);
  t.s.clock.set('2027-04-01T09:00:01Z');
  assert.equal((await find())?.overdue, true);

  // A final outcome ends both.
  const id = String((await find())?.id);
  const done = await t.call(
    'POST',
    `/api/v1/subject-requests/${id}/outcome`,
    await t.tokenFor(t.b, 'owner'),
    {
      outcome: 'completed',
      reason: 'Inzage per mail verstrekt',
    },
  );
  assert.equal(done.statusCode, 200);
  assert.equal(done.json().status, 'completed');
  assert.equal(done.json().overdue, false);
  assert.equal(done.json().reminderDue, false);
});

test('outcomes: extended by up to two months with a reason, refused with a reason, final once decided, audited', async (c) => {
  c.after(() => t.s.clock.set('2026-11-20T10:00:00Z'));
  await post(
    t.a.tenantId,
    { ...FORM, kind: 'erasure', email: 'wis@example.org', lang: 'nl' },
    '198.51.100.40',
  );
  const item = (await onlyRequest(t.ownerA)).find((i) => i.email === 'wis@example.org');
  assert.ok(item);
  const url = `/api/v1/subject-requests/${item.id}/outcome`;

  const noReason = await t.call('POST', url, t.ownerA, { outcome: 'refused' });
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().error.issues[0].code, 'reason_required');
  assert.equal(
    (await t.call('POST', url, t.ownerA, { outcome: 'extended', months: 3, reason: 'x' })).statusCode,
    400,
  );

  const ext = await t.call('POST', url, t.ownerA, {
    outcome: 'extended',
    months: 1,
    reason: 'Veel facturen na te lopen',
  });
  assert.equal(ext.statusCode, 200);
  assert.equal(ext.json().status, 'extended');
  assert.equal(ext.json().deadlineAt, '2027-01-20T10:00:00.000Z');
  t.s.clock.advance(60_000);
  const ext2 = await t.call('POST', url, t.ownerA, { outcome: 'extended', months: 1, reason: 'Nog steeds' });
  assert.equal(ext2.json().deadlineAt, '2027-02-20T10:00:00.000Z');
  t.s.clock.advance(60_000);
  const tooLong = await t.call('POST', url, t.ownerA, { outcome: 'extended', months: 1, reason: 'Nog meer' });
  assert.equal(tooLong.statusCode, 422);
  assert.equal(tooLong.json().error.code, 'extension_too_long');

  const admin = await t.tokenFor(t.a, 'admin');
  const refused = await t.call('POST', url, admin, {
    outcome: 'refused',
    reason: 'Facturen moeten 7 jaar bewaard blijven (fiscale bewaarplicht)',
  });
  assert.equal(refused.statusCode, 200);
  assert.equal(refused.json().status, 'refused');
  assert.deepEqual(
    refused.json().outcomes.map((o: { outcome: string }) => o.outcome),
    ['extended', 'extended', 'refused'],
  );
  assert.equal(
    refused.json().outcomes[2].reason,
    'Facturen moeten 7 jaar bewaard blijven (fiscale bewaarplicht)',
  );

  const again = await t.call('POST', url, t.ownerA, { outcome: 'completed' });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, 'subject_request_closed');

  const detail = await t.call('GET', `/api/v1/subject-requests/${item.id}`, t.ownerA);
  assert.equal(detail.statusCode, 200);
  assert.equal(detail.json().outcomes.length, 3);
  assert.deepEqual(await auditActions(t.a, String(item.id)), [
    'subject_request.received',
    'subject_request.decided',
    'subject_request.decided',
    'subject_request.decided',
  ]);
  const raw = await inTenant(t.s.db, t.a.tenantId, (tx) =>
    queryRows<{ row: string }>(tx, sql`SELECT row_to_json(o)::text AS row FROM subject_request_outcomes o`),
  );
  for (const r of raw) assert.ok(!r.row.includes('bewaarplicht'), 'reasons are encrypted');
});

test('an extension after the deadline is refused', async () => {
  await post(t.a.tenantId, { ...FORM, email: 'traag@example.org', lang: 'nl' }, '198.51.100.41');
  const item = (await onlyRequest(t.ownerA)).find((i) => i.email === 'traag@example.org');
  t.s.clock.advance(32 * DAY);
  const res = await t.call(
    'POST',
    `/api/v1/subject-requests/${item?.id}/outcome`,
    await t.tokenFor(t.a, 'owner'),
    {
      outcome: 'extended',
      months: 1,
      reason: 'Te laat',
    },
  );
  t.s.clock.set('2026-11-20T10:00:00Z');
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.code, 'deadline_passed');
});

test('another business sees 404; a viewer gets 403', async () => {
  const item = (await onlyRequest(t.ownerA))[0];
  assert.ok(item);
  assert.ok(!(await onlyRequest(t.ownerB)).some((i) => i.id === item.id));
  assert.equal((await t.call('GET', `/api/v1/subject-requests/${item.id}`, t.ownerB)).statusCode, 404);
  const cross = await t.call('POST', `/api/v1/subject-requests/${item.id}/outcome`, t.ownerB, {
    outcome: 'completed',
  });
  assert.equal(cross.statusCode, 404);
  assert.equal(cross.json().error.code, 'subject_request_not_found');
  assert.equal((await t.call('GET', '/api/v1/subject-requests/not-an-id', t.ownerA)).statusCode, 404);

  const viewer = await t.tokenFor(t.a, 'viewer');
  assert.equal((await t.call('GET', '/api/v1/subject-requests', viewer)).statusCode, 403);
  assert.equal((await t.call('GET', `/api/v1/subject-requests/${item.id}`, viewer)).statusCode, 403);
  assert.equal(
    (await t.call('POST', `/api/v1/subject-requests/${item.id}/outcome`, viewer, { outcome: 'completed' }))
      .statusCode,
    403,
  );
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/subject-requests' })).statusCode, 401);
});

test('reminders: the contact is reminded 7 days before the deadline and told when it passed; an extension moves both', async (c) => {
  c.after(() => t.s.clock.set('2026-11-20T10:00:00Z'));
  const runner = registerSubjectRequestJobs(new JobRunner(t.s, { random: () => 0 }));
  const subjects = async () =>
    (await outbox(t.b.tenantId))
      .filter((m) => m.to.includes('privacy@testbedrijf.example'))
      .map((m) => m.subject);
  const count = async (re: RegExp) => (await subjects()).filter((s) => re.test(s)).length;

  t.s.clock.set('2027-06-10T08:00:00Z');
  await post(t.b.tenantId, { ...FORM, email: 'herinner@example.org', lang: 'nl' }, '198.51.100.50');
  const token = async () => t.tokenFor(t.b, 'owner');
  const item = (await onlyRequest(await token())).find((i) => i.email === 'herinner@example.org');
  assert.equal(item?.deadlineAt, '2027-07-10T08:00:00.000Z');

  t.s.clock.set('2027-07-03T07:59:00Z');
  await runner.runDueJobs();
  assert.equal(await count(/Herinnering: privacyverzoek uiterlijk 2027-07-10/), 0, 'not yet');
  t.s.clock.set('2027-07-03T08:00:00Z');
  await runner.runDueJobs();
  assert.equal(await count(/Herinnering: privacyverzoek uiterlijk 2027-07-10/), 1);

  const ext = await t.call('POST', `/api/v1/subject-requests/${item?.id}/outcome`, await token(), {
    outcome: 'extended',
    months: 1,
    reason: 'Complex verzoek',
  });
  assert.equal(ext.json().deadlineAt, '2027-08-10T08:00:00.000Z');

  t.s.clock.set('2027-07-10T08:00:01Z');
  await runner.runDueJobs();
  assert.equal(await count(/Termijn verstreken: .*2027-07-10/), 0, 'the old deadline no longer counts');
  t.s.clock.set('2027-08-03T08:00:00Z');
  await runner.runDueJobs();
  assert.equal(await count(/Herinnering: privacyverzoek uiterlijk 2027-08-10/), 1);
  t.s.clock.set('2027-08-10T08:00:00Z');
  await runner.runDueJobs();
  assert.equal(await count(/Termijn verstreken: privacyverzoek had uiterlijk 2027-08-10/), 1);
  await runner.runDueJobs();
  assert.equal(await count(/Termijn verstreken: .*2027-08-10/), 1, 'each notice once');
});

test('a decided request gets no reminders', async (c) => {
  c.after(() => t.s.clock.set('2026-11-20T10:00:00Z'));
  const runner = registerSubjectRequestJobs(new JobRunner(t.s, { random: () => 0 }));
  t.s.clock.set('2028-01-10T08:00:00Z');
  await post(t.b.tenantId, { ...FORM, email: 'klaar@example.org', lang: 'nl' }, '198.51.100.51');
  const token = await t.tokenFor(t.b, 'owner');
  const item = (await onlyRequest(token)).find((i) => i.email === 'klaar@example.org');
  await t.call('POST', `/api/v1/subject-requests/${item?.id}/outcome`, token, { outcome: 'completed' });
  t.s.clock.set('2028-02-10T08:00:00Z');
  await runner.runDueJobs();
  const subjects = (await outbox(t.b.tenantId)).map((m) => m.subject);
  assert.ok(!subjects.some((s) => /2028-02-10/.test(s) && /Herinnering|Termijn/.test(s)));
});

test("any member reads the business's form URL, to link it from invoices", async () => {
  const viewer = await t.tokenFor(t.a, 'viewer');
  const res = await t.call('GET', '/api/v1/subject-requests/form', viewer);
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().url, `http://localhost:5005/privacyverzoek/${t.a.tenantId}`);
  assert.equal(
    (await t.call('GET', '/api/v1/subject-requests/form', t.ownerB)).json().url.endsWith(t.b.tenantId),
    true,
  );
});

test("the web app's fallback never claims the form's paths", async () => {
  assert.equal(isAppNavigation(`/privacyverzoek/${t.a.tenantId}`, 'text/html'), false);
  assert.equal(isAppNavigation('/privacyverzoek', 'text/html'), false);
  const missing = await t.app.inject({
    method: 'GET',
    url: '/privacyverzoek/a/b',
    headers: { accept: 'text/html' },
  });
  assert.equal(missing.statusCode, 404);
});
