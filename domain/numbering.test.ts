import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseInvoiceNumber, parseNumberFormat, renderInvoiceNumber, seriesKey } from './numbering.ts';

describe('parseNumberFormat', () => {
  it('accepts formats with exactly one sequence', () => {
    for (const format of [
      '{YYYY}-{seq:4}',
      '{YY}{seq:5}',
      'F{YYYY}.{seq}',
      '{seq}',
      'INV/{seq:6}',
      'C-{YYYY}-{seq:10}',
    ]) {
      assert.equal(parseNumberFormat(format).ok, true, format);
    }
  });

  const refused: [string, string][] = [
    ['', 'number_format_empty'],
    ['{YYYY}-', 'number_format_seq_missing'],
    ['{seq}-{seq}', 'number_format_seq_duplicate'],
    ['{seq:0}', 'number_format_seq_width'],
    ['{seq:11}', 'number_format_seq_width'],
    ['{seq:4a}', 'number_format_token_unknown'],
    ['{yyyy}-{seq}', 'number_format_token_unknown'],
    ['{MM}-{seq}', 'number_format_token_unknown'],
    ['{YYYY}{YY}{seq}', 'number_format_year_duplicate'],
    ['{seq', 'number_format_character'],
    ['seq}', 'number_format_character'],
    ['F {seq}', 'number_format_character'],
    ['F?{seq}', 'number_format_character'],
    [`${'A'.repeat(40)}{seq}`, 'number_format_too_long'],
  ];
  for (const [format, code] of refused) {
    it(`refuses ${JSON.stringify(format)} with ${code}`, () => {
      assert.deepEqual(parseNumberFormat(format), { ok: false, code });
    });
  }
});

describe('seriesKey', () => {
  it('gives each calendar year its own series when the format shows the year', () => {
    assert.equal(seriesKey('{YYYY}-{seq:4}', '2024-12-31'), '2024');
    assert.equal(seriesKey('{YY}{seq:5}', '2025-01-01'), '2025');
  });

  it('keeps one series forever when the year is not shown, so numbers never repeat', () => {
    assert.equal(seriesKey('INV-{seq}', '2024-12-31'), 'all');
    assert.equal(seriesKey('INV-{seq}', '2025-01-01'), 'all');
  });

  it('refuses a bad format with a validation error', () => {
    assert.throws(() => seriesKey('{YYYY}', '2024-01-01'), { code: 'validation_failed' });
  });
});

describe('renderInvoiceNumber', () => {
  const cases: [string, string, number, string][] = [
    ['{YYYY}-{seq:4}', '2024-03-01', 1, '2024-0001'],
    ['{YYYY}-{seq:4}', '2024-03-01', 12345, '2024-12345'],
    ['{YY}{seq:5}', '2025-01-01', 42, '2500042'],
    ['{YY}{seq:5}', '2009-06-15', 7, '0900007'],
    ['F{YYYY}.{seq}', '2024-03-01', 7, 'F2024.7'],
    ['INV/{seq:6}', '2024-03-01', 99, 'INV/000099'],
  ];
  for (const [format, date, seq, expected] of cases) {
    it(`${format} on ${date}, #${seq} → ${expected}`, () => {
      assert.equal(renderInvoiceNumber(format, date, seq), expected);
    });
  }

  it('refuses sequence numbers that cannot come from a counter', () => {
    for (const seq of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => renderInvoiceNumber('{seq}', '2024-01-01', seq), RangeError, String(seq));
    }
  });
});

describe('parseInvoiceNumber', () => {
  it('reads the year and sequence back', () => {
    assert.deepEqual(parseInvoiceNumber('{YYYY}-{seq:4}', '2024-0042'), { year: '2024', seq: 42 });
    assert.deepEqual(parseInvoiceNumber('F{YYYY}.{seq}', 'F2024.123'), { year: '2024', seq: 123 });
    assert.deepEqual(parseInvoiceNumber('{seq}{YY}', '12324'), { year: '24', seq: 123 });
    assert.deepEqual(parseInvoiceNumber('INV/{seq:6}', 'INV/000099'), { seq: 99 });
  });

  it('refuses numbers that are not an exact rendering', () => {
    assert.equal(parseInvoiceNumber('{YYYY}-{seq:4}', '2024-00042'), undefined);
    assert.equal(parseInvoiceNumber('{YYYY}-{seq:4}', '2024-0000'), undefined);
    assert.equal(parseInvoiceNumber('F{YYYY}.{seq}', 'FX2024.1'), undefined);
    assert.equal(parseInvoiceNumber('F{YYYY}.{seq}', 'F2024x1'), undefined);
  });

  const formats = [
    '{YYYY}-{seq:4}',
    '{YY}{seq:5}',
    'F{YYYY}.{seq}',
    '{seq}{YY}',
    '{seq}',
    'A.{seq:3}/{YYYY}',
  ];
  const dateArb = fc
    .record({ year: fc.integer({ min: 2000, max: 2099 }), month: fc.integer({ min: 1, max: 12 }) })
    .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}-15`);
  const seqArb = fc.integer({ min: 1, max: 10_000_000 });

  it('round-trips every rendered number', () => {
    fc.assert(
      fc.property(fc.constantFrom(...formats), dateArb, seqArb, (format, date, seq) => {
        const parsed = parseInvoiceNumber(format, renderInvoiceNumber(format, date, seq));
        assert.equal(parsed?.seq, seq);
      }),
    );
  });

  it('never renders the same number twice for different series or sequences', () => {
    fc.assert(
      fc.property(fc.constantFrom(...formats), dateArb, seqArb, dateArb, seqArb, (format, d1, s1, d2, s2) => {
        const sameSeries = seriesKey(format, d1) === seriesKey(format, d2);
        if (sameSeries && s1 === s2) return;
        assert.notEqual(renderInvoiceNumber(format, d1, s1), renderInvoiceNumber(format, d2, s2));
      }),
    );
  });
});
