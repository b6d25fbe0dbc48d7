/**
 * Recurring invoices through the real app and the real job runner (issue 4, point 13): time travel
 * over several months produces exactly the due invoices, numbered consecutively in `issue` mode;
 * running the job twice, re-running a finished job and a crash between its steps create nothing
 * twice; end dates, custom intervals, pause and resume hold; another business's schedule is a 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { makeTenant, type TestServices } from '../../test/harness.ts';
import { listInvoices } from '../invoices/index.ts';
import { auditActions, prepareBusiness } from '../invoices/invoices.testing.ts';
import { registerRecurringJobs, runSchedule } from './recurring.jobs.ts';

let t: ApiTest;
let s: TestServices;
let runner: JobRunner;

before(async () => {
  t = await openApiTest();
  s = t.s;
  runner = registerRecurringJobs(new JobRunner(s, { random: () => 0 }));
});
after(() => t.close());

/** A fresh business with a seller and a customer, and a token minted now (tokens live 10 minutes). */
async function business(): Promise<{ ctx: Ctx; customerId: string; token: () => Promise<string> }> {
  const ctx = await makeTenant(s, 'R');
  const customerId = await prepareBusiness(ctx);
  return { ctx, customerId, token: () => t.tokenFor(ctx, 'owner') };
}

const TEMPLATE = {
  lines: [{ description: 'Abonnement', quantity: '1', unitPrice: '100.00', vatCategory: 'S', vatRate: '21' }],
  notes: 'Maandelijks abonnement',
  paymentTermDays: 14,
};

async function create(token: string, body: Record<string, unknown>) {
  const res = await t.call('POST', '/api/v1/recurring-invoices', token, body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; nextOccurrence: string | null };
}

/**
 * The business's invoices as [issue date, number, status], by issue date (drafts without one last):
 * invoices made in one instant of the test clock have ids in random order.
 */
async function invoicesOf(ctx: Ctx): Promise<[string | null, string | null, string][]> {
  const page = await listInvoices(ctx, { limit: 200 });
  const rows = page.items.map((i): [string | null, string | null, string] => [
    i.issueDate,
    i.number,
    i.status,
  ]);
  const key = ([date, number]: [string | null, string | null, string]) => `${date ?? '9999'}|${number ?? ''}`;
  return rows.sort((x, y) => key(x).localeCompare(key(y)));
}

async function travel(to: string): Promise<void> {
  s.clock.set(to);
  await runner.runDueJobs(1000);
}

describe('recurring invoices', () => {
  test('monthly from 31 January, issued: time travel gives exactly the due invoices, numbered in order', async () => {
    s.clock.set('2027-01-20T09:00:00Z');
    const { ctx, customerId, token } = await business();
    const schedule = await create(await token(), {
      customerId,
      template: TEMPLATE,
      frequency: 'monthly',
      startDate: '2027-01-31',
      mode: 'issue',
    });
    assert.equal(schedule.nextOccurrence, '2027-01-31');
    await travel('2027-01-30T12:00:00Z');
    assert.deepEqual(await invoicesOf(ctx), []);

    // The server was "down" from February until May: every missed date is caught up, in order.
    await travel('2027-05-01T06:00:00Z');
    assert.deepEqual(await invoicesOf(ctx), [
      ['2027-01-31', '2027-0001', 'issued'],
      ['2027-02-28', '2027-0002', 'issued'],
      ['2027-03-31', '2027-0003', 'issued'],
      ['2027-04-30', '2027-0004', 'issued'],
    ]);
    const first = (await listInvoices(ctx, { limit: 10 })).items.find((i) => i.number === '2027-0001');
    assert.equal(first?.dueDate, '2027-02-14');
    assert.equal(first?.notes, 'Maandelijks abonnement');
    assert.equal(first?.totals.payable, 12100n);

    await travel('2027-05-01T07:00:00Z');
    assert.equal((await invoicesOf(ctx)).length, 4, 'nothing is produced twice');
    const got = (await t.call('GET', `/api/v1/recurring-invoices/${schedule.id}`, await token())).json();
    assert.equal(got.nextOccurrence, '2027-05-31');
    assert.equal(got.lastOccurrence, '2027-04-30');
    const occurrences = (
      await t.call('GET', `/api/v1/recurring-invoices/${schedule.id}/occurrences`, await token())
    )
      .json()
      .items.map((o: { date: string; state: string }) => [o.date, o.state]);
    assert.deepEqual(occurrences, [
      ['2027-01-31', 'issued'],
      ['2027-02-28', 'issued'],
      ['2027-03-31', 'issued'],
      ['2027-04-30', 'issued'],
    ]);
    // 31 May begins at 22:00 UTC on 30 May (Amsterdam summer time): due then, not a minute before.
    await travel('2027-05-30T21:59:00Z');
    assert.equal((await invoicesOf(ctx)).length, 4);
    await travel('2027-05-30T22:00:00Z');
    assert.deepEqual((await invoicesOf(ctx)).at(-1), ['2027-05-31', '2027-0005', 'issued']);
    // The template is one envelope; the jobs table (not encrypted) holds ids only.
    const [raw] = await s.db.asOwner<{ template_enc: Buffer }>(
      'SELECT template_enc FROM recurring_invoices WHERE id = $1',
      [schedule.id],
    );
    assert.ok(raw && !Buffer.from(raw.template_enc).toString('latin1').includes('Abonnement'));
    const payloads = await s.db.asOwner<{ payload: unknown }>(
      `SELECT payload FROM jobs WHERE kind = 'recurring.run' AND payload->>'scheduleId' = $1`,
      [schedule.id],
    );
    assert.ok(payloads.length > 0);
    for (const { payload } of payloads) {
      const p = typeof payload === 'string' ? JSON.parse(payload) : payload;
      assert.deepEqual(Object.keys(p).sort(), ['scheduleId', 'tenantId']);
    }
    const actions = await auditActions(ctx, schedule.id);
    assert.deepEqual(actions, ['recurring.created', 'recurring.viewed']);
  });

  test('running the job twice, re-running a finished job, and a crash between its steps create nothing twice', async () => {
    s.clock.set('2027-03-01T09:00:00Z');
    const { ctx, customerId, token } = await business();
    const schedule = await create(await token(), {
      customerId,
      template: TEMPLATE,
      frequency: 'custom',
      interval: { unit: 'week', count: 1 },
      startDate: '2027-03-01',
      mode: 'issue',
    });
    // Two runs at once (two workers, or a job and its re-run): the schedule's row lock orders them.
    await Promise.all([
      runSchedule(s, ctx.tenantId, schedule.id),
      runSchedule(s, ctx.tenantId, schedule.id),
      runner.runDueJobs(),
    ]);
    assert.deepEqual(await invoicesOf(ctx), [['2027-03-01', '2027-0001', 'issued']]);

    // A finished job that runs again (its process died before recording that it was done).
    await s.db.asOwner(`UPDATE jobs SET status = 'queued' WHERE payload->>'scheduleId' = $1`, [schedule.id]);
    await runner.runDueJobs();
    assert.equal((await invoicesOf(ctx)).length, 1);

    // A crash between the steps: the draft of 8 March is committed, issuing it fails (the blob store
    // is away, as if the process died); the job retries later and issues that same draft.
    const put = s.blobs.put.bind(s.blobs);
    s.blobs.put = async () => {
      throw new Error('blob store away');
    };
    await travel('2027-03-08T09:00:00Z');
    s.blobs.put = put;
    assert.deepEqual(await invoicesOf(ctx), [
      ['2027-03-01', '2027-0001', 'issued'],
      ['2027-03-08', null, 'draft'],
    ]);
    const [pending] = await inTenant(s.db, ctx.tenantId, (tx) =>
      queryRows<{ state: string }>(
        tx,
        sql`SELECT state FROM recurring_occurrences WHERE occurrence_date = '2027-03-08' AND schedule_id = ${schedule.id}`,
      ),
    );
    assert.equal(pending?.state, 'pending_issue');
    await travel('2027-03-15T09:00:00Z');
    assert.deepEqual(await invoicesOf(ctx), [
      ['2027-03-01', '2027-0001', 'issued'],
      ['2027-03-08', '2027-0002', 'issued'],
      ['2027-03-15', '2027-0003', 'issued'],
    ]);
    await runSchedule(s, ctx.tenantId, schedule.id);
    assert.equal((await invoicesOf(ctx)).length, 3);
  });

  test('an end date is respected; every 10 days as drafts; pause skips, resume continues from today', async () => {
    s.clock.set('2027-01-01T09:00:00Z');
    const { ctx, customerId, token } = await business();
    const fortnightly = await create(await token(), {
      customerId,
      template: TEMPLATE,
      frequency: 'custom',
      interval: { unit: 'week', count: 2 },
      startDate: '2027-01-04',
      endDate: '2027-02-15',
      mode: 'issue',
    });
    const drafts = await create(await token(), {
      customerId,
      template: TEMPLATE,
      frequency: 'custom',
      interval: { unit: 'day', count: 10 },
      startDate: '2027-01-01',
      // An explicit JSON null means "no end" (bodies are never coerced: null must not become "").
      endDate: null,
      mode: 'draft',
    });
    await travel('2027-06-30T09:00:00Z');
    const token2 = await token();
    const ended = (await t.call('GET', `/api/v1/recurring-invoices/${fortnightly.id}`, token2)).json();
    assert.equal(ended.nextOccurrence, null);
    assert.equal(ended.lastOccurrence, '2027-02-15');
    const issued = (await invoicesOf(ctx)).filter(([, number]) => number !== null);
    assert.deepEqual(
      issued.map(([date]) => date),
      ['2027-01-04', '2027-01-18', '2027-02-01', '2027-02-15'],
    );
    // 1 January + every 10 days up to 30 June (day 180): 19 drafts, without a date until issued.
    const draftRows = (await invoicesOf(ctx)).filter(([, , status]) => status === 'draft');
    assert.equal(draftRows.length, 19);
    assert.ok(draftRows.every(([date]) => date === null));

    const paused = await t.call('POST', `/api/v1/recurring-invoices/${drafts.id}/pause`, token2);
    assert.equal(paused.json().status, 'paused');
    await travel('2027-08-01T09:00:00Z');
    assert.equal((await invoicesOf(ctx)).length, 23, 'nothing while paused');
    const resumed = await t.call('POST', `/api/v1/recurring-invoices/${drafts.id}/resume`, await token());
    assert.equal(resumed.statusCode, 200, resumed.body);
    // Occurrences are 1 January + 10n days: 9 August (day 220) is the first on or after 1 August.
    assert.equal(resumed.json().nextOccurrence, '2027-08-09');
    await travel('2027-08-09T09:00:00Z');
    assert.equal((await invoicesOf(ctx)).length, 24);
  });

  test('an invoice that cannot be issued stays a draft, marked with its code; changes never repeat a date', async () => {
    s.clock.set('2027-04-01T09:00:00Z');
    const { ctx, customerId, token } = await business();
    const usd = await create(await token(), {
      customerId,
      template: { ...TEMPLATE, currency: 'USD' },
      frequency: 'monthly',
      startDate: '2027-04-01',
      mode: 'issue',
    });
    await runner.runDueJobs();
    assert.deepEqual(await invoicesOf(ctx), [['2027-04-01', null, 'draft']]);
    const got = (await t.call('GET', `/api/v1/recurring-invoices/${usd.id}`, await token())).json();
    assert.equal(got.lastError, 'exchange_rate_required');
    const occ = (
      await t.call('GET', `/api/v1/recurring-invoices/${usd.id}/occurrences`, await token())
    ).json();
    assert.deepEqual(occ.items[0].state, 'issue_failed');
    assert.ok((await auditActions(ctx, usd.id)).includes('recurring.occurrence_failed'));

    // Quarterly from the same start, as drafts: 1 April was produced already and is not made again.
    const patched = await t.call('PATCH', `/api/v1/recurring-invoices/${usd.id}`, await token(), {
      frequency: 'quarterly',
      template: TEMPLATE,
      mode: 'draft',
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().nextOccurrence, '2027-07-01');
    await travel('2027-07-01T09:00:00Z');
    assert.equal((await invoicesOf(ctx)).length, 2);

    const removed = await t.call('DELETE', `/api/v1/recurring-invoices/${usd.id}`, await token());
    assert.equal(removed.statusCode, 204);
    await travel('2027-10-02T09:00:00Z');
    assert.equal((await invoicesOf(ctx)).length, 2, 'a deleted schedule makes nothing; its invoices stay');
  });

  test('bad schedules are refused with a code per field', async () => {
    s.clock.set('2027-04-01T09:00:00Z');
    const { customerId, token } = await business();
    const other = await business();
    const base = {
      customerId,
      template: TEMPLATE,
      frequency: 'monthly',
      startDate: '2027-04-01',
      mode: 'draft',
    };
    for (const [patch, path, code] of [
      [{ frequency: 'custom' }, 'interval', 'interval_required'],
      [{ endDate: '2027-03-01' }, 'endDate', 'end_before_start'],
      [{ startDate: '2025-01-01' }, 'startDate', 'start_date_too_early'],
      [{ startDate: '2027-02-30' }, 'startDate', 'date_invalid'],
      [{ customerId: other.customerId }, 'customerId', 'customer_not_found'],
      [
        {
          template: {
            lines: [{ description: 'x', quantity: 'veel', unitPrice: '1', vatCategory: 'S', vatRate: '21' }],
          },
        },
        'template.lines.0.quantity',
        undefined,
      ],
    ] as const) {
      const res = await t.call('POST', '/api/v1/recurring-invoices', await token(), { ...base, ...patch });
      assert.equal(res.statusCode, 400, `${JSON.stringify(patch)}: ${res.body}`);
      const issue = res.json().error.issues[0];
      assert.equal(issue.path, path);
      if (code) assert.equal(issue.code, code);
    }
  });

  test("a viewer reads but cannot write; another business's schedule answers like a missing one", async () => {
    s.clock.set('2027-04-01T09:00:00Z');
    const { ctx, customerId, token } = await business();
    const schedule = await create(await token(), {
      customerId,
      template: TEMPLATE,
      frequency: 'yearly',
      startDate: '2027-05-01',
      mode: 'draft',
    });
    const viewer = await t.tokenFor(ctx, 'viewer');
    const body = {
      customerId,
      template: TEMPLATE,
      frequency: 'yearly',
      startDate: '2027-05-01',
      mode: 'draft',
    };
    assert.equal((await t.call('POST', '/api/v1/recurring-invoices', viewer, body)).statusCode, 403);
    assert.equal(
      (await t.call('POST', `/api/v1/recurring-invoices/${schedule.id}/pause`, viewer)).statusCode,
      403,
    );
    assert.equal((await t.call('GET', `/api/v1/recurring-invoices/${schedule.id}`, viewer)).statusCode, 200);
    const list = (await t.call('GET', '/api/v1/recurring-invoices', viewer)).json();
    assert.deepEqual(
      list.items.map((i: { id: string }) => i.id),
      [schedule.id],
    );

    const stranger = await t.tokenFor(t.b, 'owner');
    const missing = '01900000-0000-7000-8000-000000000001';
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { mode: 'issue' }],
      ['POST', '/pause', undefined],
      ['POST', '/resume', undefined],
      ['GET', '/occurrences', undefined],
      ['DELETE', '', undefined],
    ] as const) {
      const foreign = await t.call(
        method,
        `/api/v1/recurring-invoices/${schedule.id}${suffix}`,
        stranger,
        payload,
      );
      const none = await t.call(method, `/api/v1/recurring-invoices/${missing}${suffix}`, stranger, payload);
      assert.equal(foreign.statusCode, 404, `${method} ${suffix}: ${foreign.body}`);
      assert.equal(foreign.json().error.code, none.json().error.code);
      assert.equal(foreign.json().error.code, 'recurring_invoice_not_found');
    }
    const unknown = await t.call('PATCH', `/api/v1/recurring-invoices/${schedule.id}`, await token(), {
      every: 2,
    });
    assert.equal(unknown.statusCode, 400, 'unknown fields are refused, not dropped');
    s.clock.advance(1); // ids are time-ordered: a later moment pages after the first
    const second = await create(await token(), { ...body, startDate: '2027-06-01' });
    const page1 = (await t.call('GET', '/api/v1/recurring-invoices?limit=1', await token())).json();
    assert.deepEqual(
      page1.items.map((i: { id: string }) => i.id),
      [schedule.id],
    );
    const page2 = (
      await t.call('GET', `/api/v1/recurring-invoices?limit=1&cursor=${page1.nextCursor}`, await token())
    ).json();
    assert.deepEqual(
      page2.items.map((i: { id: string }) => i.id),
      [second.id],
    );
    assert.equal(page2.nextCursor, null);
    const theirs = (await t.call('GET', '/api/v1/recurring-invoices', stranger)).json();
    assert.ok(!theirs.items.some((i: { id: string }) => i.id === schedule.id));
    assert.equal(
      (await t.call('GET', `/api/v1/recurring-invoices/${schedule.id}`, await token())).statusCode,
      200,
    );
  });
});
