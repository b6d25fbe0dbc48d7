import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addYears, nextDay, parseIsoDate } from './dates.ts';

describe('parseIsoDate', () => {
  it('accepts real calendar days', () => {
    for (const d of ['2024-02-29', '2000-02-29', '2023-12-31', '1999-01-01']) {
      assert.deepEqual(parseIsoDate(d), { ok: true, value: d });
    }
  });

  it('refuses malformed or impossible dates', () => {
    const cases: [string, string][] = [
      ['2023-02-29', 'date_invalid'],
      ['1900-02-29', 'date_invalid'],
      ['2024-13-01', 'date_invalid'],
      ['2024-04-31', 'date_invalid'],
      ['2024-00-10', 'date_invalid'],
      ['0999-01-01', 'date_invalid'],
      ['2024-1-01', 'date_format'],
      ['2024-01-01T00:00:00Z', 'date_format'],
      ['01-01-2024', 'date_format'],
      ['', 'date_format'],
    ];
    for (const [text, code] of cases) assert.deepEqual(parseIsoDate(text), { ok: false, code }, text);
  });
});

describe('date arithmetic', () => {
  it('adds years, clamping 29 February', () => {
    assert.equal(addYears('2024-12-31', 7), '2031-12-31');
    assert.equal(addYears('2024-02-29', 7), '2031-02-28');
    assert.equal(addYears('2024-02-29', 4), '2028-02-29');
  });

  it('steps to the next day over month and year ends', () => {
    assert.equal(nextDay('2024-02-28'), '2024-02-29');
    assert.equal(nextDay('2023-02-28'), '2023-03-01');
    assert.equal(nextDay('2031-12-31'), '2032-01-01');
  });
});
