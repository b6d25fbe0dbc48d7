import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addMoney,
  CURRENCIES,
  decimalToMinor,
  formatMinor,
  isCurrency,
  minorToDecimal,
  minorUnits,
  parseCurrency,
  parseMoney,
  roundToMinor,
} from './currency.ts';
import { decimal, formatDecimal } from './decimal.ts';

describe('currency table', () => {
  const digits: [string, number][] = [
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['TND', 3],
    ['CLF', 4],
  ];
  for (const [code, expected] of digits) {
    it(`${code} has ${expected} minor digits`, () => assert.equal(minorUnits(code), expected));
  }

  it('refuses codes that are not active currencies with minor units', () => {
    for (const code of ['eur', 'XXX', 'XAU', 'XTS', 'NLG', 'HRK', 'DEM', 'EURO', '', 'E U']) {
      assert.equal(isCurrency(code), false, code);
    }
    assert.throws(() => minorUnits('NLG'), RangeError);
  });

  it('holds only three-letter codes', () => {
    for (const code of CURRENCIES.keys()) assert.match(code, /^[A-Z]{3}$/);
    assert.ok(CURRENCIES.size > 150);
  });

  it('normalises input', () => {
    assert.deepEqual(parseCurrency(' eur'), { ok: true, value: 'EUR' });
    assert.deepEqual(parseCurrency('gulden'), { ok: false, code: 'currency_unknown' });
  });
});

describe('money conversion', () => {
  const cases: [string, string, bigint][] = [
    ['12.50', 'EUR', 1250n],
    ['12.5', 'EUR', 1250n],
    ['-0.01', 'EUR', -1n],
    ['1000', 'JPY', 1000n],
    ['1.234', 'BHD', 1234n],
    ['0', 'EUR', 0n],
  ];
  for (const [text, currency, minor] of cases) {
    it(`${text} ${currency} is ${minor} minor units`, () => {
      assert.deepEqual(parseMoney(text, currency), { ok: true, value: { minor, currency } });
    });
  }

  it('refuses more decimals than the currency has', () => {
    assert.deepEqual(parseMoney('12.505', 'EUR'), { ok: false, code: 'decimal_too_many_decimals' });
    assert.deepEqual(parseMoney('10.5', 'JPY'), { ok: false, code: 'decimal_too_many_decimals' });
    assert.deepEqual(parseMoney('1e2', 'EUR'), { ok: false, code: 'decimal_exponent' });
  });

  it('formats with the currency digits', () => {
    assert.equal(formatMinor(1250n, 'EUR'), '12.50');
    assert.equal(formatMinor(-5n, 'EUR'), '-0.05');
    assert.equal(formatMinor(1000n, 'JPY'), '1000');
    assert.equal(formatMinor(1n, 'BHD'), '0.001');
  });

  it('converts exactly or rounds only when asked', () => {
    assert.equal(decimalToMinor(decimal('2.500'), 'EUR'), 250n);
    assert.throws(() => decimalToMinor(decimal('2.505'), 'EUR'), RangeError);
    assert.equal(roundToMinor(decimal('2.505'), 'EUR'), 251n);
    assert.equal(roundToMinor(decimal('-2.505'), 'EUR'), -251n);
    assert.equal(roundToMinor(decimal('2.5'), 'JPY'), 3n);
  });

  it('round-trips minor units through strings', () => {
    const codes = [...CURRENCIES.keys()];
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n - 1n), max: 10n ** 15n - 1n }),
        fc.constantFrom(...codes),
        (minor, code) => {
          const text = formatDecimal(minorToDecimal(minor, code));
          assert.deepEqual(parseMoney(text, code), { ok: true, value: { minor, currency: code } });
        },
      ),
    );
  });

  it('never adds different currencies', () => {
    assert.deepEqual(addMoney({ minor: 1n, currency: 'EUR' }, { minor: 2n, currency: 'EUR' }), {
      minor: 3n,
      currency: 'EUR',
    });
    assert.throws(() => addMoney({ minor: 1n, currency: 'EUR' }, { minor: 2n, currency: 'USD' }), RangeError);
  });
});
