/**
 * Privacy center point 7, ADR 0059: an erased customer's issued invoices are pseudonymised by a
 * durable job once their seven-year retention period ends — not a moment before — and nothing else
 * on them ever changes: the immutability trigger still refuses every other update, also from raw
 * SQL that sets the function's flag itself. Rectification and completion on a request: 422 with the
 * customers module's issues for bad values, nothing changed; recorded on the request and audited;
 * issued invoices keep their frozen buyer. A restricted (erased) customer still gets no new invoice.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { isBlobNotFound } from '../../blobs/blob-store.ts';
import { queryRows } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { createCustomer } from '../customers/customers.service.ts';
import { pdfBlobKey } from '../invoices/documents.service.ts';
import { createInvoice, issueInvoice } from '../invoices/index.ts';
import { auditActions, prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { buyerPseudonym } from './pseudonymisation.ts';
import { registerSubjectRequestJobs } from './subject-requests.jobs.ts';

let t: ApiTest;
const NOW = '2026-11-20T10:00:00Z';
const form = (email: string, kind = 'erasure') =>
  new URLSearchParams({
    kind,
    name: 'Els Bakker',
    email,
    description: 'Verwijder mijn gegevens.',
    lang: 'nl',
  });

before(async () => {
  t = await openApiTest();
  await prepareBusiness(t.a);
});
after(() => t.close());

async function fileRequest(email: string, kind = 'erasure'): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/privacyverzoek/${t.a.tenantId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(email, kind).toString(),
  });
  assert.equal(res.statusCode, 200);
  const items = (await t.call('GET', '/api/v1/subject-requests', t.ownerA)).json().items as {
    id: string;
    email: string;
  }[];
  const item = items.find((i) => i.email === email);
  assert.ok(item);
  return item.id;
}

const invoiceOf = async (id: string) => (await t.call('GET', `/api/v1/invoices/${id}`, t.ownerA)).json();
const outcomesOf = async (requestId: string) =>
  (
    (await t.call('GET', `/api/v1/subject-requests/${requestId}`, t.ownerA)).json().outcomes as {
      outcome: string;
      reason: string | null;
    }[]
  ).map((o) => o.outcome);
const raw = (q: ReturnType<typeof sql>) =>
  inTenant(t.s.db, t.a.tenantId, (tx) => queryRows<Record<string, unknown>>(tx, q));
const keysA = () => inTenant(t.s.db, t.a.tenantId, (tx) => t.s.keyring.forTenant(tx, t.a.tenantId));
const refusal = async (q: ReturnType<typeof sql>) => {
  try {
    await raw(q);
    return 'allowed';
  } catch (err) {
    const e = err as { message?: string; cause?: { message?: string } };
    return `${e.cause?.message ?? ''} ${e.message ?? ''}`;
  }
};

test('an erased customer: buyer details pseudonymised and the PDF removed only after the retention period; nothing else changes', async (c) => {
  c.after(() => t.s.clock.set(NOW));
  const runner = registerSubjectRequestJobs(new JobRunner(t.s, { random: () => 0 }));
  t.s.clock.set('2017-03-01T09:00:00Z');
  const els = await createCustomer(t.a, {
    kind: 'person',
    name: 'Els Bakker',
    email: 'els.bakker@example.org',
    iban: 'NL02ABNA0123456789',
    vatNumber: 'NL004495445B01',
    address: { street: 'Kade 12', postalCode: '3511 AB', city: 'Utrecht', country: 'NL' },
  });
  // 21 % only: the reduced rate was 6 % until 2019.
  const draft = {
    ...workedExample(els.id),
    issueDate: '2017-03-01',
    dueDate: '2017-03-31',
    lines: [{ description: 'Advies', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' }],
  };
  const old = await issueInvoice(t.a, (await createInvoice(t.a, { ...draft, buyerReference: 'PO Els' })).id);
  t.s.clock.set('2018-06-01T09:00:00Z');
  const later = await issueInvoice(
    t.a,
    (await createInvoice(t.a, { ...draft, issueDate: '2018-06-01', dueDate: '2018-07-01' })).id,
  );
  await t.s.blobs.get(await keysA(), pdfBlobKey(old.id));

  t.s.clock.set('2019-01-10T09:00:00Z');
  const requestId = await fileRequest('els.bakker@example.org');
  const erased = await t.call('POST', `/api/v1/subject-requests/${requestId}/erasure`, t.ownerA, {
    customerId: els.id,
  });
  assert.equal(erased.statusCode, 200);
  assert.equal(erased.json().issuedKept, 2);
  // 2017 invoice: kept to the end of 2024; pseudonymised from 1 January 2025. (The database checks
  // the end again on its own clock, so the test stays in the real past.)
  assert.equal(erased.json().pseudonymiseFrom, '2025-01-01T00:00:00.000Z');
  assert.deepEqual(await outcomesOf(requestId), ['erased']);

  const before = await invoiceOf(old.id);
  assert.equal(before.buyer.name, 'Els Bakker');
  const pdfBefore = await t.call('GET', `/api/v1/invoices/${old.id}/pdf`, t.ownerA);
  assert.equal(pdfBefore.statusCode, 200);

  t.s.clock.set('2024-12-31T23:59:59Z');
  await runner.runDueJobs();
  assert.deepEqual(await invoiceOf(old.id), before, 'not a moment before the end');

  t.s.clock.set('2025-01-01T00:00:00Z');
  await runner.runDueJobs();
  const after1 = await invoiceOf(old.id);
  assert.equal(after1.buyer.name, buyerPseudonym(els.id));
  assert.equal(after1.buyer.email, null);
  assert.equal(after1.buyer.vatNumber, null);
  assert.equal(after1.buyer.address.street ?? null, null);
  assert.equal(after1.buyer.address.city ?? null, null);
  assert.equal(after1.buyerReference, null);
  for (const k of [
    'number',
    'issueDate',
    'status',
    'lines',
    'totals',
    'vatBreakdown',
    'seller',
    'currency',
  ]) {
    assert.deepEqual(after1[k], before[k], `${k} unchanged`);
  }
  assert.equal(
    (await invoiceOf(later.id)).buyer.name,
    'Els Bakker',
    'the 2018 invoice is still kept as issued',
  );
  await assert.rejects(
    t.s.blobs.get(await keysA(), pdfBlobKey(old.id)),
    (e: unknown) => isBlobNotFound(e),
    'the stored PDF with the old buyer is gone',
  );
  const pdf = await t.call('GET', `/api/v1/invoices/${old.id}/pdf`, t.ownerA);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.ok(
    !pdf.rawPayload.equals(pdfBefore.rawPayload),
    'the PDF is drawn again, from the pseudonymised copy',
  );
  // UBL needs a buyer address (EN 16931 BG-8): the writer now refuses, with a 4xx.
  assert.equal((await t.call('GET', `/api/v1/invoices/${old.id}/ubl`, t.ownerA)).statusCode, 422);
  assert.deepEqual(await outcomesOf(requestId), ['erased', 'pseudonymised']);
  assert.ok((await auditActions(t.a, old.id)).includes('invoice.pseudonymised'));

  // The next run is queued for the 2018 invoice, and runs once.
  await runner.runDueJobs();
  assert.deepEqual(await outcomesOf(requestId), ['erased', 'pseudonymised']);
  t.s.clock.set('2026-01-01T00:00:00Z');
  await runner.runDueJobs();
  assert.equal((await invoiceOf(later.id)).buyer.name, buyerPseudonym(els.id));
  assert.deepEqual(await outcomesOf(requestId), ['erased', 'pseudonymised', 'pseudonymised']);

  // The function refuses a second run on the same invoice.
  const again = await refusal(
    sql`SELECT kluis_pseudonymise_invoice(${old.id}::uuid, ${requestId}::uuid, '\\x01'::bytea, now())`,
  );
  assert.match(again, /duplicate key|invoice_pseudonymisations/);
});

test('the immutability trigger still refuses every other change to an issued invoice, also with the flag set', async () => {
  const customer = await createCustomer(t.a, {
    kind: 'person',
    name: 'Kees Vos',
    email: 'kees@example.org',
    address: { street: 'Dijk 4', postalCode: '2000 BB', city: 'Haarlem', country: 'NL' },
  });
  const issued = await issueInvoice(t.a, (await createInvoice(t.a, workedExample(customer.id))).id);
  const requestId = await fileRequest('kees@example.org');
  const id = issued.id;
  const flag = sql`SELECT set_config('kluis.pseudonymise_invoice', ${id}, true)`;
  const refusedContent = /invoice_already_issued/;

  assert.match(
    await refusal(sql`UPDATE invoices SET payable_minor = 1 WHERE id = ${id}::uuid`),
    refusedContent,
  );
  assert.match(await refusal(sql`UPDATE invoices SET number = 'X-1' WHERE id = ${id}::uuid`), refusedContent);
  // The app role setting the flag itself gets nothing: its updates run as kluis_app.
  for (const change of [
    sql`UPDATE invoices SET buyer_email_enc = NULL WHERE id = ${id}::uuid`,
    sql`UPDATE invoices SET payable_minor = 1 WHERE id = ${id}::uuid`,
  ]) {
    await assert.rejects(
      inTenant(t.s.db, t.a.tenantId, async (tx) => {
        await tx.execute(flag);
        await tx.execute(change);
      }),
      (e: Error) => refusedContent.test(`${(e as { cause?: Error }).cause?.message} ${e.message}`),
    );
  }
  // Issued today (2026): its retention runs to the end of 2033 on the database's own clock.
  assert.match(
    await refusal(
      sql`SELECT kluis_pseudonymise_invoice(${id}::uuid, ${requestId}::uuid, '\\x01'::bytea, now())`,
    ),
    /retention_not_over/,
  );
  // Another business's request or invoice is not found through the function.
  assert.match(
    await refusal(
      sql`SELECT kluis_pseudonymise_invoice(${id}::uuid, ${t.b.tenantId}::uuid, '\\x01'::bytea, now())`,
    ),
    /subject_request_not_found/,
  );
  // Only the function writes the record.
  assert.match(
    await refusal(sql`INSERT INTO invoice_pseudonymisations VALUES (${t.a.tenantId}::uuid, ${id}::uuid,
      ${requestId}::uuid, now())`),
    /permission denied/,
  );
  assert.equal((await invoiceOf(id)).buyer.name, 'Kees Vos');
});

test('a filed request alone does not unlock the function: only an erased customer’s invoices past retention', async (c) => {
  c.after(() => t.s.clock.set(NOW));
  t.s.clock.set('2016-05-01T09:00:00Z');
  const customer = await createCustomer(t.a, {
    kind: 'person',
    name: 'Joop Zoet',
    email: 'joop.zoet@example.org',
    address: { street: 'Laan 9', postalCode: '1000 AA', city: 'Amsterdam', country: 'NL' },
  });
  const draft = {
    ...workedExample(customer.id),
    issueDate: '2016-05-01',
    dueDate: '2016-05-31',
    lines: [{ description: 'Advies', quantity: '1', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' }],
  };
  const old = await issueInvoice(t.a, (await createInvoice(t.a, draft)).id);
  t.s.clock.set(NOW);
  // Anyone can file a request on the public form; the business has not erased anyone on it.
  const requestId = await fileRequest('joop.zoet@example.org', 'access');
  assert.match(
    await refusal(
      sql`SELECT kluis_pseudonymise_invoice(${old.id}::uuid, ${requestId}::uuid, '\\x01'::bytea, now())`,
    ),
    /customer_not_erased/,
  );
  assert.equal((await invoiceOf(old.id)).buyer.name, 'Joop Zoet');
});

test('rectification and completion: validated (422, nothing changed), recorded and audited; issued invoices keep their buyer', async () => {
  const anna = await createCustomer(t.a, {
    kind: 'person',
    name: 'Anna de Wit',
    email: 'anna@example.org',
    address: { street: 'Plein 1', postalCode: '1000 AA', city: 'Amsterdam', country: 'NL' },
  });
  const issued = await issueInvoice(t.a, (await createInvoice(t.a, workedExample(anna.id))).id);
  const requestId = await fileRequest('anna@example.org', 'rectification');
  const url = `/api/v1/subject-requests/${requestId}/rectification`;

  const bad = await t.call('POST', url, t.ownerA, {
    customerId: anna.id,
    kind: 'rectification',
    changes: { iban: 'NL00ABNA0000000000', address: { postalCode: '12' } },
  });
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().error.code, 'validation_failed');
  const paths = (bad.json().error.issues as { path: string }[]).map((i) => i.path).sort();
  assert.deepEqual(paths, ['address.postalCode', 'iban']);
  const unchanged = (await t.call('GET', `/api/v1/customers/${anna.id}`, t.ownerA)).json();
  assert.equal(unchanged.iban, null);
  assert.equal(unchanged.version, anna.version);

  const empty = await t.call('POST', url, t.ownerA, {
    customerId: anna.id,
    kind: 'rectification',
    changes: {},
  });
  assert.equal(empty.statusCode, 422);
  assert.equal(empty.json().error.code, 'nothing_to_change');
  const shape = await t.call('POST', url, t.ownerA, { customerId: anna.id, kind: 'guess', changes: {} });
  assert.equal(shape.statusCode, 400);
  const stale = await t.call('POST', url, t.ownerA, {
    customerId: anna.id,
    kind: 'rectification',
    changes: { name: 'Anna de Wit-Jansen', version: anna.version + 5 },
  });
  assert.equal(stale.statusCode, 409);

  const ok = await t.call('POST', url, t.ownerA, {
    customerId: anna.id,
    kind: 'rectification',
    changes: { name: 'Anna de Wit-Jansen', address: { street: 'Plein 2' }, version: anna.version },
  });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().customer.name, 'Anna de Wit-Jansen');
  assert.equal(ok.json().customer.address.street, 'Plein 2');
  assert.equal(ok.json().customer.address.city, 'Amsterdam', 'the rest is kept');
  assert.equal(ok.json().issuedKept, 1);
  const completed = await t.call('POST', url, t.ownerA, {
    customerId: anna.id,
    kind: 'completion',
    changes: { iban: 'NL02ABNA0123456789' },
  });
  assert.equal(completed.statusCode, 200);
  assert.equal(completed.json().customer.iban, 'NL02ABNA0123456789');

  assert.equal((await invoiceOf(issued.id)).buyer.name, 'Anna de Wit', 'the issued invoice keeps its buyer');
  assert.deepEqual((await outcomesOf(requestId)).sort(), ['rectified', 'supplemented']);
  const actions = await auditActions(t.a, anna.id);
  assert.equal(actions.filter((a) => a === 'customer.rectified').length, 2);
  const data = await raw(
    sql`SELECT data FROM audit_events WHERE action = 'customer.rectified' AND target_id = ${anna.id} ORDER BY seq`,
  );
  assert.deepEqual(
    data.map((r) => (r.data as { fields: string }).fields),
    ['address,name', 'iban'],
  );
  assert.ok(!JSON.stringify(data).includes('Wit-Jansen'), 'no personal data in the audit event');

  // A viewer may not; another business's request or customer is not found.
  const viewer = await t.tokenFor(t.a, 'viewer');
  const body = { customerId: anna.id, kind: 'rectification', changes: { name: 'X' } };
  assert.equal((await t.call('POST', url, viewer, body)).statusCode, 403);
  assert.equal((await t.call('POST', url, t.ownerB, body)).statusCode, 404);
  const other = await createCustomer(t.b, { kind: 'person', name: 'Buur' });
  assert.equal((await t.call('POST', url, t.ownerA, { ...body, customerId: other.id })).statusCode, 404);
});

test('an erased customer stays restricted: no new invoice is issued for them', async () => {
  const piet = await createCustomer(t.a, { kind: 'person', name: 'Piet Lam', email: 'piet.lam@example.org' });
  const requestId = await fileRequest('piet.lam@example.org');
  const draftBefore = await createInvoice(t.a, workedExample(piet.id));
  const erased = await t.call('POST', `/api/v1/subject-requests/${requestId}/erasure`, t.ownerA, {
    customerId: piet.id,
  });
  assert.deepEqual(erased.json(), {
    customerId: piet.id,
    draftsDeleted: 1,
    issuedKept: 0,
    pseudonymiseFrom: null,
  });
  assert.equal((await t.call('GET', `/api/v1/invoices/${draftBefore.id}`, t.ownerA)).statusCode, 404);
  const draft = await createInvoice(t.a, workedExample(piet.id));
  const issue = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`, t.ownerA);
  assert.equal(issue.statusCode, 422);
  assert.equal(issue.json().error.code, 'customer_restricted');
});
