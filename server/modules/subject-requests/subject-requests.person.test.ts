/**
 * Privacy center point 7, the tools for a request: find the person among the customers through
 * the blind indexes (e-mail, name, IBAN) and export their data as a ZIP (request, customer and
 * invoices as JSON, each issued invoice's stored PDF and UBL), both audited; another business → 404,
 * a viewer → 403.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { inTenant } from '../../db/transactions.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { listOutbox, readOutbox } from '../../mail/outbox-mailer.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { createCustomer, getCustomer, searchCustomers } from '../customers/customers.service.ts';
import { createInvoice, issueInvoice } from '../invoices/index.ts';
import { auditActions, prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { registerInvoiceJobs } from '../invoices/send.service.ts';

let t: ApiTest;
let requestId: string;
let janId: string;
let otherJanId: string;
let issuedNumber: string;
before(async () => {
  t = await openApiTest();
  await prepareBusiness(t.a);
  const jan = await createCustomer(t.a, {
    kind: 'person',
    name: 'Jan de Vries',
    email: 'jan.devries@example.org',
    iban: 'NL02ABNA0123456789',
    address: { street: 'Laan 3', postalCode: '1234 AB', city: 'Utrecht', country: 'NL' },
  });
  janId = jan.id;
  // Same name, other address: a name match the business must weigh.
  otherJanId = (
    await createCustomer(t.a, {
      kind: 'person',
      name: 'Jan de Vries',
      email: 'jdv@elders.example',
      address: { street: 'Weg 9', postalCode: '9999 ZZ', city: 'Groningen', country: 'NL' },
    })
  ).id;
  await createCustomer(t.a, {
    kind: 'person',
    name: 'Piet Jansen',
    email: 'piet@example.org',
    address: { street: 'Weg 1', postalCode: '9999 ZZ', city: 'Groningen', country: 'NL' },
  });
  const issued = await issueInvoice(t.a, (await createInvoice(t.a, workedExample(jan.id))).id);
  issuedNumber = String(issued.number);
  await createInvoice(t.a, workedExample(jan.id)); // a draft: in the JSON, no documents
  const res = await t.app.inject({
    method: 'POST',
    url: `/privacyverzoek/${t.a.tenantId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      kind: 'access',
      name: 'jan de vries',
      email: 'Jan.DeVries@Example.org',
      description: 'Alles wat u van mij hebt, graag.',
      lang: 'nl',
    }).toString(),
  });
  assert.equal(res.statusCode, 200);
  const list = await t.call('GET', '/api/v1/subject-requests', t.ownerA);
  requestId = list.json().items[0].id;
});
after(() => t.close());

test('matches: the customers with the same e-mail or name, through the blind indexes; an IBAN on request', async () => {
  const res = await t.call('GET', `/api/v1/subject-requests/${requestId}/matches`, t.ownerA);
  assert.equal(res.statusCode, 200);
  const items = res.json().items as { customerId: string; matchedOn: string[] }[];
  assert.deepEqual(
    items.map((i) => [i.customerId, i.matchedOn]).sort(),
    [
      [janId, ['email', 'name']],
      [otherJanId, ['name']],
    ].sort(),
  );
  const byIban = await t.call(
    'GET',
    `/api/v1/subject-requests/${requestId}/matches?iban=nl02%20abna%200123%204567%2089`,
    t.ownerA,
  );
  assert.deepEqual(
    byIban.json().items.find((i: { customerId: string }) => i.customerId === janId).matchedOn,
    ['email', 'name', 'iban'],
  );
  assert.deepEqual((await auditActions(t.a, requestId)).slice(-2), [
    'subject_request.matched',
    'subject_request.matched',
  ]);
});

test("export: a ZIP with the request, the customer, their invoices as JSON and each issued invoice's PDF and UBL", async () => {
  const res = await t.call(
    'GET',
    `/api/v1/subject-requests/${requestId}/export.zip?customerId=${janId}`,
    t.ownerA,
  );
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/zip');
  const files = unzipSync(new Uint8Array(res.rawPayload));
  const names = Object.keys(files).sort();
  const safe = issuedNumber.replace(/[^A-Za-z0-9._-]/g, '_');
  assert.ok(
    names.includes('request.json') && names.includes('customer.json') && names.includes('invoices.json'),
  );
  assert.ok(names.includes(`invoices/${safe}.pdf`), names.join(', '));
  // The UBL is added only when a writer accepts the invoice (as in the invoice archive).
  for (const n of names.filter((x) => x.endsWith('.xml')))
    assert.match(n, /^invoices\/.+-(nlcius|peppol)\.xml$/);
  assert.equal(names.filter((n) => n.endsWith('.pdf')).length, 1, 'only the issued invoice has documents');

  const customer = JSON.parse(strFromU8(files['customer.json'] as Uint8Array));
  assert.equal(customer.id, janId);
  assert.equal(customer.name, 'Jan de Vries');
  assert.equal(customer.iban, 'NL02ABNA0123456789');
  const invoices = JSON.parse(strFromU8(files['invoices.json'] as Uint8Array));
  assert.equal(invoices.length, 2);
  assert.deepEqual(invoices.map((i: { status: string }) => i.status).sort(), ['draft', 'issued']);
  assert.equal(strFromU8((files[`invoices/${safe}.pdf`] as Uint8Array).subarray(0, 5)), '%PDF-');
  const request = JSON.parse(strFromU8(files['request.json'] as Uint8Array));
  assert.equal(request.kind, 'access');
  assert.equal((await auditActions(t.a, requestId)).at(-1), 'subject_request.exported');
});

test('another business sees 404 for the request, and a customer of another business is not found; a viewer gets 403', async () => {
  assert.equal(
    (await t.call('GET', `/api/v1/subject-requests/${requestId}/matches`, t.ownerB)).statusCode,
    404,
  );
  assert.equal(
    (await t.call('GET', `/api/v1/subject-requests/${requestId}/export.zip?customerId=${janId}`, t.ownerB))
      .statusCode,
    404,
  );
  const bCustomer = await prepareBusiness(t.b);
  const cross = await t.call(
    'GET',
    `/api/v1/subject-requests/${requestId}/export.zip?customerId=${bCustomer}`,
    t.ownerA,
  );
  assert.equal(cross.statusCode, 404);
  assert.equal(cross.json().error.code, 'customer_not_found');
  const viewer = await t.tokenFor(t.a, 'viewer');
  assert.equal(
    (await t.call('GET', `/api/v1/subject-requests/${requestId}/matches`, viewer)).statusCode,
    403,
  );
  assert.equal(
    (await t.call('GET', `/api/v1/subject-requests/${requestId}/export.zip?customerId=${janId}`, viewer))
      .statusCode,
    403,
  );
});

test('restriction: a restricted customer gets no new invoices and no invoice mails until it is lifted; credit notes stay possible; audited', async () => {
  const url = `/api/v1/subject-requests/${requestId}/restrictions`;
  const set = await t.call('POST', url, t.ownerA, { customerId: janId, kind: 'restriction', active: true });
  assert.equal(set.statusCode, 200);
  assert.equal(set.json().restriction.requestId, requestId);
  assert.equal(set.json().objection, null);
  // Setting it again changes and records nothing.
  await t.call('POST', url, t.ownerA, { customerId: janId, kind: 'restriction', active: true });

  const draft = await createInvoice(t.a, workedExample(janId));
  const issue = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`, t.ownerA);
  assert.equal(issue.statusCode, 422);
  assert.equal(issue.json().error.code, 'customer_restricted');
  const list = await t.call('GET', `/api/v1/invoices?customerId=${janId}&status=issued`, t.ownerA);
  const issuedId = list.json().items[0].id;
  const send = await t.call('POST', `/api/v1/invoices/${issuedId}/send`, t.ownerA);
  assert.equal(send.statusCode, 422);
  assert.equal(send.json().error.code, 'customer_restricted');
  // Another customer is not affected.
  const other = await createInvoice(t.a, workedExample(otherJanId));
  assert.equal((await t.call('POST', `/api/v1/invoices/${other.id}/issue`, t.ownerA)).statusCode, 200);

  const objection = await t.call('POST', url, t.ownerA, {
    customerId: janId,
    kind: 'objection',
    active: true,
  });
  assert.ok(objection.json().objection && objection.json().restriction);
  const lifted = await t.call('POST', url, t.ownerA, {
    customerId: janId,
    kind: 'restriction',
    active: false,
  });
  assert.equal(lifted.json().restriction, null);
  assert.ok(lifted.json().objection, 'the objection stays');
  assert.equal((await t.call('POST', `/api/v1/invoices/${draft.id}/issue`, t.ownerA)).statusCode, 200);
  assert.deepEqual(
    await auditActions(t.a, janId).then((a) => a.filter((x) => x.startsWith('customer.restr'))),
    ['customer.restricted', 'customer.restricted', 'customer.restriction_lifted'],
  );

  // Another business: the request is not found; a viewer may not.
  assert.equal(
    (await t.call('POST', url, t.ownerB, { customerId: janId, kind: 'restriction', active: true }))
      .statusCode,
    404,
  );
  const viewer = await t.tokenFor(t.a, 'viewer');
  assert.equal(
    (await t.call('POST', url, viewer, { customerId: janId, kind: 'restriction', active: true })).statusCode,
    403,
  );
});

test('erasure: drafts deleted, the customer record pseudonymised, issued invoices kept and restricted; audited', async () => {
  const erik = await createCustomer(t.a, {
    kind: 'person',
    name: 'Erik Wisman',
    email: 'erik@wis.example',
    iban: 'NL91ABNA0417164300',
    address: { street: 'Gracht 5', postalCode: '1000 AA', city: 'Amsterdam', country: 'NL' },
  });
  const issued = await issueInvoice(t.a, (await createInvoice(t.a, workedExample(erik.id))).id);
  const draft = await createInvoice(t.a, workedExample(erik.id));

  const res = await t.call('POST', `/api/v1/subject-requests/${requestId}/erasure`, t.ownerA, {
    customerId: erik.id,
  });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    customerId: erik.id,
    draftsDeleted: 1,
    issuedKept: 1,
    pseudonymiseFrom: '2034-01-01T00:00:00.000Z',
  });

  const after = await getCustomer(t.a, erik.id);
  assert.equal(after.personal.name, 'Verwijderd op verzoek');
  assert.equal(after.personal.email, null);
  assert.equal(after.personal.iban, null);
  assert.equal(after.personal.street, null);
  assert.deepEqual(await searchCustomers(t.a, 'email', 'erik@wis.example'), []);
  assert.equal((await t.call('GET', `/api/v1/invoices/${draft.id}`, t.ownerA)).statusCode, 404);
  const kept = await t.call('GET', `/api/v1/invoices/${issued.id}`, t.ownerA);
  assert.equal(kept.statusCode, 200);
  assert.equal(kept.json().buyer.name, 'Erik Wisman', 'the fiscal record keeps its frozen buyer');
  const again = await createInvoice(t.a, workedExample(erik.id));
  assert.equal(
    (await t.call('POST', `/api/v1/invoices/${again.id}/issue`, t.ownerA)).json().error.code,
    'customer_restricted',
  );
  assert.ok((await auditActions(t.a, erik.id)).includes('customer.erased'));

  assert.equal(
    (await t.call('POST', `/api/v1/subject-requests/${requestId}/erasure`, t.ownerB, { customerId: erik.id }))
      .statusCode,
    404,
  );
  const viewer = await t.tokenFor(t.a, 'viewer');
  assert.equal(
    (await t.call('POST', `/api/v1/subject-requests/${requestId}/erasure`, viewer, { customerId: erik.id }))
      .statusCode,
    403,
  );
});

test("every invoice mail links the business's form for data-subject requests", async () => {
  const runner = registerInvoiceJobs(new JobRunner(t.s, { random: () => 0 }), {
    publicUrl: 'https://kluis.example',
  });
  const klant = await createCustomer(t.a, {
    kind: 'person',
    name: 'Mail Klant',
    email: 'klant@mail.example',
    address: { street: 'Laan 1', postalCode: '1000 AA', city: 'Amsterdam', country: 'NL' },
  });
  const issued = await issueInvoice(t.a, (await createInvoice(t.a, workedExample(klant.id))).id);
  assert.equal((await t.call('POST', `/api/v1/invoices/${issued.id}/send`, t.ownerA)).statusCode, 202);
  await runner.runDueJobs();
  const keys = await inTenant(t.s.db, t.a.tenantId, (tx) => t.s.keyring.forTenant(tx, t.a.tenantId));
  const summary = (await listOutbox(t.s.blobs, keys)).find((m) => m.to.includes('klant@mail.example'));
  assert.ok(summary, 'the invoice was mailed');
  const mail = await readOutbox(t.s.blobs, keys, summary.id);
  assert.ok(
    String(mail.text).includes(`https://kluis.example/privacyverzoek/${t.a.tenantId}`),
    'the mail links the form',
  );
});
