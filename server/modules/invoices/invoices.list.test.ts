/**
 * The invoice list names each invoice's customer (issue 4 point 17): an issued invoice by the buyer
 * it was issued to, a draft by its customer's current name; another business's invoices and
 * customers never show.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { SELLER } from './invoices.testing.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;
let call: ApiTest['call'];

before(async () => {
  t = await openApiTest();
  ({ call } = t);
  await setInvoiceSettings(t.a, SELLER);
  await setInvoiceSettings(t.b, SELLER);
});
after(() => t.close());

async function customerAndDraft(token: string, name: string) {
  const c = await call('POST', '/api/v1/customers', token, {
    kind: 'company',
    name,
    address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
  });
  assert.equal(c.statusCode, 201, c.body);
  const draft = await call('POST', '/api/v1/invoices', token, {
    customerId: c.json().id,
    issueDate: '2026-11-20',
    lines: [{ description: 'Advies', quantity: '1', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' }],
  });
  assert.equal(draft.statusCode, 201, draft.body);
  return { customer: c.json(), draft: draft.json() };
}

describe('GET /api/v1/invoices', () => {
  test('names the customer: as invoiced once issued, the current name while a draft', async () => {
    const issued = await customerAndDraft(t.ownerA, 'Bakkerij De Korf B.V.');
    assert.equal((await call('POST', `/api/v1/invoices/${issued.draft.id}/issue`, t.ownerA)).statusCode, 200);
    const draft = await customerAndDraft(t.ownerA, 'Studio Noord');
    // Renamed after issuing: the issued invoice keeps the name it was issued to.
    for (const { customer, name } of [
      { customer: issued.customer, name: 'Bakkerij De Korf Holding B.V.' },
      { customer: draft.customer, name: 'Studio Noord Ontwerp B.V.' },
    ]) {
      const patched = await call('PATCH', `/api/v1/customers/${customer.id}`, t.ownerA, {
        name,
        version: customer.version,
      });
      assert.equal(patched.statusCode, 200, patched.body);
    }
    const list = await call('GET', '/api/v1/invoices?limit=50', t.ownerA);
    assert.equal(list.statusCode, 200, list.body);
    const byId = new Map(list.json().items.map((i: { id: string }) => [i.id, i]));
    assert.equal(
      (byId.get(issued.draft.id) as { customerName: string }).customerName,
      'Bakkerij De Korf B.V.',
    );
    assert.equal(
      (byId.get(draft.draft.id) as { customerName: string }).customerName,
      'Studio Noord Ontwerp B.V.',
    );
  });

  test('an item is exactly what GET /api/v1/invoices/{id} answers, plus the customer name', async () => {
    // Every encrypted field filled, so a list that skipped or mixed up a field cannot pass.
    const c = await call('POST', '/api/v1/customers', t.ownerA, {
      kind: 'company',
      name: 'Volledig B.V.',
      contactPerson: 'Jan Jansen',
      email: 'jan@volledig.example',
      vatNumber: 'NL004495445B01',
      kvkNumber: '87654321',
      address: { street: 'Kerkstraat 9', postalCode: '4321 BA', city: 'Utrecht', country: 'NL' },
    });
    assert.equal(c.statusCode, 201, c.body);
    const ids: string[] = [];
    for (const issue of [true, false]) {
      const draft = await call('POST', '/api/v1/invoices', t.ownerA, {
        customerId: c.json().id,
        issueDate: '2026-11-20',
        buyerReference: 'PO-77',
        orderReference: 'ORD-9',
        paymentTerms: 'Binnen 14 dagen',
        notes: 'Met dank',
        lines: [
          { description: 'Broodjes', quantity: '10', unitPrice: '2.50', vatCategory: 'S', vatRate: '9' },
          {
            description: 'Advies',
            quantity: '2',
            unitPrice: '95.00',
            discount: { percent: '10' },
            vatCategory: 'S',
            vatRate: '21',
          },
        ],
      });
      assert.equal(draft.statusCode, 201, draft.body);
      if (issue) {
        const issued = await call('POST', `/api/v1/invoices/${draft.json().id}/issue`, t.ownerA);
        assert.equal(issued.statusCode, 200, issued.body);
      }
      ids.push(draft.json().id);
    }
    const list = await call('GET', `/api/v1/invoices?customerId=${c.json().id}`, t.ownerA);
    assert.equal(list.statusCode, 200, list.body);
    const items = list.json().items as { id: string; customerName: string }[];
    assert.deepEqual(items.map((i) => i.id).sort(), [...ids].sort());
    for (const { customerName, ...item } of items) {
      assert.equal(customerName, 'Volledig B.V.');
      const one = await call('GET', `/api/v1/invoices/${item.id}`, t.ownerA);
      assert.equal(one.statusCode, 200, one.body);
      assert.deepEqual(item, one.json());
    }
  });

  test("another business's invoices and customer names are not listed", async () => {
    await customerAndDraft(t.ownerB, 'Geheim van B B.V.');
    for (const path of ['/api/v1/invoices', '/api/v1/invoices/summaries']) {
      const list = await call('GET', `${path}?limit=200`, t.ownerA);
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes('Geheim van B'));
      const theirs = await call('GET', `${path}?limit=200`, t.ownerB);
      assert.ok(
        theirs.json().items.every((i: { customerName: string }) => i.customerName === 'Geheim van B B.V.'),
      );
    }
  });
});

describe('GET /api/v1/invoices/summaries', () => {
  test('the same pages as the full list, each item its list columns and nothing else', async () => {
    const issued = await customerAndDraft(t.ownerA, 'Samenvatting B.V.');
    assert.equal((await call('POST', `/api/v1/invoices/${issued.draft.id}/issue`, t.ownerA)).statusCode, 200);
    const credit = await call('POST', `/api/v1/invoices/${issued.draft.id}/credit-notes`, t.ownerA, {});
    assert.equal(credit.statusCode, 201, credit.body);
    await customerAndDraft(t.ownerA, 'Nog Een Concept B.V.');
    for (const query of [
      'limit=2',
      'limit=200',
      'status=draft',
      `q=${encodeURIComponent('Samenvatting B.V.')}`,
    ]) {
      let cursor = '';
      for (let pages = 0; pages < 50; pages++) {
        const full = await call('GET', `/api/v1/invoices?${query}${cursor}`, t.ownerA);
        const summaries = await call('GET', `/api/v1/invoices/summaries?${query}${cursor}`, t.ownerA);
        assert.equal(full.statusCode, 200, full.body);
        assert.equal(summaries.statusCode, 200, summaries.body);
        const expected = full.json().items.map((i: FullItem) => ({
          id: i.id,
          kind: i.kind,
          status: i.status,
          number: i.number,
          customerId: i.customerId,
          customerName: i.customerName,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          currency: i.currency,
          totals: {
            net: i.totals.net,
            vat: i.totals.vat,
            gross: i.totals.gross,
            payable: i.totals.payable,
          },
          paidAmount: i.paidAmount,
          creditedInvoiceId: i.credited?.invoiceId ?? null,
          issuedAt: i.issuedAt,
          sentAt: i.sentAt,
          version: i.version,
          createdAt: i.createdAt,
          updatedAt: i.updatedAt,
        }));
        assert.deepEqual(summaries.json().items, expected, query);
        assert.equal(summaries.json().nextCursor, full.json().nextCursor);
        if (!full.json().nextCursor) break;
        cursor = `&cursor=${full.json().nextCursor}`;
      }
    }
    const names = (await call('GET', '/api/v1/invoices/summaries?limit=200', t.ownerA)).json().items;
    const mine = names.filter((i: { customerId: string }) => i.customerId === issued.customer.id);
    assert.deepEqual(mine.map((i: { kind: string }) => i.kind).sort(), ['credit_note', 'invoice']);
  });

  test('is audited as a list read, and bad filters are a 400 that changes nothing', async () => {
    const before = await auditCount();
    const ok = await call('GET', '/api/v1/invoices/summaries?status=issued', t.ownerA);
    assert.equal(ok.statusCode, 200, ok.body);
    const events = await listedEvents();
    assert.equal(events.length, before + 1);
    assert.deepEqual(events.at(-1), { results: ok.json().items.length, status: 'issued', view: 'summary' });
    const bad = await call('GET', '/api/v1/invoices/summaries?customerId=nope&from=gisteren', t.ownerA);
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(await auditCount(), before + 1);
  });
});

/** An item of the full list, as far as the comparison reads it. */
type FullItem = Record<string, unknown> & {
  totals: Record<string, string>;
  credited: { invoiceId: string } | null;
};

async function listedEvents(): Promise<Record<string, unknown>[]> {
  const rows = await inTenant(t.s.db, t.a.tenantId, (tx) =>
    queryRows<{ data: Record<string, unknown> }>(
      tx,
      sql`SELECT data FROM audit_events WHERE action = 'invoice.listed' ORDER BY seq`,
    ),
  );
  return rows.map((r) => r.data);
}

async function auditCount(): Promise<number> {
  return (await listedEvents()).length;
}
