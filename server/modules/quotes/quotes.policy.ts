/**
 * What may happen to a quote in each state, as pure functions that deny by default. `expired` is not
 * stored: a sent quote whose last valid day has passed on the injected clock is expired, so time
 * alone moves a quote there and no job has to run for it.
 */
import { AppError } from '../../../domain/errors.ts';
import type { QuoteStatus, StoredStatus } from './quotes.model.ts';

/** The status a client sees on `today` (a Dutch calendar date): sent and past `validUntil` is expired. */
export function statusOn(stored: StoredStatus, validUntil: string | null, today: string): QuoteStatus {
  return stored === 'sent' && validUntil !== null && validUntil < today ? 'expired' : stored;
}

/** What a use case wants to do with an existing quote. */
export type QuoteAction = 'edit' | 'delete' | 'send' | 'accept' | 'decline';

/** Allowed, or refused with the stable code a client receives. */
export type QuoteDecision = { allowed: true } | { allowed: false; code: string; message: string };

const allow: QuoteDecision = { allowed: true };
const deny = (code: string, message: string): QuoteDecision => ({ allowed: false, code, message });

/** Decides whether `action` is allowed on a quote in status `status`. */
export function decideQuote(status: QuoteStatus, action: QuoteAction): QuoteDecision {
  if (action === 'edit' || action === 'delete' || action === 'send') {
    return status === 'draft'
      ? allow
      : deny('quote_not_draft', 'Only a draft quote can change, be deleted or be sent');
  }
  switch (status) {
    case 'sent':
      return allow;
    case 'draft':
      return deny('quote_not_sent', 'Send the quote before the customer can answer it');
    case 'expired':
      return deny('quote_expired', 'The quote is no longer valid; make a new one');
    case 'accepted':
      return deny('quote_already_accepted', 'The quote was already accepted');
    case 'declined':
      return deny('quote_already_declined', 'The quote was already declined');
  }
  return deny('quote_action_not_allowed', 'Not allowed in the current state');
}

/** Throws the 409 for a refused action; returns for an allowed one. */
export function assertQuoteAllowed(status: QuoteStatus, action: QuoteAction): void {
  const decision = decideQuote(status, action);
  if (!decision.allowed) throw new AppError('conflict', decision.code, decision.message);
}
