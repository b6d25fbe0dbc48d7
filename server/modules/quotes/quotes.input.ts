/**
 * Validation of quote input, every problem reported at once under its field path. Lines, currency,
 * notes and document adjustments go through the invoices' own draft validation, so a quote's lines
 * and totals follow exactly the EN 16931 rules in domain/ that the invoice it may become follows.
 */
import { parseIsoDate } from '../../../domain/dates.ts';
import { type FieldIssue, invalidInput, isAppError } from '../../../domain/errors.ts';
import { type DraftInput, storedTotals, type ValidDraft, validateDraft } from '../invoices/index.ts';
import type { Quote, QuoteInput } from './quotes.model.ts';
import type { QuoteWrite } from './quotes.repo.ts';

/** How long a quote stays valid when it is sent without a `validUntil`. */
export const DEFAULT_VALIDITY_DAYS = 30;

/** The draft-invoice input a quote's content amounts to: the same lines, currency and notes. */
export function asDraftInput(input: QuoteInput): DraftInput {
  return {
    customerId: input.customerId,
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    notes: input.notes ?? null,
    lines: input.lines,
    allowances: input.allowances ?? [],
    charges: input.charges ?? [],
  };
}

/** Validates a quote and computes its totals; throws one validation error listing every problem. */
export function validateQuote(input: QuoteInput): QuoteWrite {
  const issues: FieldIssue[] = [];
  const date = (path: string, value: string | null | undefined): string | null => {
    if (value === null || value === undefined || value === '') return null;
    const parsed = parseIsoDate(value);
    if (!parsed.ok) issues.push({ path, code: parsed.code, message: 'A date like 2026-11-20' });
    return parsed.ok ? parsed.value : null;
  };
  const quoteDate = date('quoteDate', input.quoteDate);
  const validUntil = date('validUntil', input.validUntil);
  if (quoteDate && validUntil && validUntil < quoteDate) {
    issues.push({
      path: 'validUntil',
      code: 'valid_until_before_quote_date',
      message: 'A quote cannot expire before its date',
    });
  }
  let draft: ValidDraft | undefined;
  try {
    draft = validateDraft(asDraftInput(input));
  } catch (err) {
    if (!isAppError(err) || err.issues.length === 0) throw err;
    issues.push(...err.issues);
  }
  if (issues.length > 0 || !draft) throw invalidInput(issues);
  const { content, lines, totals } = draft;
  return {
    content: {
      customerId: content.customerId,
      quoteDate,
      validUntil,
      currency: content.currency,
      notes: content.notes,
      allowances: content.allowances,
      charges: content.charges,
    },
    lines: lines.map(({ creditedLineId: _none, ...line }) => line),
    totals: storedTotals(totals),
  };
}

/** The input a stored quote was made from, so a patch can be applied and validated as a whole. */
export function quoteAsInput(quote: Quote): QuoteInput {
  return {
    customerId: quote.customerId,
    quoteDate: quote.quoteDate,
    validUntil: quote.validUntil,
    currency: quote.currency,
    notes: quote.notes,
    allowances: quote.allowances,
    charges: quote.charges,
    lines: quote.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      ...(l.priceBaseQuantity ? { priceBaseQuantity: l.priceBaseQuantity } : {}),
      discount: l.discount,
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    })),
  };
}
