/**
 * Ending (Privacy center point 10), travelling in time with the ManualClock: the owner ends the
 * subscription with the warning and the final-export link; before the deadline nothing is deleted;
 * after it the job shreds, purges every tenant table of that business only (other businesses
 * untouched), and keeps a signed certificate that verifies, mailed to the captured contact.
 * Resume cancels; delete-now brings the deadline forward; a crash mid-purge resumes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { listOutbox, readOutbox } from '../../mail/outbox-mailer.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import type { TestServices } from '../../test/harness.ts';
import { makeTenant } from '../../test/harness.ts';
import { createCustomer } from '../customers/customers.service.ts';
import { platformAuditKeys, verifyPlatformAudit } from '../identity/platform-audit.ts';
import { createInvoice, issueInvoice } from '../invoices/index.ts';
import { prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { registerExportJobs } from '../privacy/exports.service.ts';
import { getCertificate, listEndings } from './ending.operator.ts';
import { DELETE_NOW_PHRASE, FISCAL_WARNING } from './ending.service.ts';
import { deleteBusinessJob, registerEndingJobs, tenantTables, verifyCertificate } from './ending-job.ts';

const DAY = 86_400_000;
let t: ApiTest;
let s: TestServices;
let a: Ctx;
let b: Ctx;
let runner: JobRunner;

async function rowsOf(tenantId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await tenantTables(s)) {
    const [r] = await s.db.asOwner<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE tenant_id = $1`,
      [tenantId],
    );
    if ((r?.n ?? 0) > 0) out[table] = r?.n ?? 0;
  }
  return out;
}

async function fill(ctx: Ctx, name: string): Promise<void> {
  const customerId = await prepareBusiness(ctx);
  await createCustomer(ctx, { kind: 'person', name, email: `${name.split(' ')[0]}@example.nl` });
  await issueInvoice(ctx, (await createInvoice(ctx, workedExample(customerId))).id);
  await createInvoice(ctx, workedExample(customerId));
}

before(async () => {
  t = await openApiTest();
  ({ s, a, b } = t);
  runner = registerEndingJobs(registerExportJobs(new JobRunner(s, { workerId: 'ending-test' })));
  await fill(a, 'Anna de Vries');
  await fill(b, 'Bram Bakker');
  const put = await t.call('PUT', '/api/v1/privacy/contact', t.ownerA, {
    name: 'Femke Jansen',
    email: 'privacy@bedrijf-a.example',
    phone: null,
  });
  assert.equal(put.statusCode, 200, put.body);
});
after(() => t.close());

describe('ending a subscription', () => {
  test('only an owner ends; the answer carries the deadline, the warning and the final-export link', async () => {
    const admin = await t.tokenFor(a, 'admin');
    const refused = await t.call('POST', '/api/v1/subscription/end', admin, { delete: true });
    assert.equal(refused.statusCode, 403);
    const tooLong = await t.call('POST', '/api/v1/subscription/end', t.ownerA, { retentionDays: 184 });
    assert.equal(tooLong.statusCode, 400);

    const before = await t.call('GET', '/api/v1/subscription', t.ownerA);
    assert.equal(before.json().status, 'active');
    assert.equal(before.json().warning.nl, FISCAL_WARNING.nl);

    const res = await t.call('POST', '/api/v1/subscription/end', t.ownerA, { return: true, delete: true });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'ending');
    assert.equal(body.ending.retentionDays, 30);
    assert.equal(new Date(body.ending.deletionDeadline).getTime(), s.clock.now().getTime() + 30 * DAY);
    assert.match(body.warning.en, /seven years/);
    assert.match(body.warning.nl, /zeven jaar/);
    assert.deepEqual(body.finalExport, { method: 'POST', href: '/api/v1/exports' });
    assert.ok(body.ending.exportId, 'the return starts an export');

    const again = await t.call('POST', '/api/v1/subscription/end', t.ownerA, {});
    assert.equal(again.statusCode, 409);
    const got = await t.call('GET', '/api/v1/subscription', t.ownerA);
    assert.equal(got.json().status, 'ending');
    // Business B sees its own, active subscription, and cannot resume or advance A's ending.
    assert.equal((await t.call('POST', '/api/v1/subscription/resume', t.ownerB)).statusCode, 409);
    const bNow = await t.call('POST', '/api/v1/subscription/delete-now', t.ownerB, {
      confirmation: DELETE_NOW_PHRASE,
    });
    assert.equal(bNow.statusCode, 409);
    assert.equal(await statusOf(a.tenantId), 'ending');
    assert.equal(await statusOf(b.tenantId), undefined);
    assert.equal((await t.call('GET', '/api/v1/subscription', t.ownerB)).json().status, 'active');
  });

  test('before the deadline nothing is deleted (the export is written)', async () => {
    const rows = await rowsOf(a.tenantId);
    s.clock.advance(29 * DAY);
    await runner.runDueJobs();
    assert.equal(await statusOf(a.tenantId), 'ending');
    const now = await rowsOf(a.tenantId);
    for (const [table, n] of Object.entries(rows)) assert.ok((now[table] ?? 0) >= n, table);
    assert.equal(now.tenant_keys, rows.tenant_keys, 'the keys are still there');
    assert.ok(Object.keys(rows).length > 5);
  });

  test('after the deadline the job shreds, purges only this business, certifies and mails', async () => {
    const bRows = await rowsOf(b.tenantId);
    s.clock.advance(2 * DAY);
    await runner.runDueJobs();
    assert.deepEqual(await rowsOf(a.tenantId), {}, 'no row of business A is left in any tenant table');
    assert.deepEqual(await rowsOf(b.tenantId), bRows, 'business B is untouched');

    const row = (
      await s.db.asOwner<{ status: string; purged: Record<string, number>; contact_enc: unknown }>(
        'SELECT status, purged, contact_enc FROM subscription_endings WHERE business_id = $1',
        [a.tenantId],
      )
    )[0];
    assert.equal(row?.status, 'deleted');
    assert.equal(row?.contact_enc, null, 'the sealed address is cleared once mailed');
    assert.ok((row?.purged.audit_events ?? 0) > 0);
    assert.ok((row?.purged.invoices ?? 0) > 0);

    assert.equal(await verifyCertificate(s, a.tenantId), true);
    const pdf = (
      await s.db.asOwner<{ certificate_pdf: Buffer }>(
        'SELECT certificate_pdf FROM subscription_endings WHERE business_id = $1',
        [a.tenantId],
      )
    )[0]?.certificate_pdf;
    assert.ok(pdf && Buffer.from(pdf).subarray(0, 5).toString() === '%PDF-');
    assert.ok(!Buffer.from(pdf).toString('latin1').includes('privacy@bedrijf-a'));

    const keys = await platformAuditKeys(s);
    const mails = await listOutbox(s.blobs, keys);
    const mail = mails.find((m) => m.to.includes('privacy@bedrijf-a.example'));
    assert.ok(mail, 'the certificate is mailed to the captured contact');
    const full = await readOutbox(s.blobs, keys, mail.id);
    assert.equal(full.attachments?.[0]?.contentType, 'application/pdf');

    const actions = (
      await s.db.asOwner<{ action: string }>(
        `SELECT action FROM audit_events WHERE tenant_id = '00000000-0000-0000-0000-000000000000' AND target_id = $1 ORDER BY seq`,
        [a.tenantId],
      )
    ).map((r) => r.action);
    assert.deepEqual(actions, [
      'platform.tenant_shredded',
      'platform.tenant_purged',
      'platform.deletion_certified',
    ]);
    assert.equal((await verifyPlatformAudit(s)).ok, true);
    // The ended business's token no longer reaches anything.
    const gone = await t.call('GET', '/api/v1/subscription', t.ownerA);
    assert.ok(gone.statusCode >= 400 && gone.statusCode < 500, `${gone.statusCode} ${gone.body}`);
  });
});

describe('resume and delete-now', () => {
  test('resume before the deadline cancels: the job deletes nothing', async () => {
    const c = await makeTenant(s, 'C');
    let owner = await t.tokenFor(c, 'owner');
    await fill(c, 'Cor Claes');
    const rows = await rowsOf(c.tenantId);
    await t.call('POST', '/api/v1/subscription/end', owner, { retentionDays: 10 });
    s.clock.advance(5 * DAY);
    owner = await t.tokenFor(c, 'owner');
    const res = await t.call('POST', '/api/v1/subscription/resume', owner);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'active');
    s.clock.advance(6 * DAY);
    await runner.runDueJobs();
    const now = await rowsOf(c.tenantId);
    for (const [table, n] of Object.entries(rows)) assert.ok((now[table] ?? 0) >= n, table);
    assert.equal(await statusOf(c.tenantId), 'cancelled');
    owner = await t.tokenFor(c, 'owner');
    assert.equal((await t.call('GET', '/api/v1/subscription', owner)).json().status, 'active');
    assert.equal((await t.call('POST', '/api/v1/subscription/resume', owner)).statusCode, 409);
  });

  test('delete-now needs the phrase and brings the deadline forward', async () => {
    const d = await makeTenant(s, 'D');
    const owner = await t.tokenFor(d, 'owner');
    await fill(d, 'Dirk Dekker');
    await t.call('POST', '/api/v1/subscription/end', owner, { retentionDays: 90 });
    const wrong = await t.call('POST', '/api/v1/subscription/delete-now', owner, { confirmation: 'ja' });
    assert.equal(wrong.statusCode, 400);
    const ok = await t.call('POST', '/api/v1/subscription/delete-now', owner, {
      confirmation: DELETE_NOW_PHRASE,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(new Date(ok.json().ending.deletionDeadline).getTime(), s.clock.now().getTime());
    await runner.runDueJobs();
    assert.deepEqual(await rowsOf(d.tenantId), {});
    assert.equal(await verifyCertificate(s, d.tenantId), true);
  });

  test('a crash mid-purge resumes where it stopped', async () => {
    const e = await makeTenant(s, 'E');
    const owner = await t.tokenFor(e, 'owner');
    await fill(e, 'Eva Evers');
    const bRows = await rowsOf(b.tenantId);
    await t.call('POST', '/api/v1/subscription/end', owner, { retentionDays: 0 });
    let batches = 0;
    const crash = {
      batchSize: 3,
      afterBatch: () => {
        batches++;
        if (batches === 4) throw new Error('simulated crash');
      },
    };
    const job = {
      payload: { businessId: e.tenantId },
      jobId: 'x',
      attempt: 1,
      signal: new AbortController().signal,
    };
    await assert.rejects(deleteBusinessJob(job, s, crash), /simulated crash/);
    const mid = (
      await s.db.asOwner<{ status: string; purged: Record<string, number> }>(
        'SELECT status, purged FROM subscription_endings WHERE business_id = $1',
        [e.tenantId],
      )
    )[0];
    assert.equal(mid?.status, 'shredded');
    const doneSoFar = Object.values(mid?.purged ?? {}).reduce((x, y) => x + y, 0);
    assert.ok(doneSoFar >= 4 && doneSoFar <= 12, `${doneSoFar} rows committed in 4 batches`);
    assert.ok(Object.keys(await rowsOf(e.tenantId)).length > 0, 'rows remain after the crash');

    await deleteBusinessJob({ ...job, attempt: 2 }, s, { batchSize: 3 });
    assert.deepEqual(await rowsOf(e.tenantId), {});
    assert.deepEqual(await rowsOf(b.tenantId), bRows);
    assert.equal(await verifyCertificate(s, e.tenantId), true);
  });

  test('the operator lists the endings and reads a kept certificate', async () => {
    const list = await listEndings(s);
    const mine = list.find((x) => x.businessId === a.tenantId);
    assert.equal(mine?.status, 'deleted');
    assert.ok((mine?.rowsPurged ?? 0) > 10);
    assert.ok(list.some((x) => x.status === 'cancelled'));
    const cert = await getCertificate(s, a.tenantId);
    assert.equal(cert?.verified, true);
    assert.equal(await getCertificate(s, b.tenantId), undefined);
  });
});

async function statusOf(id: string): Promise<string | undefined> {
  const [r] = await s.db.asOwner<{ status: string }>(
    'SELECT status FROM subscription_endings WHERE business_id = $1',
    [id],
  );
  return r?.status;
}
