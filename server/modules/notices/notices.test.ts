/**
 * In-app notices and operator alerts (ADR 0060), travelling in time on the injected clock: a
 * subprocessor announcement gives every business a notice and a mail; an objection alerts the
 * operator once; an incident alerts at 24 h, 36 h and 48 h (overdue) exactly once each while its
 * notices are unsent, and never once they were sent; the notices API shows the contact banner,
 * the agreement gate and each business's own notices only. PGlite and server.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listAuditEvents } from '../../audit/audit.repo.ts';
import { DAY, HOUR } from '../../clock.ts';
import { SYSTEM } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { listOutbox, readOutbox } from '../../mail/outbox-mailer.ts';
import type { ApiTest } from '../../test/api.ts';
import { CONSOLE, PLATFORM_CHAIN, verifyPlatformAudit } from '../identity/platform-audit.ts';
import { platformMailKeys } from '../identity/platform-mail.ts';
import { escalateIncident, registerIncidentEscalationJobs } from '../incidents/escalations.ts';
import {
  createIncident,
  type IncidentInput,
  notifyIncident,
  scopeIncident,
} from '../incidents/incidents.service.ts';
import { OPERATOR_SETTINGS, openLegalTest } from '../legal/legal.testing.ts';
import { REQUEST_KINDS, receiveSubjectRequest } from '../subject-requests/subject-requests.service.ts';
import { addSubprocessor } from '../subprocessors/subprocessors.service.ts';
import { createTenant } from '../tenants/tenants.service.ts';
import { alertObjection, registerOperatorAlertJobs } from './operator-alerts.ts';

const ALERTS = { alertEmail: 'alarm@kluisbeheer.example' };
const NEXT = { version: '2.0', date: '2027-01-01' };
let t: ApiTest;
let runner: JobRunner;

before(async () => {
  t = await openLegalTest({ ...OPERATOR_SETTINGS, agreement: NEXT });
  runner = registerIncidentEscalationJobs(registerOperatorAlertJobs(new JobRunner(t.s), ALERTS), ALERTS);
});
after(() => t.close());

/** The alert mails in the platform outbox, oldest first. */
async function alertMails(): Promise<{ subject: string; text: string }[]> {
  const keys = await platformMailKeys(t.s);
  const out: { subject: string; text: string; at: number }[] = [];
  for (const m of await listOutbox(t.s.blobs, keys)) {
    if (!m.to.includes(ALERTS.alertEmail)) continue;
    const mail = await readOutbox(t.s.blobs, keys, m.id);
    out.push({ subject: mail.subject ?? '', text: mail.text ?? '', at: m.date?.getTime() ?? 0 });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The `platform.operator_alerted` events for one target. */
async function alertEvents(targetId: string) {
  return inTenant(t.s.db, PLATFORM_CHAIN, async (tx) =>
    (await listAuditEvents(tx, PLATFORM_CHAIN, 0, 10_000)).filter(
      (e) => e.action === 'platform.operator_alerted' && e.targetId === targetId,
    ),
  );
}

function incident(over: Partial<IncidentInput> = {}): IncidentInput {
  return {
    discoveredAt: t.s.clock.now(),
    nature: 'Onbevoegde toegang tot een back-up',
    systems: ['backup-opslag'],
    dataCategories: ['name', 'email'],
    description: 'Een back-up was korte tijd openbaar leesbaar',
    consequences: 'Gering: versleuteld',
    measures: 'Afgesloten, sleutels geroteerd',
    encryption: 'encrypted',
    contact: 'incidenten@kluisbeheer.example',
    ...over,
  };
}

type NoticesBody = {
  contact: string;
  agreement: { version: string; mustAccept: boolean; canAccept: boolean };
  unread: number;
  items: {
    id: string;
    kind: string;
    subjectId: string;
    readAt: string | null;
    subprocessor: { name: string } | null;
  }[];
};
const notices = async (token: string) =>
  (await t.call('GET', '/api/v1/notices', token)).json() as NoticesBody;

test('a subprocessor announcement gives every business a notice and its contact a mail', async () => {
  const { subprocessor, mailed } = await addSubprocessor(t.s, OPERATOR_SETTINGS, {
    name: 'Postbode Mail GmbH',
    purpose: 'Versturen van e-mail',
    dataCategories: ['email'],
    country: 'DE',
    parentJurisdiction: 'DE',
    agreementReference: 'DPA-2026-07',
  });
  assert.equal(mailed, 2);
  for (const token of [t.ownerA, t.ownerB]) {
    const body = await notices(token);
    const mine = body.items.filter((n) => n.kind === 'subprocessor_announced');
    assert.equal(mine.length, 1, 'one notice per business');
    assert.equal(mine[0]?.subjectId, subprocessor.id);
    assert.equal(mine[0]?.subprocessor?.name, 'Postbode Mail GmbH');
    assert.equal(mine[0]?.readAt, null);
    assert.equal(body.unread, 1);
  }
});

test('an objection alerts the operator once, by mail and on the platform chain, without the reason', async () => {
  const { subprocessor } = await addSubprocessor(t.s, OPERATOR_SETTINGS, {
    name: 'Opslag Noord B.V.',
    purpose: 'Opslag van bestanden',
    dataCategories: ['name'],
    country: 'NL',
    parentJurisdiction: 'NL',
    agreementReference: 'DPA-2026-09',
  });
  const reason = 'Wij vertrouwen deze partij niet met klantgegevens van Jansen';
  const res = await t.call('POST', `/api/v1/subprocessors/${subprocessor.id}/objection`, t.ownerA, {
    reason,
  });
  assert.equal(res.statusCode, 200);
  assert.equal((await alertMails()).length, 0, 'the alert is a job committed with the objection');
  assert.ok((await runner.runDueJobs()) >= 1);
  const mails = (await alertMails()).filter((m) => m.subject.includes('Opslag Noord B.V.'));
  assert.equal(mails.length, 1);
  assert.ok(mails[0]?.text.includes(t.a.tenantId));
  assert.ok(!mails[0]?.text.includes('Jansen'), 'the reason stays with the business');
  assert.ok(!mails[0]?.text.includes('privacy@testbedrijf.example'), 'no contact details');
  const events = await alertEvents(subprocessor.id);
  assert.equal(events.length, 1);
  const data = events[0]?.data as { kind: string; decision: string; business: string };
  assert.equal(data.kind, 'subprocessor_objection');
  assert.equal(data.business, t.a.tenantId);
  // The job running again (a restart after the alert committed) sends nothing.
  const decision = data.decision;
  assert.equal(
    await alertObjection(t.s, ALERTS, {
      tenantId: t.a.tenantId,
      subprocessorId: subprocessor.id,
      decisionId: decision,
    }),
    false,
  );
  assert.equal(await runner.runDueJobs(), 0);
  assert.equal((await alertMails()).filter((m) => m.subject.includes('Opslag Noord B.V.')).length, 1);
  assert.equal((await verifyPlatformAudit(t.s)).ok, true);
});

test('an incident with unsent notices alerts at 24 h, 36 h and 48 h (overdue), each exactly once', async () => {
  const start = t.s.clock.now();
  const { id } = await createIncident(t.s, CONSOLE, incident());
  await scopeIncident(t.s, CONSOLE, id, { businesses: [t.a.tenantId] });
  t.s.clock.set(new Date(start.getTime() + 23 * HOUR));
  await runner.runDueJobs();
  assert.equal((await alertEvents(id)).length, 0, 'nothing before 24 hours');

  t.s.clock.set(new Date(start.getTime() + 24 * HOUR));
  await runner.runDueJobs();
  await runner.runDueJobs();
  let mails = (await alertMails()).filter((m) => m.subject.includes(id));
  assert.equal(mails.length, 1);
  assert.match(mails[0]?.subject ?? '', /24 uur/);
  assert.match(mails[0]?.text ?? '', /nog niet gemeld: 1/);
  // A handler run again (after a restart or a lost lease) finds its key taken.
  assert.equal(await escalateIncident(t.s, ALERTS, id, '24h'), 'already_alerted');
  const restarted = registerIncidentEscalationJobs(new JobRunner(t.s), ALERTS);
  assert.equal(await restarted.runDueJobs(), 0);
  await restarted.stop();

  t.s.clock.set(new Date(start.getTime() + 36 * HOUR));
  await runner.runDueJobs();
  t.s.clock.set(new Date(start.getTime() + 48 * HOUR));
  await runner.runDueJobs();
  await runner.runDueJobs();
  mails = (await alertMails()).filter((m) => m.subject.includes(id));
  assert.equal(mails.length, 3);
  assert.match(mails[1]?.subject ?? '', /36 uur/);
  assert.match(mails[2]?.subject ?? '', /te laat/);
  const stages = (await alertEvents(id)).map((e) => (e.data as { stage: string }).stage);
  assert.deepEqual(stages, ['24h', '36h', '48h_overdue']);
});

test('no alert once the notices were sent; the breach notice appears in the affected business only', async () => {
  const start = t.s.clock.now();
  const { id } = await createIncident(t.s, CONSOLE, incident());
  await scopeIncident(t.s, CONSOLE, id, { businesses: [t.a.tenantId] });
  t.s.clock.advance(2 * HOUR);
  const sent = await notifyIncident(t.s, CONSOLE, id, OPERATOR_SETTINGS.operator.name);
  assert.deepEqual(sent.notified, [t.a.tenantId]);
  t.s.clock.set(new Date(start.getTime() + 49 * HOUR));
  await runner.runDueJobs();
  assert.equal((await alertEvents(id)).length, 0);
  assert.equal((await alertMails()).filter((m) => m.subject.includes(id)).length, 0);
  assert.equal(await escalateIncident(t.s, ALERTS, id, '48h_overdue'), 'notices_sent');

  const ownerA = await t.tokenFor(t.a, 'owner'); // the clock travelled past the first tokens
  const ownerB = await t.tokenFor(t.b, 'owner');
  const a = (await notices(ownerA)).items.filter((n) => n.kind === 'breach_notice');
  assert.deepEqual(
    a.map((n) => n.subjectId),
    [id],
  );
  assert.equal((await notices(ownerB)).items.filter((n) => n.subjectId === id).length, 0);
});

test('the notices API: unread first, read marks for the business, another business’s notice is 404', async () => {
  const ownerA = await t.tokenFor(t.a, 'owner');
  const viewerA = await t.tokenFor(t.a, 'viewer');
  const ownerB = await t.tokenFor(t.b, 'owner');
  const before = await notices(viewerA);
  assert.ok(before.items.length >= 3);
  const first = before.items.at(-1);
  assert.ok(first);
  const read = await t.call('POST', `/api/v1/notices/${first.id}/read`, viewerA);
  assert.equal(read.statusCode, 200);
  assert.ok(read.json().readAt);
  const after = await notices(ownerA);
  assert.equal(after.unread, before.unread - 1);
  assert.equal(after.items.at(-1)?.id, first.id, 'read notices come after unread ones');
  assert.ok(after.items.slice(0, after.unread).every((n) => n.readAt === null));
  // Marking again keeps the first mark and records one event.
  const again = await t.call('POST', `/api/v1/notices/${first.id}/read`, ownerA);
  assert.equal(again.json().readAt, read.json().readAt);
  const events = await inTenant(t.s.db, t.a.tenantId, async (tx) =>
    (await listAuditEvents(tx, t.a.tenantId, 0, 10_000)).filter((e) => e.action === 'notice.read'),
  );
  assert.equal(events.length, 1);

  const cross = await t.call('POST', `/api/v1/notices/${first.id}/read`, ownerB);
  assert.equal(cross.statusCode, 404);
  assert.equal(cross.json().error.code, 'notice_not_found');
  assert.equal(
    (await notices(ownerB)).items.some((n) => n.id === first.id),
    false,
  );
  const bad = await t.call('POST', '/api/v1/notices/not-an-id/read', ownerA);
  assert.equal(bad.statusCode, 404);
});

test('the agreement gate: a new version must be accepted, by an owner or admin only', async () => {
  const owner = await t.tokenFor(t.a, 'owner');
  const viewer = await t.tokenFor(t.a, 'viewer');
  const gate = (await notices(owner)).agreement;
  assert.deepEqual(gate, { version: '2.0', date: '2027-01-01', mustAccept: true, canAccept: true });
  assert.equal((await notices(viewer)).agreement.canAccept, false);
  assert.equal((await t.call('POST', '/api/v1/agreement/accept', owner, { version: '2.0' })).statusCode, 200);
  assert.equal((await notices(viewer)).agreement.mustAccept, false, 'accepted for the whole business');
  assert.equal((await notices(await t.tokenFor(t.b, 'owner'))).agreement.mustAccept, true, 'B still has to');
});

test('a data-subject request gives its business a notice that names no one', async () => {
  const kind = REQUEST_KINDS[0];
  assert.ok(kind);
  const input = {
    kind,
    name: 'Jan Verzoeker',
    email: 'jan@verzoek.example',
    description: 'Inzage graag',
    lang: 'nl' as const,
  };
  assert.deepEqual(await receiveSubjectRequest(t.s, t.b.tenantId, input, { ip: null, requestId: 'req-sr' }), {
    received: true,
  });
  const res = await t.call('GET', '/api/v1/notices', await t.tokenFor(t.b, 'owner'));
  const items = (res.json() as NoticesBody).items.filter((n) => n.kind === 'subject_request');
  assert.equal(items.length, 1);
  assert.ok(!res.body.includes('Verzoeker') && !res.body.includes('jan@verzoek'), 'a reference only');
  const a = (await notices(await t.tokenFor(t.a, 'owner'))).items;
  assert.equal(a.filter((n) => n.kind === 'subject_request').length, 0);
});

test('the contact banner: missing until set, then due again after a year', async () => {
  const { id } = await createTenant(t.s, SYSTEM, { name: 'Zonder Contact' });
  const fresh = await t.tokenFor({ ...t.a, tenantId: id }, 'owner');
  assert.equal((await notices(fresh)).contact, 'missing');
  const put = await t.call('PUT', '/api/v1/privacy/contact', fresh, {
    name: 'P. Rivacy',
    email: 'p@zc.example',
  });
  assert.equal(put.statusCode, 200);
  assert.equal((await notices(fresh)).contact, 'ok');
  t.s.clock.advance(366 * DAY);
  const later = await t.tokenFor({ ...t.a, tenantId: id }, 'owner');
  assert.equal((await notices(later)).contact, 'reconfirm_due');
  assert.equal((await t.call('POST', '/api/v1/privacy/contact/confirm', later)).statusCode, 200);
  assert.equal((await notices(later)).contact, 'ok');
});
