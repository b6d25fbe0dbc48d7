import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  computeTotals,
  type DocumentAdjustmentInput,
  type InvoiceTotals,
  type TotalsInput,
} from './totals.ts';

// An independent half-up-away-from-zero division, so the tests do not reuse the code under test.
function refRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (2n * n + denominator) / (2n * denominator);
  return negative ? -q : q;
}

function str(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const line = (quantity: string, unitPrice: string) => ({
  quantity,
  unitPrice,
  vatCategory: 'S',
  vatRate: '21',
});

// Random invoices, built from integer units so the expected values can be computed independently.
const rateArb = fc.constantFrom(
  ['S', 21n, 0],
  ['S', 9n, 0],
  ['S', 55n, 1],
  ['Z', 0n, 0],
  ['AE', 0n, 0],
) as fc.Arbitrary<[string, bigint, number]>;
const lineArb = fc.record({
  qty: fc.bigInt({ min: -(10n ** 8n), max: 10n ** 9n }),
  price: fc.bigInt({ min: 0n, max: 10n ** 9n }),
  base: fc.option(fc.bigInt({ min: 1n, max: 10n ** 6n }), { nil: undefined }),
  discount: fc.option(
    fc.oneof(
      fc.record({ pct: fc.bigInt({ min: 0n, max: 10000n }) }),
      fc.record({ amt: fc.bigInt({ min: 0n, max: 10n ** 6n }) }),
    ),
    { nil: undefined },
  ),
  vat: rateArb,
});
const adjustmentArb = fc.record({
  value: fc.oneof(
    fc.record({ pct: fc.bigInt({ min: 0n, max: 10000n }) }),
    fc.record({ amt: fc.bigInt({ min: 0n, max: 10n ** 6n }) }),
  ),
  vat: rateArb,
});
const invoiceArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 12 }),
  allowances: fc.array(adjustmentArb, { maxLength: 3 }),
  charges: fc.array(adjustmentArb, { maxLength: 3 }),
  prepaid: fc.bigInt({ min: 0n, max: 10n ** 7n }),
});
type RandomInvoice = typeof invoiceArb extends fc.Arbitrary<infer T> ? T : never;

function toInput(inv: RandomInvoice): TotalsInput {
  const adjustment = (v: { pct: bigint } | { amt: bigint }) =>
    'pct' in v ? { percent: str(v.pct, 2) } : { amount: str(v.amt, 2) };
  const doc = (a: RandomInvoice['allowances'][number]): DocumentAdjustmentInput => ({
    ...adjustment(a.value),
    vatCategory: a.vat[0],
    vatRate: str(a.vat[1], a.vat[2]),
  });
  return {
    currency: 'EUR',
    lines: inv.lines.map((l) => ({
      quantity: str(l.qty, 4),
      unitPrice: str(l.price, 4),
      ...(l.base === undefined ? {} : { priceBaseQuantity: str(l.base, 4) }),
      ...(l.discount === undefined ? {} : { discount: adjustment(l.discount) }),
      vatCategory: l.vat[0],
      vatRate: str(l.vat[1], l.vat[2]),
    })),
    allowances: inv.allowances.map(doc),
    charges: inv.charges.map(doc),
    prepaidAmount: str(inv.prepaid, 2),
  };
}

function sum(values: bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

function checkSumRules(t: InvoiceTotals): void {
  assert.equal(t.lineExtensionAmount, sum(t.lines.map((l) => l.netAmount)), 'BR-CO-10');
  assert.equal(t.allowanceTotalAmount, sum(t.allowances.map((a) => a.amount)), 'BR-CO-11');
  assert.equal(t.chargeTotalAmount, sum(t.charges.map((c) => c.amount)), 'BR-CO-12');
  assert.equal(
    t.taxExclusiveAmount,
    t.lineExtensionAmount - t.allowanceTotalAmount + t.chargeTotalAmount,
    'BR-CO-13',
  );
  assert.equal(t.taxAmount, sum(t.vatBreakdown.map((g) => g.taxAmount)), 'BR-CO-14');
  assert.equal(t.taxInclusiveAmount, t.taxExclusiveAmount + t.taxAmount, 'BR-CO-15');
  assert.equal(t.payableAmount, t.taxInclusiveAmount - t.prepaidAmount + t.roundingAmount, 'BR-CO-16');
  assert.equal(sum(t.vatBreakdown.map((g) => g.taxableAmount)), t.taxExclusiveAmount, 'Σ BT-116 = BT-109');
}

describe('computeTotals: properties of random invoices', () => {
  it('satisfies BR-CO-10 … BR-CO-16 exactly', () => {
    fc.assert(
      fc.property(invoiceArb, (inv) => {
        checkSumRules(computeTotals(toInput(inv)));
      }),
      { numRuns: 300 },
    );
  });

  it('rounds each line, each adjustment and each VAT group exactly once, half away from zero', () => {
    fc.assert(
      fc.property(invoiceArb, (inv) => {
        const t = computeTotals(toInput(inv));
        const expectedNets = inv.lines.map((l) => {
          // qty/10^4 × price/10^4 / (base/10^4) in cents = qty × price / (base × 100)
          const gross = refRound(l.qty * l.price, (l.base ?? 10000n) * 100n);
          const discount =
            l.discount === undefined
              ? 0n
              : 'pct' in l.discount
                ? refRound(gross * l.discount.pct, 10000n)
                : l.discount.amt;
          return gross - discount;
        });
        assert.deepEqual(
          t.lines.map((l) => l.netAmount),
          expectedNets,
        );
        const lineTotal = sum(expectedNets);
        const docAmount = (a: RandomInvoice['allowances'][number]) =>
          'pct' in a.value ? refRound(lineTotal * a.value.pct, 10000n) : a.value.amt;
        const taxable = new Map<string, bigint>();
        const add = (vat: [string, bigint, number], amount: bigint) => {
          const key = `${vat[0]} ${str(vat[1], vat[2])}`;
          taxable.set(key, (taxable.get(key) ?? 0n) + amount);
        };
        inv.lines.forEach((l, i) => {
          add(l.vat, expectedNets[i]!);
        });
        for (const a of inv.allowances) add(a.vat, -docAmount(a));
        for (const c of inv.charges) add(c.vat, docAmount(c));
        assert.equal(t.vatBreakdown.length, taxable.size);
        for (const g of t.vatBreakdown) {
          const [units = '0', fraction = ''] = g.vatRate.split('.');
          const rateUnits = BigInt(units + fraction);
          assert.equal(g.taxableAmount, taxable.get(`${g.vatCategory} ${g.vatRate}`));
          assert.equal(
            g.taxAmount,
            refRound(g.taxableAmount * rateUnits, 100n * 10n ** BigInt(fraction.length)),
            'BR-CO-17',
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(invoiceArb, (inv) => {
        const forward = computeTotals(toInput(inv));
        const backward = computeTotals(toInput({ ...inv, lines: [...inv.lines].reverse() }));
        assert.deepEqual(backward.vatBreakdown, forward.vatBreakdown);
        assert.equal(backward.payableAmount, forward.payableAmount);
      }),
    );
  });

  it('negating every quantity negates every line amount (credit lines round symmetrically)', () => {
    fc.assert(
      fc.property(invoiceArb, (inv) => {
        const percentOnly = inv.lines.map((l) => ({
          ...l,
          discount: l.discount && 'pct' in l.discount ? l.discount : undefined,
        }));
        const t = computeTotals(toInput({ ...inv, lines: percentOnly, allowances: [], charges: [] }));
        const n = computeTotals(
          toInput({
            ...inv,
            lines: percentOnly.map((l) => ({ ...l, qty: -l.qty })),
            allowances: [],
            charges: [],
          }),
        );
        assert.deepEqual(
          n.lines.map((l) => l.netAmount),
          t.lines.map((l) => -l.netAmount),
        );
        assert.equal(n.taxAmount, -t.taxAmount);
      }),
    );
  });

  it('keeps the sum rules for many tiny lines of 0.005', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('1', '-1', '3', '0.5'), { minLength: 1, maxLength: 200 }),
        (quantities) => {
          const t = computeTotals({ currency: 'EUR', lines: quantities.map((q) => line(q, '0.005')) });
          checkSumRules(t);
          const perLine: Record<string, bigint> = { '1': 1n, '-1': -1n, '3': 2n, '0.5': 0n };
          assert.equal(t.lineExtensionAmount, sum(quantities.map((q) => perLine[q]!)));
        },
      ),
    );
  });
});
