/**
 * The demo business (issue 4 point 16): made through the real use cases, ~25 valid customers,
 * products, ~60 invoices over every VAT case with one in USD, some paid, credit notes; the owner
 * signs in with the printed password; a second run changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { validateIban, validateKvk, validateVatNumber } from '../../../domain/identifiers.ts';
import { verifyAuditChain } from '../../audit/verify.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signIn } from '../identity/accounts.service.ts';
import { createIdentityRuntime, type IdentityRuntime } from '../identity/runtime.ts';
import { DEMO_OWNER_EMAIL, DEMO_SELLER, demoCustomers } from './demo.data.ts';
import { createDemo, type DemoResult } from './demo.service.ts';

let s: TestServices;
let rt: IdentityRuntime;
let first: DemoResult;

before(async () => {
  s = await makeServices();
  rt = createIdentityRuntime(s);
  first = await createDemo(rt);
});
after(async () => {
  await rt.settle();
  await s.close();
});

/** Row counts of the demo business, straight from the tables. */
async function counts(tenantId: string) {
  const [row] = await s.db.asOwner<Record<string, string>>(
    `SELECT (SELECT count(*) FROM customers WHERE tenant_id = $1) AS customers,
            (SELECT count(*) FROM products WHERE tenant_id = $1) AS products,
            (SELECT count(*) FROM invoices WHERE tenant_id = $1 AND kind = 'invoice') AS invoices,
            (SELECT count(*) FROM invoices WHERE tenant_id = $1 AND kind = 'credit_note') AS credit_notes,
            (SELECT count(*) FROM quotes WHERE tenant_id = $1) AS quotes,
            (SELECT count(*) FROM recurring_invoices WHERE tenant_id = $1) AS schedules,
            (SELECT count(*) FROM audit_events WHERE tenant_id = $1) AS events,
            (SELECT count(*) FROM tenants) AS tenants`,
    [tenantId],
  );
  return row;
}

describe('kluis demo', () => {
  test('fills one business with customers, products, invoices, credit notes, quotes and a recurring schedule', async () => {
    assert.ok(first.created);
    assert.equal(first.email, DEMO_OWNER_EMAIL);
    assert.ok(first.password.length >= 20, 'a long generated password');
    const c = await counts(first.tenantId);
    assert.equal(Number(c?.customers), first.counts.customers);
    assert.ok(first.counts.customers >= 24 && first.counts.customers <= 30);
    assert.ok(Number(c?.products) >= 5);
    assert.ok(Number(c?.invoices) >= 55 && Number(c?.invoices) <= 65, `invoices: ${c?.invoices}`);
    assert.ok(Number(c?.credit_notes) >= 2);
    assert.equal(Number(c?.invoices), first.counts.invoices);
    assert.equal(Number(c?.quotes), first.counts.quotes);
    assert.equal(Number(c?.schedules), 1);
    const quotes = await s.db.asOwner<{ status: string }>(
      'SELECT DISTINCT status FROM quotes WHERE tenant_id = $1',
      [first.tenantId],
    );
    assert.deepEqual(quotes.map((q) => q.status).sort(), ['accepted', 'declined', 'draft', 'sent']);
    assert.deepEqual(await verifyAuditChain(s, first.tenantId).then((r) => r.ok), true);
  });

  test('the invoices cover every VAT case, one is in USD, and they run through their lifecycle', async () => {
    assert.ok(first.created);
    const cases = await s.db.asOwner<{ c: string; r: string }>(
      `SELECT DISTINCT vat_category AS c, vat_rate AS r FROM invoice_lines WHERE tenant_id = $1`,
      [first.tenantId],
    );
    const seen = new Set(cases.map((x) => `${x.c} ${Number(x.r)}`));
    for (const want of ['S 21', 'S 9', 'Z 0', 'E 0', 'AE 0', 'K 0', 'G 0']) assert.ok(seen.has(want), want);
    const statuses = await s.db.asOwner<{ status: string; currency: string; n: string }>(
      `SELECT status, currency, count(*) AS n FROM invoices WHERE tenant_id = $1 GROUP BY status, currency`,
      [first.tenantId],
    );
    const has = (status: string) => statuses.some((x) => x.status === status);
    for (const status of ['draft', 'issued', 'sent', 'paid', 'partially_paid', 'credited']) {
      assert.ok(has(status), status);
    }
    assert.ok(
      statuses.some((x) => x.currency === 'USD' && x.status !== 'draft'),
      'an issued invoice in USD',
    );
  });

  test('every customer identifier passes the real checks', () => {
    for (const { input } of demoCustomers()) {
      if (input.iban) assert.ok(validateIban(input.iban).ok, input.iban);
      if (input.vatNumber) assert.ok(validateVatNumber(input.vatNumber).ok, input.vatNumber);
      if (input.kvkNumber) assert.ok(validateKvk(input.kvkNumber).ok, input.kvkNumber);
    }
    assert.ok(validateVatNumber(DEMO_SELLER.vatNumber ?? '').ok);
    assert.ok(validateIban(DEMO_SELLER.iban ?? '').ok);
  });

  test('the owner signs in with the printed password', async () => {
    assert.ok(first.created);
    const who = await signIn(
      rt,
      { email: first.email, password: first.password },
      { ip: '127.0.0.1', requestId: null },
    );
    assert.equal(who.kind, 'user');
  });

  test('running it again changes nothing and prints no password', async () => {
    assert.ok(first.created);
    const before = await counts(first.tenantId);
    const again = await createDemo(rt);
    assert.deepEqual(again, { created: false, tenantId: first.tenantId });
    assert.deepEqual(await counts(first.tenantId), before);
  });
});
