/**
 * The invoices API as an integration uses it (issue 5): the issue's own flow from customer to credit
 * note, a viewer refused on writes, and another business's invoice answering exactly like a missing
 * one on every route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { type ApiTest, type Method, openApiTest } from '../../test/api.ts';
import { makeTenant, type TestServices } from '../../test/harness.ts';
import { addMember, mintAccessToken } from '../identity/testing.ts';
import { SELLER } from './invoices.testing.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;
let s: TestServices;
let a: Ctx;
let b: Ctx;
let ownerA: string;
let ownerB: string;
let call: ApiTest['call'];

before(async () => {
  t = await openApiTest();
  ({ s, a, b, ownerA, ownerB, call } = t);
  await setInvoiceSettings(a, SELLER);
  await setInvoiceSettings(b, SELLER);
});
after(() => t.close());

const DE_KORF = {
  kind: 'company',
  name: 'Bakkerij De Korf B.V.',
  email: 'administratie@dekorf.example',
  address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
  iban: 'NL91ABNA0417164300',
  vatNumber: 'NL004495445B01',
  kvkNumber: '12345678',
};

const example = (customerId: string) => ({
  customerId,
  issueDate: '2026-11-20',
  dueDate: '2026-12-20',
  currency: 'EUR',
  lines: [
    { description: 'Broodjes', quantity: '10', unitPrice: '2.50', vatCategory: 'S', vatRate: '9' },
    { description: 'Advies', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' },
  ],
});

/** A fresh business with its owner's token, so its list holds only what the test creates. */
let fresh: Ctx;
async function listCaller(): Promise<string> {
  fresh = await makeTenant(s, 'L');
  await setInvoiceSettings(fresh, SELLER);
  return mintAccessToken(s, {
    sub: await addMember(s, fresh.tenantId, 'owner'),
    kluis_tenant: fresh.tenantId,
  });
}

/** How many `invoice.listed` events the fresh business has. */
async function listedEvents(): Promise<number> {
  const rows = await inTenant(s.db, fresh.tenantId, (tx) =>
    queryRows<{ n: string }>(tx, sql`SELECT count(*) AS n FROM audit_events WHERE action = 'invoice.listed'`),
  );
  return Number(rows[0]?.n ?? 0);
}

/** Creates the issue's customer and a draft invoice for it through the API; returns the draft. */
async function draftFor(token: string): Promise<{ id: string; customerId: string }> {
  const customer = await call('POST', '/api/v1/customers', token, DE_KORF);
  assert.equal(customer.statusCode, 201, customer.body);
  const res = await call('POST', '/api/v1/invoices', token, example(customer.json().id));
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

describe('invoices API', () => {
  test("the issue's flow: customer, draft with totals, issue, no change after, credit note", async () => {
    const draft = await draftFor(ownerA);
    const d = (await call('GET', `/api/v1/invoices/${draft.id}`, ownerA)).json();
    assert.equal(d.status, 'draft');
    assert.equal(d.number, null);
    assert.equal(d.totals.net, '215.00');
    assert.equal(d.totals.vat, '42.15');
    assert.equal(d.totals.gross, '257.15');
    assert.deepEqual(
      d.lines.map((l: { netAmount: string }) => l.netAmount),
      ['25.00', '190.00'],
    );

    const patched = await call('PATCH', `/api/v1/invoices/${draft.id}`, ownerA, { notes: 'Bedankt' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().notes, 'Bedankt');

    const issued = await call('POST', `/api/v1/invoices/${draft.id}/issue`, ownerA);
    assert.equal(issued.statusCode, 200, issued.body);
    const inv = issued.json();
    assert.equal(inv.status, 'issued');
    assert.ok(inv.number, 'an issued invoice has a number');
    assert.equal(inv.buyer.name, 'Bakkerij De Korf B.V.');
    assert.equal(inv.totals.gross, '257.15');

    const refused = await call('PATCH', `/api/v1/invoices/${draft.id}`, ownerA, { notes: 'Later' });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'invoice_already_issued');
    const undeletable = await call('DELETE', `/api/v1/invoices/${draft.id}`, ownerA);
    assert.equal(undeletable.statusCode, 409);

    const note = await call('POST', `/api/v1/invoices/${draft.id}/credit-notes`, ownerA, {});
    assert.equal(note.statusCode, 201, note.body);
    const cn = note.json();
    assert.equal(cn.kind, 'credit_note');
    assert.equal(cn.status, 'draft');
    assert.deepEqual(cn.credited, { invoiceId: draft.id, number: inv.number, date: '2026-11-20' });
    assert.equal(cn.totals.gross, '257.15');
  });

  test('a draft can be deleted, and is gone', async () => {
    const draft = await draftFor(ownerA);
    const res = await call('DELETE', `/api/v1/invoices/${draft.id}`, ownerA);
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await call('GET', `/api/v1/invoices/${draft.id}`, ownerA)).statusCode, 404);
  });

  test('unknown fields and malformed amounts are refused with 400', async () => {
    const draft = await draftFor(ownerA);
    const extra = await call('POST', '/api/v1/invoices', ownerA, {
      ...example(draft.customerId),
      colour: 'blue',
    });
    assert.equal(extra.statusCode, 400);
    const lines = [{ description: 'X', quantity: 'tien', unitPrice: '1', vatCategory: 'S', vatRate: '21' }];
    const bad = await call('PATCH', `/api/v1/invoices/${draft.id}`, ownerA, { lines });
    assert.equal(bad.statusCode, 400, bad.body);
  });

  test('a viewer reads but gets 403 on every write', async () => {
    const draft = await draftFor(ownerA);
    const viewer = await t.tokenFor(a, 'viewer');
    assert.equal((await call('GET', `/api/v1/invoices/${draft.id}`, viewer)).statusCode, 200);
    for (const [method, url, payload] of [
      ['POST', '/api/v1/invoices', example(draft.customerId)],
      ['PATCH', `/api/v1/invoices/${draft.id}`, { notes: 'x' }],
      ['DELETE', `/api/v1/invoices/${draft.id}`, undefined],
      ['POST', `/api/v1/invoices/${draft.id}/issue`, undefined],
      ['POST', `/api/v1/invoices/${draft.id}/credit-notes`, {}],
    ] as const) {
      const res = await call(method, url, viewer, payload);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json().error.code, 'insufficient_permission');
    }
  });

  test("another business's invoice answers exactly like a missing one, on every route", async () => {
    const theirs = await draftFor(ownerB);
    const missing = '01900000-0000-7000-8000-000000000000';
    const routes: [Method, string, unknown][] = [
      ['GET', '', undefined],
      ['PATCH', '', { notes: 'Gestolen' }],
      ['DELETE', '', undefined],
      ['POST', '/issue', undefined],
      ['POST', '/credit-notes', {}],
    ];
    for (const [method, suffix, payload] of routes) {
      const foreign = await call(method, `/api/v1/invoices/${theirs.id}${suffix}`, ownerA, payload);
      const none = await call(method, `/api/v1/invoices/${missing}${suffix}`, ownerA, payload);
      assert.equal(foreign.statusCode, 404, `${method} ${suffix}: ${foreign.body}`);
      assert.equal(foreign.json().error.code, none.json().error.code);
      assert.equal(foreign.json().error.message, none.json().error.message);
    }
    const mine = await call('GET', `/api/v1/invoices/${theirs.id}`, ownerB);
    assert.equal(mine.json().status, 'draft', 'untouched by the other business');
  });

  test('GET /api/v1/invoices filters by status, customer and dates, and pages by cursor', async () => {
    const c = await listCaller();
    const first = await draftFor(c);
    const issuedIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = (await call('POST', '/api/v1/invoices', c, example(first.customerId))).json();
      assert.equal((await call('POST', `/api/v1/invoices/${d.id}/issue`, c)).statusCode, 200);
      issuedIds.push(d.id);
    }
    const later = { ...example(first.customerId), issueDate: '2027-01-05', dueDate: '2027-02-05' };
    const next = (await call('POST', '/api/v1/invoices', c, later)).json();
    const other = await draftFor(c);
    const ids = async (query: string) => {
      const res = await call('GET', `/api/v1/invoices?${query}`, c);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items.map((i: { id: string }) => i.id) as string[];
    };
    assert.deepEqual(await ids('status=issued'), [...issuedIds].sort(), 'ordered by id');
    assert.deepEqual(await ids('status=draft'), [first.id, next.id, other.id].sort());
    assert.deepEqual(await ids(`customerId=${other.customerId}`), [other.id]);
    assert.deepEqual(await ids('from=2027-01-01'), [next.id]);
    assert.deepEqual(await ids('to=2026-12-31&status=draft'), [first.id, other.id].sort());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await call('GET', `/api/v1/invoices?limit=2${cursor ? `&cursor=${cursor}` : ''}`, c)
      ).json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [first.id, ...issuedIds, next.id, other.id].sort(), 'each once, in order');
    const listed = await listedEvents();
    assert.equal(listed, 8, 'each of the 5 queries and 3 pages is audited as invoice.listed');
    assert.equal((await call('GET', '/api/v1/invoices?from=20-11-2026', c)).statusCode, 400);
    assert.equal((await ids('status=issued')).length, 3, "another business's invoices never show");
  });
});
