import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fiscalYearEndFor, isRetentionOver, retentionEndDate } from './retention.ts';

describe('retentionEndDate', () => {
  const cases: [string, IsoDateCase, string][] = [
    ['a calendar-year invoice: 7 years after 31 December', { date: '2024-03-15' }, '2031-12-31'],
    ['the first day of the year', { date: '2024-01-01' }, '2031-12-31'],
    ['the last day of the year', { date: '2024-12-31' }, '2031-12-31'],
    ['real estate: 10 years', { date: '2024-03-15', isRealEstate: true }, '2034-12-31'],
    [
      'fiscal year ending 30 June, invoice before it',
      { date: '2024-06-30', fiscalYearEnd: '06-30' },
      '2031-06-30',
    ],
    [
      'fiscal year ending 30 June, invoice after it',
      { date: '2024-07-01', fiscalYearEnd: '06-30' },
      '2032-06-30',
    ],
    ['fiscal year ending 28 February', { date: '2024-02-29', fiscalYearEnd: '02-28' }, '2032-02-28'],
    [
      'broken year and real estate',
      { date: '2023-10-01', fiscalYearEnd: '09-30', isRealEstate: true },
      '2034-09-30',
    ],
  ];
  for (const [name, { date, ...options }, expected] of cases) {
    it(name, () => assert.equal(retentionEndDate(date, options), expected));
  }

  it('refuses bad dates and fiscal year ends', () => {
    assert.throws(() => retentionEndDate('2024-02-30'), { code: 'validation_failed' });
    for (const end of ['02-29', '13-01', '6-30', '00-10', '']) {
      assert.throws(() => fiscalYearEndFor('2024-01-01', end), { code: 'validation_failed' }, end);
    }
  });
});

describe('isRetentionOver', () => {
  it('keeps the invoice through the last day and releases it the day after', () => {
    assert.equal(isRetentionOver('2024-03-15', '2031-12-31'), false);
    assert.equal(isRetentionOver('2024-03-15', '2032-01-01'), true);
    assert.equal(isRetentionOver('2024-03-15', '2032-01-01', { isRealEstate: true }), false);
  });
});

type IsoDateCase = { date: string; isRealEstate?: boolean; fiscalYearEnd?: string };
