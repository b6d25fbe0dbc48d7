import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  COLLECTION_COSTS_MAX_CENTS,
  COLLECTION_COSTS_MIN_CENTS,
  statutoryCollectionCosts,
} from './collection-costs.ts';

describe('statutoryCollectionCosts', () => {
  const cases: [string, bigint, bigint][] = [
    ['nothing owed: the minimum', 0n, 4_000n],
    ['€ 266.66 (15 % = 39.999): the minimum', 26_666n, 4_000n],
    ['€ 266.67 (15 % = 40.0005)', 26_667n, 4_000n],
    ['€ 267.00', 26_700n, 4_005n],
    ['€ 1,000.00', 100_000n, 15_000n],
    ['€ 2,500.00', 250_000n, 37_500n],
    ['€ 2,500.05 (10 % of 0.05 rounds up)', 250_005n, 37_501n],
    ['€ 5,000.00', 500_000n, 62_500n],
    ['€ 10,000.00', 1_000_000n, 87_500n],
    ['€ 10,000.50 (1 % of 0.50 rounds up)', 1_000_050n, 87_501n],
    ['€ 200,000.00', 20_000_000n, 277_500n],
    ['€ 200,000.01 (0.5 % of a cent rounds to nothing)', 20_000_001n, 277_500n],
    ['€ 1,000,000.00: exactly the maximum', 100_000_000n, 677_500n],
    ['€ 999,990.00: just under the maximum', 99_999_000n, 677_495n],
    ['€ 999,999.00: 677,499.5 rounds up to the maximum', 99_999_900n, 677_500n],
    ['a huge amount: the maximum', 10n ** 15n, 677_500n],
  ];
  for (const [name, principal, costs] of cases) {
    it(name, () => assert.equal(statutoryCollectionCosts(principal), costs));
  }

  it('refuses a negative principal', () => {
    assert.throws(() => statutoryCollectionCosts(-1n), { code: 'validation_failed' });
  });

  it('never decreases as the principal grows, and stays within € 40 … € 6,775', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n * 10n ** 8n }),
        fc.bigInt({ min: 0n, max: 10n ** 7n }),
        (a, delta) => {
          const low = statutoryCollectionCosts(a);
          const high = statutoryCollectionCosts(a + delta);
          assert.ok(low <= high);
          assert.ok(low >= COLLECTION_COSTS_MIN_CENTS && high <= COLLECTION_COSTS_MAX_CENTS);
        },
      ),
    );
  });
});
