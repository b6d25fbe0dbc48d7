import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from './errors.ts';
import { computeTotals, type TotalsLineInput, vatTotalInAccountingCurrency } from './totals.ts';

const line = (quantity: string, unitPrice: string, vatRate = '21', more: Partial<TotalsLineInput> = {}) => ({
  quantity,
  unitPrice,
  vatCategory: 'S',
  vatRate,
  ...more,
});

describe('computeTotals: worked examples', () => {
  it('10 × 2.50 at 9 % and 2 × 95.00 at 21 %', () => {
    const totals = computeTotals({
      currency: 'EUR',
      lines: [line('10', '2.50', '9'), line('2', '95.00', '21')],
    });
    assert.deepEqual(
      totals.lines.map((l) => l.netAmount),
      [2500n, 19000n],
    );
    assert.equal(totals.lineExtensionAmount, 21500n);
    assert.equal(totals.taxExclusiveAmount, 21500n);
    assert.deepEqual(totals.vatBreakdown, [
      { vatCategory: 'S', vatRate: '21', taxableAmount: 19000n, taxAmount: 3990n },
      { vatCategory: 'S', vatRate: '9', taxableAmount: 2500n, taxAmount: 225n },
    ]);
    assert.equal(totals.taxAmount, 4215n);
    assert.equal(totals.taxInclusiveAmount, 25715n);
    assert.equal(totals.payableAmount, 25715n);
  });

  it('rounds VAT once per group, not per line', () => {
    // Seven lines of 0.03 at 9 %: per line 0.0027 → 0.00 each, so 0.00; per group 0.0189 → 0.02.
    const totals = computeTotals({
      currency: 'EUR',
      lines: Array.from({ length: 7 }, () => line('1', '0.03', '9')),
    });
    assert.equal(totals.taxAmount, 2n);
  });

  it('applies the price base quantity to the exact quotient', () => {
    const totals = computeTotals({
      currency: 'EUR',
      lines: [line('3', '10.00', '21', { priceBaseQuantity: '7' })],
    });
    assert.equal(totals.lines[0]?.netAmount, 429n); // 30 / 7 = 4.2857…
  });

  it('applies line discounts and charges to the rounded line amount', () => {
    const totals = computeTotals({
      currency: 'EUR',
      lines: [
        line('3', '3.33', '21', { discount: { percent: '10' } }), // 9.99 − 0.999 → 1.00 = 8.99
        line('1', '100', '21', {
          discount: { amount: '15.50' },
          charges: [{ amount: '2.25' }, { percent: '1.5' }],
        }),
      ],
    });
    assert.deepEqual(totals.lines, [
      { grossAmount: 999n, allowanceAmount: 100n, chargeAmount: 0n, netAmount: 899n },
      { grossAmount: 10000n, allowanceAmount: 1550n, chargeAmount: 375n, netAmount: 8825n },
    ]);
  });

  it('applies document allowances and charges to their VAT group', () => {
    const totals = computeTotals({
      currency: 'EUR',
      lines: [line('10', '2.50', '9'), line('2', '95.00', '21')],
      allowances: [{ percent: '5', vatCategory: 'S', vatRate: '21' }],
      charges: [{ amount: '6.95', vatCategory: 'S', vatRate: '21.00' }],
      prepaidAmount: '100.00',
    });
    assert.deepEqual(totals.allowances, [
      { baseAmount: 21500n, percent: '5', amount: 1075n, vatCategory: 'S', vatRate: '21' },
    ]);
    assert.deepEqual(totals.charges, [{ amount: 695n, vatCategory: 'S', vatRate: '21' }]);
    assert.equal(totals.taxExclusiveAmount, 21500n - 1075n + 695n);
    // 190.00 − 10.75 + 6.95 = 186.20 at 21 % = 39.102 → 39.10
    assert.deepEqual(totals.vatBreakdown[0], {
      vatCategory: 'S',
      vatRate: '21',
      taxableAmount: 18620n,
      taxAmount: 3910n,
    });
    assert.equal(totals.taxAmount, 3910n + 225n);
    assert.equal(totals.payableAmount, 21120n + 4135n - 10000n);
  });

  it('orders the breakdown by category, then rate', () => {
    const totals = computeTotals({
      currency: 'EUR',
      lines: [
        { quantity: '1', unitPrice: '1', vatCategory: 'AE', vatRate: '0' },
        line('1', '1', '9'),
        { quantity: '1', unitPrice: '1', vatCategory: 'Z', vatRate: '0' },
        line('1', '1', '21'),
      ],
    });
    assert.deepEqual(
      totals.vatBreakdown.map((g) => `${g.vatCategory} ${g.vatRate}`),
      ['S 21', 'S 9', 'Z 0', 'AE 0'],
    );
  });

  it('handles currencies without cents and with three decimals', () => {
    const yen = computeTotals({ currency: 'JPY', lines: [line('3', '333.5', '10')] });
    assert.equal(yen.lineExtensionAmount, 1001n); // 1000.5 → 1001 yen
    assert.equal(yen.taxAmount, 100n); // 100.1 → 100
    const dinar = computeTotals({ currency: 'BHD', lines: [line('1', '1.234', '10')] });
    assert.equal(dinar.lineExtensionAmount, 1230n); // EN 16931 allows 2 decimals: 1.23 BHD, in fils
    assert.equal(dinar.taxAmount, 120n);
  });

  it('rounds many lines of 0.005 one by one, half away from zero', () => {
    const totals = computeTotals({
      currency: 'EUR',
      lines: Array.from({ length: 1001 }, () => line('1', '0.005')),
    });
    assert.ok(totals.lines.every((l) => l.netAmount === 1n));
    assert.equal(totals.lineExtensionAmount, 1001n);
    assert.equal(totals.taxAmount, 210n); // 10.01 × 21 % = 2.1021
    const credit = computeTotals({ currency: 'EUR', lines: [line('-1', '0.005'), line('-3', '0.005')] });
    assert.deepEqual(
      credit.lines.map((l) => l.netAmount),
      [-1n, -2n],
    );
    const single = computeTotals({ currency: 'EUR', lines: [line('1001', '0.005')] });
    assert.equal(single.lineExtensionAmount, 501n); // 5.005 → 5.01
  });
});

describe('computeTotals: input errors', () => {
  it('lists every bad field at once', () => {
    try {
      computeTotals({
        currency: 'EUR',
        lines: [
          { quantity: '1.23456', unitPrice: '-1', vatCategory: 'X', vatRate: '21%' },
          line('1', '1', '21', { priceBaseQuantity: '0', discount: { percent: '101' } }),
        ],
        allowances: [{ amount: '1.005', vatCategory: 'S', vatRate: '21' }],
        prepaidAmount: 'ten',
      });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(isAppError(error));
      assert.equal(error.code, 'validation_failed');
      assert.deepEqual(error.issues.map((i) => `${i.path}:${i.code}`).sort(), [
        'allowances.0.amount:decimal_too_many_decimals',
        'lines.0.quantity:decimal_too_many_decimals',
        'lines.0.unitPrice:amount_negative',
        'lines.0.vatCategory:vat_category_unknown',
        'lines.0.vatRate:vat_rate_format',
        'lines.1.discount.percent:percent_out_of_range',
        'lines.1.priceBaseQuantity:price_base_quantity_not_positive',
        'prepaidAmount:decimal_format',
      ]);
    }
  });

  it('refuses an unknown currency and an invoice without lines', () => {
    assert.throws(() => computeTotals({ currency: 'XXX', lines: [line('1', '1')] }), {
      code: 'validation_failed',
    });
    assert.throws(
      () => computeTotals({ currency: 'EUR', lines: [] }),
      (e: unknown) => isAppError(e) && e.issues[0]?.code === 'lines_required',
    );
  });
});

describe('vatTotalInAccountingCurrency (BT-111)', () => {
  it('converts the VAT total and rounds once', () => {
    assert.equal(vatTotalInAccountingCurrency(4215n, 'USD', '0.9215'), 3884n); // 38.841225
    assert.equal(vatTotalInAccountingCurrency(1000n, 'JPY', '0.0061'), 610n); // 6.10
    assert.equal(vatTotalInAccountingCurrency(-4215n, 'USD', '0.9215'), -3884n); // same sign (R055)
    assert.equal(vatTotalInAccountingCurrency(1n, 'GBP', '1.15'), 1n); // 0.0115 → 0.01
  });

  it('refuses a bad exchange rate', () => {
    for (const rate of ['0', '-1', '1e3', 'abc']) {
      assert.throws(
        () => vatTotalInAccountingCurrency(100n, 'USD', rate),
        { code: 'validation_failed' },
        rate,
      );
    }
  });
});
