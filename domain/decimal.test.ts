import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  add,
  compare,
  decimal,
  divide,
  divideRounded,
  formatDecimal,
  fromUnits,
  mul,
  negate,
  normalize,
  parseDecimal,
  round,
  shiftRight,
  sub,
} from './decimal.ts';

describe('parseDecimal', () => {
  const accepted: [string, bigint, number][] = [
    ['2.50', 250n, 2],
    ['-0.005', -5n, 3],
    ['10', 10n, 0],
    ['0', 0n, 0],
    ['-0', 0n, 0],
    ['007.1', 71n, 1],
    ['1.2345', 12345n, 4],
    ['999999999999999', 999999999999999n, 0],
  ];
  for (const [text, units, scale] of accepted) {
    it(`accepts ${text}`, () => {
      assert.deepEqual(parseDecimal(text, 4), { ok: true, value: { units, scale } });
    });
  }

  const refused: [string, string][] = [
    ['1e3', 'decimal_exponent'],
    ['2.5E-3', 'decimal_exponent'],
    ['', 'decimal_format'],
    ['abc', 'decimal_format'],
    ['1,50', 'decimal_format'],
    ['+1', 'decimal_format'],
    ['.5', 'decimal_format'],
    ['5.', 'decimal_format'],
    [' 1', 'decimal_format'],
    ['1 000', 'decimal_format'],
    ['--1', 'decimal_format'],
    ['0x10', 'decimal_format'],
    ['NaN', 'decimal_format'],
    ['Infinity', 'decimal_format'],
    ['1.23456', 'decimal_too_many_decimals'],
    ['1000000000000000', 'decimal_out_of_range'],
  ];
  for (const [text, code] of refused) {
    it(`refuses ${JSON.stringify(text)} with ${code}`, () => {
      assert.deepEqual(parseDecimal(text, 4), { ok: false, code });
    });
  }

  it('honours the given maximum of decimals', () => {
    assert.equal(parseDecimal('1.234', 2).ok, false);
    assert.equal(parseDecimal('1.23', 2).ok, true);
    assert.equal(parseDecimal('1.5', 0).ok, false);
  });
});

describe('arithmetic', () => {
  it('is exact where floats are not', () => {
    assert.equal(formatDecimal(add(decimal('0.1'), decimal('0.2'))), '0.3');
    assert.equal(formatDecimal(sub(decimal('1'), decimal('0.9'))), '0.1');
    assert.equal(formatDecimal(mul(decimal('1.1'), decimal('1.1'))), '1.21');
    assert.equal(formatDecimal(shiftRight(decimal('21'), 2)), '0.21');
  });

  it('compares across scales', () => {
    assert.equal(compare(decimal('2.5'), decimal('2.50')), 0);
    assert.equal(compare(decimal('-1'), decimal('0.001')), -1);
    assert.equal(compare(decimal('10'), decimal('9.9999')), 1);
  });

  it('normalizes trailing zeros', () => {
    assert.deepEqual(normalize(decimal('21.00')), { units: 21n, scale: 0 });
    assert.deepEqual(normalize(decimal('5.50')), { units: 55n, scale: 1 });
    assert.deepEqual(normalize(decimal('0.000')), { units: 0n, scale: 0 });
  });
});

describe('round (half-up, away from zero)', () => {
  const cases: [string, number, string][] = [
    ['2.345', 2, '2.35'],
    ['-2.345', 2, '-2.35'],
    ['2.344', 2, '2.34'],
    ['-2.344', 2, '-2.34'],
    ['0.005', 2, '0.01'],
    ['-0.005', 2, '-0.01'],
    ['0.0049999', 2, '0.00'],
    ['2.5', 0, '3'],
    ['-2.5', 0, '-3'],
    ['1.5', 3, '1.500'],
    ['99.995', 2, '100.00'],
  ];
  for (const [value, places, expected] of cases) {
    it(`${value} → ${expected}`, () => {
      assert.equal(formatDecimal(round(decimal(value), places)), expected);
    });
  }

  it('is symmetric around zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 0, max: 6 }),
        (u, s) => {
          const d = fromUnits(u, s);
          assert.deepEqual(round(negate(d), 2).units, -round(d, 2).units);
        },
      ),
    );
  });

  it('never moves a value by more than half a unit of the last place', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 0, max: 6 }),
        (u, s) => {
          const d = fromUnits(u, s);
          const diff = sub(round(d, 2), d);
          const abs = diff.units < 0n ? negate(diff) : diff;
          assert.ok(compare(abs, decimal('0.005')) <= 0);
        },
      ),
    );
  });
});

describe('divide', () => {
  it('rounds the exact quotient once', () => {
    assert.equal(formatDecimal(divide(decimal('10'), decimal('3'), 2)), '3.33');
    assert.equal(formatDecimal(divide(decimal('20'), decimal('3'), 2)), '6.67');
    assert.equal(formatDecimal(divide(decimal('-1'), decimal('8'), 2)), '-0.13');
    assert.equal(formatDecimal(divide(decimal('2.50'), decimal('0.5'), 4)), '5.0000');
  });

  it('rounds halves away from zero for every sign combination', () => {
    assert.equal(divideRounded(5n, 2n), 3n);
    assert.equal(divideRounded(-5n, 2n), -3n);
    assert.equal(divideRounded(5n, -2n), -3n);
    assert.equal(divideRounded(-5n, -2n), 3n);
    assert.throws(() => divideRounded(1n, 0n), RangeError);
  });
});

describe('formatDecimal', () => {
  it('pads to the requested places', () => {
    assert.equal(formatDecimal(decimal('2.5'), 2), '2.50');
    assert.equal(formatDecimal(decimal('-0.05'), 2), '-0.05');
    assert.equal(formatDecimal(decimal('7'), 0), '7');
    assert.equal(formatDecimal(decimal('-0.5'), 3), '-0.500');
  });

  it('drops only zeros, never digits', () => {
    assert.equal(formatDecimal(decimal('2.500'), 2), '2.50');
    assert.throws(() => formatDecimal(decimal('2.505'), 2), RangeError);
  });

  it('round-trips through parseDecimal', () => {
    fc.assert(
      fc.property(
        // 15 integer digits at most (MAX_INTEGER_DIGITS): ±10^15 at scale 0 would have 16.
        fc.bigInt({ min: -(10n ** 15n - 1n), max: 10n ** 15n - 1n }),
        fc.integer({ min: 0, max: 4 }),
        (u, s) => {
          const text = formatDecimal(fromUnits(u, s));
          assert.deepEqual(parseDecimal(text, 4), { ok: true, value: { units: u, scale: s } });
        },
      ),
    );
  });
});
