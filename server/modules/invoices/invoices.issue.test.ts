/**
 * Issuing and correcting: numbers from the business's format, VAT consistency checked first, party
 * snapshots, 409 for changes after issue, the trigger that refuses them even as raw SQL from the app
 * role, and credit notes in full or in part that refer to the original's number and date.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatMinor } from '../../../domain/currency.ts';
import type { AppError } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { makeServices, makeTenant, type TestServices } from '../../test/harness.ts';
import {
  createCreditNote,
  createInvoice,
  deleteInvoice,
  getInvoice,
  issueInvoice,
  updateInvoice,
} from './index.ts';
import { auditActions, prepareBusiness, workedExample } from './invoices.testing.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(() => s.close());

async function issuedExample(ctx: Ctx, customerId?: string) {
  const draft = await createInvoice(ctx, workedExample(customerId ?? (await prepareBusiness(ctx))));
  return issueInvoice(ctx, draft.id);
}

/** Runs raw SQL as the app role in the tenant and returns the database's refusal message. */
async function refusal(ctx: Ctx, query: ReturnType<typeof sql>): Promise<string> {
  const err = await inTenant(s.db, ctx.tenantId, (tx) => tx.execute(query)).catch((e) => e as Error);
  assert.ok(err instanceof Error, 'the statement should have been refused');
  return String((err as Error & { cause?: unknown }).cause ?? err.message);
}

describe('issuing', () => {
  test('assigns {YYYY}-{seq:4} numbers, snapshots both parties, and records invoice.issued', async () => {
    const ctx = await makeTenant(s);
    const customerId = await prepareBusiness(ctx);
    const first = await issuedExample(ctx, customerId);
    const second = await issuedExample(ctx, customerId);
    assert.deepEqual([first.number, second.number], ['2026-0001', '2026-0002']);
    assert.equal(first.status, 'issued');
    assert.equal(first.issueDate, '2026-11-20');
    assert.equal(first.buyer?.name, 'Bakkerij De Korf B.V.');
    assert.equal(first.buyer?.vatNumber, 'NL004495445B01');
    assert.equal(first.seller?.kvkNumber, '12345678');
    assert.equal(formatMinor(first.totals.payable, 'EUR'), '257.15');
    assert.deepEqual(await auditActions(ctx, first.id), ['invoice.created', 'invoice.issued']);
    const raw = await s.db.asOwner<{ buyer_name_enc: Buffer }>(
      'SELECT buyer_name_enc FROM invoices WHERE id = $1',
      [first.id],
    );
    assert.ok(
      !Buffer.from(raw[0]?.buyer_name_enc ?? [])
        .toString('latin1')
        .includes('Korf'),
      'stored encrypted',
    );
  });

  test('a custom format without a year runs one series; today and the payment term fill in the dates', async () => {
    const ctx = await makeTenant(s);
    const customerId = await prepareBusiness(ctx, { numberFormat: 'F{seq:5}', defaultPaymentTermDays: 14 });
    const draft = await createInvoice(ctx, { ...workedExample(customerId), issueDate: null, dueDate: null });
    const issued = await issueInvoice(ctx, draft.id);
    assert.equal(issued.number, 'F00001');
    assert.equal(issued.series, 'all');
    assert.equal(issued.issueDate, '2026-11-20', "the clock's day in the Netherlands");
    assert.equal(
      issued.dueDate,
      '2026-12-20',
      "the customer's default term of 30 days wins over the business's",
    );
  });

  test('inconsistent VAT is refused before a number is taken', async () => {
    const ctx = await makeTenant(s);
    const customerId = await prepareBusiness(ctx);
    const reverse = await createInvoice(ctx, {
      ...workedExample(customerId),
      lines: [{ description: 'Montage', quantity: '1', unitPrice: '100', vatCategory: 'AE', vatRate: '0' }],
    });
    await inTenant(s.db, ctx.tenantId, (tx) => tx.execute(sql`SELECT 1`));
    // The customer has a VAT number, so reverse charge passes; a buyer without one is refused.
    assert.equal((await issueInvoice(ctx, reverse.id)).number, '2026-0001');
    const other = await makeTenant(s);
    await prepareBusiness(other, { isKor: true });
    const { createCustomer } = await import('../customers/customers.service.ts');
    const consumer = await createCustomer(other, {
      kind: 'person',
      name: 'Jan Jansen',
      address: { street: 'Laan 2', postalCode: '1234 AB', city: 'Utrecht', country: 'NL' },
    });
    const kor = await createInvoice(other, workedExample(consumer.id));
    const err = (await issueInvoice(other, kor.id).catch((e) => e)) as AppError;
    assert.equal(err.code, 'validation_failed');
    assert.ok(err.issues.some((i) => i.code === 'kor_requires_exempt_category'));
    assert.ok(err.issues.some((i) => i.code === 'kor_forbids_vat_rate'));
    const rc = await createInvoice(other, {
      ...workedExample(consumer.id),
      lines: [{ description: 'Montage', quantity: '1', unitPrice: '100', vatCategory: 'AE', vatRate: '0' }],
    });
    const rcErr = (await issueInvoice(other, rc.id).catch((e) => e)) as AppError;
    assert.ok(rcErr.issues.some((i) => i.code === 'reverse_charge_requires_buyer_vat_number'));
    assert.equal((await getInvoice(other, rc.id)).status, 'draft');
    const series = await inTenant(s.db, other.tenantId, (tx) =>
      queryRows(tx, sql`SELECT * FROM number_series`),
    );
    assert.deepEqual(series, [], 'no number was taken');
  });

  test('issuing needs the seller details', async () => {
    const ctx = await makeTenant(s);
    const { createCustomer } = await import('../customers/customers.service.ts');
    const c = await createCustomer(ctx, { kind: 'company', name: 'Klant B.V.' });
    const draft = await createInvoice(ctx, workedExample(c.id));
    await assert.rejects(issueInvoice(ctx, draft.id), { code: 'invoice_settings_missing' });
  });
});

describe('an issued invoice never changes', () => {
  test('use cases answer 409 invoice_already_issued', async () => {
    const ctx = await makeTenant(s);
    const issued = await issuedExample(ctx);
    for (const attempt of [
      () => updateInvoice(ctx, issued.id, { notes: 'x' }),
      () => deleteInvoice(ctx, issued.id),
      () => issueInvoice(ctx, issued.id),
    ]) {
      const err = (await attempt().catch((e) => e)) as AppError;
      assert.deepEqual([err.kind, err.code], ['conflict', 'invoice_already_issued']);
    }
  });

  test('the trigger refuses raw UPDATE and DELETE from the app role, of the invoice and of its lines', async () => {
    const ctx = await makeTenant(s);
    const issued = await issuedExample(ctx);
    const id = issued.id;
    for (const statement of [
      sql`UPDATE invoices SET payable_minor = 1 WHERE id = ${id}`,
      sql`UPDATE invoices SET number = '2026-9999' WHERE id = ${id}`,
      sql`UPDATE invoices SET issue_date = '2026-01-01' WHERE id = ${id}`,
      sql`UPDATE invoices SET status = 'draft' WHERE id = ${id}`,
      sql`DELETE FROM invoices WHERE id = ${id}`,
      sql`UPDATE invoice_lines SET quantity = '1000' WHERE invoice_id = ${id}`,
      sql`DELETE FROM invoice_lines WHERE invoice_id = ${id}`,
      sql`INSERT INTO invoice_lines (tenant_id, invoice_id, id, position, description_enc, quantity, unit, unit_price, vat_category, vat_rate, net_minor)
          VALUES (${ctx.tenantId}, ${id}, '01900000-0000-7000-8000-0000000000aa', 9, '\\x00', '1', 'C62', '1', 'S', '21', 100)`,
      sql`UPDATE number_series SET next_value = 1`,
    ]) {
      assert.match(
        await refusal(ctx, statement),
        /invoice_already_issued|invoice_status_backwards|number_series_backwards/,
      );
    }
    // Status and payment may move forward, and only those.
    await inTenant(s.db, ctx.tenantId, (tx) =>
      tx.execute(sql`UPDATE invoices SET status = 'sent', sent_at = now() WHERE id = ${id}`),
    );
    assert.match(
      await refusal(ctx, sql`UPDATE invoices SET status = 'issued' WHERE id = ${id}`),
      /invoice_status_backwards/,
    );
    const after = await getInvoice(ctx, id);
    assert.equal(after.status, 'sent');
    assert.equal(formatMinor(after.totals.payable, 'EUR'), '257.15');
    assert.equal(after.lines.length, 2);
  });
});

describe('credit notes', () => {
  test('a full credit note refers to the number and date, and credits the invoice once issued', async () => {
    const ctx = await makeTenant(s);
    const invoice = await issuedExample(ctx);
    const note = await createCreditNote(ctx, invoice.id);
    assert.equal(note.kind, 'credit_note');
    assert.equal(note.status, 'draft');
    assert.deepEqual(note.credited, { invoiceId: invoice.id, number: '2026-0001', date: '2026-11-20' });
    assert.equal(formatMinor(note.totals.payable, 'EUR'), '257.15');
    assert.equal(
      (await getInvoice(ctx, invoice.id)).status,
      'issued',
      'a draft credit note credits nothing yet',
    );
    await assert.rejects(createCreditNote(ctx, invoice.id), { code: 'invoice_already_credited' });
    const issuedNote = await issueInvoice(ctx, note.id);
    assert.equal(issuedNote.number, '2026-0002', 'credit notes continue the same unbroken series');
    assert.equal(issuedNote.buyer?.name, 'Bakkerij De Korf B.V.');
    const credited = await getInvoice(ctx, invoice.id);
    assert.equal(credited.status, 'credited');
    assert.deepEqual(await auditActions(ctx, note.id), ['credit_note.created', 'invoice.issued']);
    assert.deepEqual(await auditActions(ctx, invoice.id), [
      'invoice.created',
      'invoice.issued',
      'invoice.viewed',
      'invoice.credited',
      'invoice.viewed',
    ]);
    await assert.rejects(createCreditNote(ctx, note.id), { code: 'credit_note_not_creditable' });
  });

  test('partial credit notes never exceed the invoice; the last one completes it', async () => {
    const ctx = await makeTenant(s);
    const invoice = await issuedExample(ctx);
    const [bread, advice] = invoice.lines;
    assert.ok(bread && advice);
    const part = await createCreditNote(ctx, invoice.id, { lines: [{ lineId: bread.id, quantity: '4' }] });
    assert.equal(formatMinor(part.totals.taxInclusive, 'EUR'), '10.90');
    await assert.rejects(
      createCreditNote(ctx, invoice.id, { lines: [{ lineId: bread.id, quantity: '6.0001' }] }),
      (e: AppError) => e.issues[0]?.code === 'credit_exceeds_invoice',
    );
    await issueInvoice(ctx, part.id);
    assert.equal((await getInvoice(ctx, invoice.id)).status, 'issued');
    const rest = await createCreditNote(ctx, invoice.id);
    assert.deepEqual(
      rest.lines.map((l) => [l.description, l.quantity]),
      [
        ['Broodjes', '6'],
        ['Advies', '2'],
      ],
    );
    await issueInvoice(ctx, rest.id);
    assert.equal((await getInvoice(ctx, invoice.id)).status, 'credited');
  });

  test('a draft invoice cannot be credited', async () => {
    const ctx = await makeTenant(s);
    const draft = await createInvoice(ctx, workedExample(await prepareBusiness(ctx)));
    await assert.rejects(createCreditNote(ctx, draft.id), { code: 'invoice_not_issued' });
  });
});
