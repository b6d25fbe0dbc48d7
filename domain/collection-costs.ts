/**
 * Dutch statutory extrajudicial collection costs (Besluit vergoeding voor buitengerechtelijke
 * incassokosten, art. 6:96 BW): the most a business may charge a consumer after the 14-day reminder
 * ("veertiendagenbrief"). Whether VAT is added is not decided here.
 */

import { invalidInput } from './errors.ts';

/** Cumulative brackets over the principal, in euro cents, with their rate in per mille. */
const BRACKETS: readonly { readonly upTo?: bigint; readonly perMille: bigint }[] = [
  { upTo: 250_000n, perMille: 150n }, // 15 % of the first € 2,500
  { upTo: 500_000n, perMille: 100n }, // 10 % of the next € 2,500
  { upTo: 1_000_000n, perMille: 50n }, // 5 % of the next € 5,000
  { upTo: 20_000_000n, perMille: 10n }, // 1 % of the next € 190,000
  { perMille: 5n }, // 0.5 % of the rest
];

/** The statutory minimum, € 40.00, in cents. */
export const COLLECTION_COSTS_MIN_CENTS = 4_000n;
/** The statutory maximum, € 6,775.00, in cents. */
export const COLLECTION_COSTS_MAX_CENTS = 677_500n;

/**
 * The statutory collection costs for a principal (in euro cents), in euro cents: the brackets summed
 * exactly, rounded half-up once, then held between € 40 and € 6,775.
 */
export function statutoryCollectionCosts(principalCents: bigint): bigint {
  if (principalCents < 0n) {
    throw invalidInput([
      { path: 'principal', code: 'amount_negative', message: 'The principal cannot be negative' },
    ]);
  }
  let from = 0n;
  let thousandths = 0n; // thousandths of a cent, so no bracket is rounded on its own
  for (const { upTo, perMille } of BRACKETS) {
    const to = upTo === undefined || principalCents < upTo ? principalCents : upTo;
    if (to > from) thousandths += (to - from) * perMille;
    if (upTo === undefined || principalCents <= upTo) break;
    from = upTo;
  }
  const cents = (thousandths + 500n) / 1000n;
  if (cents < COLLECTION_COSTS_MIN_CENTS) return COLLECTION_COSTS_MIN_CENTS;
  return cents > COLLECTION_COSTS_MAX_CENTS ? COLLECTION_COSTS_MAX_CENTS : cents;
}
