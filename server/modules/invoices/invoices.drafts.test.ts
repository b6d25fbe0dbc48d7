/**
 * Draft invoices through the use cases on a real database: the worked example of issue 4, changes
 * and deletion with their audit events, validation that reports every field, the lifecycle policy,
 * and another tenant's invoice answering exactly like a missing one on every use case.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatMinor } from '../../../domain/currency.ts';
import type { AppError } from '../../../domain/errors.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { makeServices, makeTenant, type TestServices } from '../../test/harness.ts';
import {
  canMove,
  createCreditNote,
  createInvoice,
  decide,
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

describe('drafts', () => {
  test('the worked example: net 215.00, VAT 42.15, gross 257.15, as a draft without a number', async () => {
    const ctx = await makeTenant(s);
    const draft = await createInvoice(ctx, workedExample(await prepareBusiness(ctx)));
    assert.equal(draft.status, 'draft');
    assert.equal(draft.kind, 'invoice');
    assert.equal(draft.number, null);
    assert.equal(formatMinor(draft.totals.taxExclusive, 'EUR'), '215.00');
    assert.equal(formatMinor(draft.totals.tax, 'EUR'), '42.15');
    assert.equal(formatMinor(draft.totals.taxInclusive, 'EUR'), '257.15');
    assert.equal(formatMinor(draft.totals.payable, 'EUR'), '257.15');
    assert.deepEqual(
      draft.totals.vatBreakdown.map((g) => [
        g.vatRate,
        formatMinor(g.taxableMinor, 'EUR'),
        formatMinor(g.taxMinor, 'EUR'),
      ]),
      [
        ['21', '190.00', '39.90'],
        ['9', '25.00', '2.25'],
      ],
    );
    assert.deepEqual(
      draft.lines.map((l) => [l.description, formatMinor(l.netMinor, 'EUR')]),
      [
        ['Broodjes', '25.00'],
        ['Advies', '190.00'],
      ],
    );
    assert.deepEqual(await auditActions(ctx, draft.id), ['invoice.created']);
  });

  test('line discounts, document allowances and charges, a period, references and notes are kept', async () => {
    const ctx = await makeTenant(s);
    const customerId = await prepareBusiness(ctx);
    const draft = await createInvoice(ctx, {
      customerId,
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      buyerReference: 'Inkoop J. Jansen',
      orderReference: 'PO-77',
      paymentTerms: '14 dagen netto',
      notes: 'Dank voor uw opdracht',
      lines: [
        {
          description: 'Uren',
          quantity: '12.5',
          unit: 'hur',
          unitPrice: '80.1234',
          discount: { percent: '10' },
          vatCategory: 'S',
          vatRate: '21',
        },
        {
          description: 'Boek',
          quantity: '1',
          unitPrice: '20',
          discount: { amount: '2.00' },
          vatCategory: 'S',
          vatRate: '9',
        },
      ],
      allowances: [{ reason: 'Vaste klant', percent: '5', vatCategory: 'S', vatRate: '21' }],
      charges: [{ reason: 'Verzending', amount: '6.95', vatCategory: 'S', vatRate: '21' }],
    });
    // 12.5 × 80.1234 = 1001.5425 → 1001.54; −10 % (100.15) = 901.39; 20 − 2 = 18.00.
    assert.deepEqual(
      draft.lines.map((l) => formatMinor(l.netMinor, 'EUR')),
      ['901.39', '18.00'],
    );
    assert.equal(draft.lines[0]?.unit, 'HUR');
    // Allowance 5 % of 919.39 = 45.97; charge 6.95.
    assert.equal(formatMinor(draft.totals.allowanceTotal, 'EUR'), '45.97');
    assert.equal(formatMinor(draft.totals.taxExclusive, 'EUR'), '880.37');
    assert.deepEqual(
      [draft.periodStart, draft.periodEnd, draft.supplyDate],
      ['2026-10-01', '2026-10-31', null],
    );
    assert.deepEqual(
      [draft.buyerReference, draft.orderReference, draft.notes],
      ['Inkoop J. Jansen', 'PO-77', 'Dank voor uw opdracht'],
    );
    const read = await getInvoice(ctx, draft.id);
    assert.deepEqual(read.allowances, [
      { reason: 'Vaste klant', percent: '5', vatCategory: 'S', vatRate: '21' },
    ]);
    assert.deepEqual(read.lines[1]?.discount, { amount: '2.00' });
  });

  test('invalid input is refused with every problem at once, and nothing is stored', async () => {
    const ctx = await makeTenant(s);
    const customerId = await prepareBusiness(ctx);
    const err = await createInvoice(ctx, {
      customerId,
      supplyDate: '2026-02-30',
      periodStart: '2026-10-01',
      lines: [
        {
          description: ' ',
          quantity: '1',
          unitPrice: '1',
          discount: {} as never,
          vatCategory: 'S',
          vatRate: '21',
        },
      ],
    }).catch((e) => e);
    assert.equal(err.code, 'validation_failed');
    assert.deepEqual(err.issues.map((i: { path: string; code: string }) => `${i.path}:${i.code}`).sort(), [
      'lines.0.description:required',
      'lines.0.discount:adjustment_percent_or_amount',
      'periodEnd:period_incomplete',
      'supplyDate:date_invalid',
    ]);
    const amounts = await createInvoice(ctx, {
      customerId,
      lines: [{ description: 'x', quantity: '1.00001', unitPrice: '-1', vatCategory: 'X', vatRate: '21' }],
    }).catch((e) => e);
    assert.deepEqual(amounts.issues.map((i: { path: string }) => i.path).sort(), [
      'lines.0.quantity',
      'lines.0.unitPrice',
      'lines.0.vatCategory',
    ]);
    const rows = await inTenant(s.db, ctx.tenantId, (tx) => queryRows(tx, sql`SELECT id FROM invoices`));
    assert.equal(rows.length, 0);
  });

  test('a draft can be changed and deleted, each with its audit event', async () => {
    const ctx = await makeTenant(s);
    const draft = await createInvoice(ctx, workedExample(await prepareBusiness(ctx)));
    const changed = await updateInvoice(ctx, draft.id, {
      notes: 'Graag binnen 14 dagen',
      lines: [{ description: 'Advies', quantity: '1', unitPrice: '100', vatCategory: 'S', vatRate: '21' }],
    });
    assert.equal(changed.notes, 'Graag binnen 14 dagen');
    assert.equal(changed.issueDate, '2026-11-20', 'fields not in the patch stay');
    assert.equal(changed.lines.length, 1);
    assert.equal(formatMinor(changed.totals.payable, 'EUR'), '121.00');
    assert.equal(changed.version, draft.version + 1);
    await deleteInvoice(ctx, draft.id);
    await assert.rejects(getInvoice(ctx, draft.id), { code: 'invoice_not_found' });
    assert.deepEqual(await auditActions(ctx, draft.id), [
      'invoice.created',
      'invoice.updated',
      'invoice.deleted',
    ]);
    const lines = await inTenant(s.db, ctx.tenantId, (tx) =>
      queryRows(tx, sql`SELECT id FROM invoice_lines`),
    );
    assert.equal(lines.length, 0, 'the lines went with the draft');
  });

  test('a customer of another business cannot be invoiced', async () => {
    const a = await makeTenant(s);
    const b = await makeTenant(s);
    await prepareBusiness(a);
    const theirs = await prepareBusiness(b);
    await assert.rejects(createInvoice(a, workedExample(theirs)), (e: { issues: { code: string }[] }) =>
      e.issues.some((i) => i.code === 'customer_not_found'),
    );
  });
});

describe('cross-tenant', () => {
  test("another business's invoice answers exactly like a missing one on every use case", async () => {
    const a = await makeTenant(s);
    const b = await makeTenant(s);
    await prepareBusiness(a);
    const theirs = await createInvoice(b, workedExample(await prepareBusiness(b)));
    const issuedTheirs = await createInvoice(b, workedExample(theirs.customerId));
    await issueInvoice(b, issuedTheirs.id);
    const missing = '01900000-0000-7000-8000-000000000000';
    const attempts: [string, (id: string) => Promise<unknown>][] = [
      ['get', (id) => getInvoice(a, id)],
      ['update', (id) => updateInvoice(a, id, { notes: 'x' })],
      ['delete', (id) => deleteInvoice(a, id)],
      ['issue', (id) => issueInvoice(a, id)],
      ['credit', (id) => createCreditNote(a, id)],
    ];
    for (const [name, attempt] of attempts) {
      for (const id of [theirs.id, issuedTheirs.id]) {
        const foreign = (await attempt(id).catch((e) => e)) as AppError;
        const none = (await attempt(missing).catch((e) => e)) as AppError;
        assert.equal(foreign.code, 'invoice_not_found', `${name} of a foreign invoice`);
        assert.deepEqual(
          [foreign.kind, foreign.code, foreign.message],
          [none.kind, none.code, none.message],
          name,
        );
      }
    }
    assert.equal(await getInvoice(a, 'not-a-uuid').catch((e) => e.code), 'invoice_not_found');
    const still = await getInvoice(b, theirs.id);
    assert.equal(still.notes, null);
  });
});

describe('lifecycle policy', () => {
  test('moves forward only, and denies whatever it does not list', () => {
    assert.ok(canMove('invoice', 'draft', 'issued'));
    assert.ok(canMove('invoice', 'sent', 'paid'));
    assert.ok(canMove('invoice', 'paid', 'credited'));
    for (const [from, to] of [
      ['issued', 'draft'],
      ['paid', 'sent'],
      ['credited', 'paid'],
      ['draft', 'paid'],
      ['draft', 'credited'],
    ] as const) {
      assert.equal(canMove('invoice', from, to), false, `${from} → ${to}`);
    }
    assert.equal(canMove('credit_note', 'issued', 'credited'), false);
    assert.equal(canMove('credit_note', 'issued', 'paid'), false);
    assert.deepEqual(decide({ kind: 'invoice', status: 'draft' }, 'edit'), { allowed: true });
    assert.equal(decide({ kind: 'invoice', status: 'issued' }, 'edit').allowed, false);
    assert.equal(decide({ kind: 'invoice', status: 'draft' }, 'credit').allowed, false);
    assert.equal(decide({ kind: 'credit_note', status: 'issued' }, 'credit').allowed, false);
    assert.equal(decide({ kind: 'invoice', status: 'bogus' as never }, 'credit').allowed, false);
    assert.equal(decide({ kind: 'invoice', status: 'issued' }, 'archive' as never).allowed, false);
  });
});
