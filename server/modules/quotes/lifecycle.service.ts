/**
 * A quote's answers: sending numbers and dates it, then the customer accepts or declines it before
 * its `validUntil` has passed on the injected clock. Accepting makes a draft invoice from the quote
 * in the same transaction (through the invoices module's own `createInvoiceIn`), so there is never
 * an accepted quote without its invoice, nor an invoice from a quote that stayed open.
 */
import { dateParts } from '../../../domain/dates.ts';
import { invalidInput } from '../../../domain/errors.ts';
import { renderInvoiceNumber } from '../../../domain/numbering.ts';
import type { Ctx } from '../../context.ts';
import { requirePermission } from '../../policy.ts';
import { addDays, createInvoiceIn } from '../invoices/index.ts';
import { asDraftInput, DEFAULT_VALIDITY_DAYS, quoteAsInput } from './quotes.input.ts';
import type { Quote } from './quotes.model.ts';
import { assertQuoteAllowed } from './quotes.policy.ts';
import { allocateQuoteSeq, setQuoteStatus } from './quotes.repo.ts';
import { lockQuote, rereadQuote } from './quotes.service.ts';
import { inQuoteTx } from './quotes.tx.ts';

/** How quote numbers look: a series per calendar year of the quote date (ADR 0021). */
export const QUOTE_NUMBER_FORMAT = 'OFF-{YYYY}-{seq:4}';

/**
 * Marks a draft sent and records `quote.sent`: it gets its number, its date (today unless set) and
 * its last valid day (30 days later unless set). A `validUntil` already past is refused (400).
 */
export async function sendQuote(ctx: Ctx, id: string): Promise<Quote> {
  requirePermission(ctx, 'quotes:write');
  return inQuoteTx(ctx, async ({ tx, keys, at, today, record }) => {
    const current = await lockQuote(tx, keys, id, today);
    assertQuoteAllowed(current.status, 'send');
    const quoteDate = current.quoteDate ?? today;
    const validUntil = current.validUntil ?? addDays(quoteDate, DEFAULT_VALIDITY_DAYS);
    if (validUntil < today) {
      throw invalidInput([
        { path: 'validUntil', code: 'valid_until_past', message: 'The quote would be expired already' },
      ]);
    }
    const year = dateParts(quoteDate).year;
    const number = renderInvoiceNumber(
      QUOTE_NUMBER_FORMAT,
      quoteDate,
      await allocateQuoteSeq(tx, keys, year),
    );
    await setQuoteStatus(tx, keys, id, 'draft', { status: 'sent', number, quoteDate, validUntil }, at);
    await record('quote.sent', id, { number });
    return rereadQuote(tx, keys, id, today);
  });
}

/**
 * Records that the customer accepted a sent, unexpired quote (`quote.accepted`) and makes a draft
 * invoice of it in the same transaction: same customer, currency, lines, adjustments and notes, so
 * the invoice totals equal the quote's. Needs `invoices:write` as well, since it creates an invoice.
 */
export async function acceptQuote(ctx: Ctx, id: string): Promise<{ quote: Quote; invoiceId: string }> {
  requirePermission(ctx, 'quotes:write');
  requirePermission(ctx, 'invoices:write');
  return inQuoteTx(ctx, async ({ tx, keys, at, today, record }) => {
    const current = await lockQuote(tx, keys, id, today);
    assertQuoteAllowed(current.status, 'accept');
    const invoice = await createInvoiceIn(ctx, { tx, keys, at }, asDraftInput(quoteAsInput(current)));
    await setQuoteStatus(tx, keys, id, 'sent', { status: 'accepted', invoiceId: invoice.id }, at);
    await record('quote.accepted', id, { invoiceId: invoice.id });
    return { quote: await rereadQuote(tx, keys, id, today), invoiceId: invoice.id };
  });
}

/** Records that the customer declined a sent, unexpired quote (`quote.declined`). */
export async function declineQuote(ctx: Ctx, id: string): Promise<Quote> {
  requirePermission(ctx, 'quotes:write');
  return inQuoteTx(ctx, async ({ tx, keys, at, today, record }) => {
    const current = await lockQuote(tx, keys, id, today);
    assertQuoteAllowed(current.status, 'decline');
    await setQuoteStatus(tx, keys, id, 'sent', { status: 'declined' }, at);
    await record('quote.declined', id);
    return rereadQuote(tx, keys, id, today);
  });
}
