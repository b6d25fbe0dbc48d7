/**
 * Payments on invoices through the real app (issue 4, point 6): partial then full payment moves the
 * invoice to partially_paid and paid, more than is due is refused, concurrent payments never lose an
 * amount, the trigger still guards the invoice, payments are append-only and their references
 * encrypted, a viewer cannot record one, and another business's invoice is a 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import type { TestServices } from '../../test/harness.ts';
import { createCreditNote } from './credit-notes.service.ts';
import { createInvoice } from './drafts.service.ts';
import { auditActions, prepareBusiness, workedExample } from './invoices.testing.ts';
import { issueInvoice } from './issue.service.ts';

let t: ApiTest;
let s: TestServices;
let a: Ctx;
let b: Ctx;
let customerA: string;
let call: ApiTest['call'];

before(async () => {
  t = await openApiTest();
  ({ s, a, b, call } = t);
  customerA = await prepareBusiness(a);
  await prepareBusiness(b);
});
after(() => t.close());

/** An issued invoice of business A over 257.15 EUR. */
async function issued(): Promise<string> {
  const draft = await createInvoice(a, workedExample(customerA));
  return (await issueInvoice(a, draft.id)).id;
}

const pay = (id: string, amount: string, extra: Record<string, unknown> = {}, token = t.ownerA) =>
  call('POST', `/api/v1/invoices/${id}/payments`, token, { amount, date: '2026-11-20', ...extra });

/** Runs raw SQL as the app role in business A and returns the database's refusal. */
async function refusal(query: ReturnType<typeof sql>): Promise<string> {
  const err = await inTenant(s.db, a.tenantId, (tx) => tx.execute(query)).catch((e) => e as Error);
  assert.ok(err instanceof Error, 'the statement should have been refused');
  return String((err as Error & { cause?: unknown }).cause ?? err.message);
}

describe('payments', () => {
  test('a partial payment makes the invoice partially_paid, the rest makes it paid', async () => {
    const id = await issued();
    const first = await pay(id, '100.00', {
      method: 'bank_transfer',
      reference: 'Betaling De Korf 2026-0001',
    });
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(first.json().invoice, {
      status: 'partially_paid',
      currency: 'EUR',
      payable: '257.15',
      credited: '0.00',
      paid: '100.00',
      outstanding: '157.15',
    });
    assert.equal(first.json().payment.amount, '100.00');
    assert.equal(first.json().payment.method, 'bank_transfer');

    s.clock.advance(1); // a later moment orders the second payment after the first
    const second = await pay(id, '157.15', { date: '2026-11-20' });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.json().invoice.status, 'paid');
    assert.equal(second.json().invoice.outstanding, '0.00');

    const invoice = (await call('GET', `/api/v1/invoices/${id}`, t.ownerA)).json();
    assert.equal(invoice.status, 'paid');
    assert.equal(invoice.paidAmount, '257.15');
    const [row] = await inTenant(s.db, a.tenantId, (tx) =>
      queryRows<{ paid_at: Date | string | null }>(tx, sql`SELECT paid_at FROM invoices WHERE id = ${id}`),
    );
    assert.equal(new Date(row?.paid_at ?? 0).toISOString(), s.clock.now().toISOString());

    const list = await call('GET', `/api/v1/invoices/${id}/payments`, t.ownerA);
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(
      list.json().items.map((p: { amount: string; reference: string | null }) => [p.amount, p.reference]),
      [
        ['100.00', 'Betaling De Korf 2026-0001'],
        ['157.15', null],
      ],
    );
    assert.equal(list.json().invoice.status, 'paid');

    const third = await pay(id, '0.01');
    assert.equal(third.statusCode, 409);
    assert.equal(third.json().error.code, 'invoice_already_paid');
    const actions = await auditActions(a, id);
    assert.equal(actions.filter((x) => x === 'invoice.payment_recorded').length, 2);
    assert.ok(actions.includes('invoice.payments_viewed'));
  });

  test('a payment retried with the same Idempotency-Key is recorded once', async () => {
    const id = await issued();
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/invoices/${id}/payments`,
        headers: { authorization: `Bearer ${t.ownerA}`, 'idempotency-key': `pay-${id}` },
        payload: { amount: '10.00', date: '2026-11-20' },
      });
    const first = await send();
    const again = await send();
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().payment.id, first.json().payment.id);
    const list = (await call('GET', `/api/v1/invoices/${id}/payments`, t.ownerA)).json();
    assert.equal(list.items.length, 1);
    assert.equal(list.invoice.paid, '10.00');
  });

  test('more than is due is refused with 422, bad amounts and dates with 400, and nothing changes', async () => {
    const id = await issued();
    const over = await pay(id, '257.16');
    assert.equal(over.statusCode, 422, over.body);
    assert.equal(over.json().error.code, 'payment_exceeds_outstanding');
    for (const [body, code] of [
      [{ amount: '0' }, 'amount_not_positive'],
      [{ amount: '-5.00' }, 'amount_not_positive'],
      [{ amount: '1.005' }, undefined],
      [{ amount: 'tien euro' }, undefined],
      [{ amount: '10.00', date: '2026-11-21' }, 'payment_date_in_future'],
      [{ amount: '10.00', date: '2026-02-30' }, 'date_invalid'],
    ] as const) {
      const res = await call('POST', `/api/v1/invoices/${id}/payments`, t.ownerA, {
        date: '2026-11-20',
        ...body,
      });
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      if (code) assert.equal(res.json().error.issues[0].code, code);
    }
    const list = (await call('GET', `/api/v1/invoices/${id}/payments`, t.ownerA)).json();
    assert.equal(list.items.length, 0);
    assert.equal(list.invoice.status, 'issued');
    assert.equal(list.invoice.paid, '0.00');
  });

  test('drafts, credit notes and fully credited invoices refuse payments; a partial credit lowers what is due', async () => {
    const draft = await createInvoice(a, workedExample(customerA));
    const onDraft = await pay(draft.id, '10.00');
    assert.equal(onDraft.statusCode, 409);
    assert.equal(onDraft.json().error.code, 'invoice_not_issued');

    const full = await issued();
    const note = await issueInvoice(a, (await createCreditNote(a, full)).id);
    const onNote = await pay(note.id, '10.00');
    assert.equal(onNote.statusCode, 409);
    assert.equal(onNote.json().error.code, 'credit_note_not_payable');
    const onCredited = await pay(full, '10.00');
    assert.equal(onCredited.statusCode, 409);
    assert.equal(onCredited.json().error.code, 'invoice_already_credited');

    const partly = await issued();
    const original = (await call('GET', `/api/v1/invoices/${partly}`, t.ownerA)).json();
    // Crediting the 2 × 95.00 at 21 % line leaves 25.00 + 9 % = 27.25 due.
    await issueInvoice(
      a,
      (await createCreditNote(a, partly, { lines: [{ lineId: original.lines[1].id }] })).id,
    );
    assert.equal((await pay(partly, '27.26')).statusCode, 422);
    const rest = await pay(partly, '27.25');
    assert.equal(rest.statusCode, 201, rest.body);
    assert.deepEqual(rest.json().invoice, {
      status: 'paid',
      currency: 'EUR',
      payable: '257.15',
      credited: '229.90',
      paid: '27.25',
      outstanding: '0.00',
    });
  });

  test('concurrent payments queue on the invoice row: none is lost, none overpays', async () => {
    const id = await issued();
    const results = await Promise.all(Array.from({ length: 6 }, () => pay(id, '50.00')));
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [201, 201, 201, 201, 201, 422], results.map((r) => r.body).join('\n'));
    const list = (await call('GET', `/api/v1/invoices/${id}/payments`, t.ownerA)).json();
    assert.equal(list.items.length, 5);
    assert.equal(list.invoice.paid, '250.00');
    assert.equal(list.invoice.status, 'partially_paid');
    const last = await pay(id, '7.15');
    assert.equal(last.json().invoice.status, 'paid');
  });

  test('the trigger still refuses content changes and a smaller paid amount; payments are append-only', async () => {
    const id = await issued();
    assert.equal((await pay(id, '100.00', { reference: 'Geheime omschrijving' })).statusCode, 201);
    for (const statement of [
      sql`UPDATE invoices SET paid_minor = 0 WHERE id = ${id}`,
      sql`UPDATE invoices SET status = 'issued' WHERE id = ${id}`,
      sql`UPDATE invoices SET payable_minor = 10000 WHERE id = ${id}`,
      sql`UPDATE invoices SET paid_minor = paid_minor + 1, notes_enc = '\\x00' WHERE id = ${id}`,
    ]) {
      assert.match(await refusal(statement), /invoice_already_issued|invoice_status_backwards/);
    }
    for (const statement of [
      sql`UPDATE invoice_payments SET amount_minor = 1 WHERE invoice_id = ${id}`,
      sql`DELETE FROM invoice_payments WHERE invoice_id = ${id}`,
    ]) {
      assert.match(await refusal(statement), /permission denied/);
    }
    const raw = await s.db.asOwner<{ reference_enc: Buffer }>(
      'SELECT reference_enc FROM invoice_payments WHERE invoice_id = $1',
      [id],
    );
    assert.ok(raw[0]?.reference_enc, 'the reference is stored');
    assert.ok(!Buffer.from(raw[0].reference_enc).toString('latin1').includes('Geheime'));
    const list = (await call('GET', `/api/v1/invoices/${id}/payments`, t.ownerA)).json();
    assert.equal(list.items[0].reference, 'Geheime omschrijving');
  });

  test('a viewer may read payments but not record one', async () => {
    const id = await issued();
    const viewer = await t.tokenFor(a, 'viewer');
    const refused = await pay(id, '10.00', {}, viewer);
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal((await call('GET', `/api/v1/invoices/${id}/payments`, viewer)).statusCode, 200);
    const bookkeeper = await t.tokenFor(a, 'bookkeeper');
    assert.equal((await pay(id, '10.00', {}, bookkeeper)).statusCode, 201);
  });

  test("another business's invoice answers exactly like a missing one", async () => {
    const id = await issued();
    const missing = '01900000-0000-7000-8000-000000000001';
    for (const [method, suffix] of [
      ['POST', 'payments'],
      ['GET', 'payments'],
    ] as const) {
      const body = method === 'POST' ? { amount: '10.00', date: '2026-11-20' } : undefined;
      const foreign = await call(method, `/api/v1/invoices/${id}/${suffix}`, t.ownerB, body);
      const none = await call(method, `/api/v1/invoices/${missing}/${suffix}`, t.ownerB, body);
      assert.equal(foreign.statusCode, 404, foreign.body);
      const strip = (body: { error: Record<string, unknown> }) => ({ ...body.error, requestId: null });
      assert.deepEqual(strip(foreign.json()), strip(none.json()));
    }
    assert.equal((await call('GET', `/api/v1/invoices/not-a-uuid/payments`, t.ownerA)).statusCode, 404);
    const list = (await call('GET', `/api/v1/invoices/${id}/payments`, t.ownerA)).json();
    assert.equal(list.items.length, 0);
  });
});
