import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FREQUENCIES, firstIndexAfter, firstIndexOnOrAfter, occurrenceDate } from './recurrence.ts';

const dates = (rule: Parameters<typeof occurrenceDate>[0], start: string, n: number) =>
  Array.from({ length: n }, (_, i) => occurrenceDate(rule, start, i));

describe('occurrenceDate', () => {
  it('keeps a month-end start at the end of shorter months and returns to its day after', () => {
    assert.deepEqual(dates(FREQUENCIES.monthly, '2027-01-31', 5), [
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
    ]);
    assert.deepEqual(dates(FREQUENCIES.monthly, '2028-01-31', 2), ['2028-01-31', '2028-02-29']);
    assert.deepEqual(dates(FREQUENCIES.monthly, '2026-01-30', 3), ['2026-01-30', '2026-02-28', '2026-03-30']);
  });

  it('quarterly, yearly (29 February in leap years only) and custom intervals', () => {
    assert.deepEqual(dates(FREQUENCIES.quarterly, '2026-11-30', 4), [
      '2026-11-30',
      '2027-02-28',
      '2027-05-30',
      '2027-08-30',
    ]);
    assert.deepEqual(dates(FREQUENCIES.yearly, '2024-02-29', 5), [
      '2024-02-29',
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
    assert.deepEqual(dates({ unit: 'day', count: 10 }, '2026-12-25', 3), [
      '2026-12-25',
      '2027-01-04',
      '2027-01-14',
    ]);
    assert.deepEqual(dates({ unit: 'week', count: 2 }, '2026-03-23', 3), [
      '2026-03-23',
      '2026-04-06',
      '2026-04-20',
    ]);
    assert.deepEqual(dates({ unit: 'month', count: 2 }, '2026-12-31', 3), [
      '2026-12-31',
      '2027-02-28',
      '2027-04-30',
    ]);
  });
});

describe('firstIndexOnOrAfter / firstIndexAfter', () => {
  it('agrees with walking the occurrences one by one, for every rule and many dates', () => {
    const rules = [
      FREQUENCIES.monthly,
      FREQUENCIES.quarterly,
      FREQUENCIES.yearly,
      { unit: 'day', count: 1 },
      { unit: 'day', count: 45 },
      { unit: 'week', count: 1 },
      { unit: 'week', count: 3 },
      { unit: 'month', count: 5 },
    ] as const;
    for (const rule of rules) {
      for (const start of ['2026-01-31', '2026-02-28', '2027-06-15']) {
        for (let offset = -40; offset < 900; offset += 13) {
          const probe = occurrenceDate({ unit: 'day', count: 1 }, '2025-11-01', offset + 40);
          let walk = 0;
          while (occurrenceDate(rule, start, walk) < probe) walk++;
          assert.equal(
            firstIndexOnOrAfter(rule, start, probe),
            walk,
            `${JSON.stringify(rule)} ${start} ${probe}`,
          );
          const strictly = occurrenceDate(rule, start, walk) === probe ? walk + 1 : walk;
          assert.equal(firstIndexAfter(rule, start, probe), strictly);
        }
      }
    }
  });
});
