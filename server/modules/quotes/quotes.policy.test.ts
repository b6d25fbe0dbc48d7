/** The quote state machine as a table: every status × action, and expiry at the day boundary. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QuoteStatus } from './quotes.model.ts';
import { decideQuote, type QuoteAction, statusOn } from './quotes.policy.ts';

test('a sent quote is expired only after its last valid day; other statuses never expire', () => {
  assert.equal(statusOn('sent', '2026-11-25', '2026-11-25'), 'sent');
  assert.equal(statusOn('sent', '2026-11-25', '2026-11-26'), 'expired');
  for (const stored of ['draft', 'accepted', 'declined'] as const) {
    assert.equal(statusOn(stored, '2026-11-25', '2030-01-01'), stored);
  }
});

test('every status and action has one answer, denied unless listed', () => {
  const table: Record<QuoteStatus, Record<QuoteAction, string>> = {
    draft: { edit: 'ok', delete: 'ok', send: 'ok', accept: 'quote_not_sent', decline: 'quote_not_sent' },
    sent: {
      edit: 'quote_not_draft',
      delete: 'quote_not_draft',
      send: 'quote_not_draft',
      accept: 'ok',
      decline: 'ok',
    },
    expired: {
      edit: 'quote_not_draft',
      delete: 'quote_not_draft',
      send: 'quote_not_draft',
      accept: 'quote_expired',
      decline: 'quote_expired',
    },
    accepted: {
      edit: 'quote_not_draft',
      delete: 'quote_not_draft',
      send: 'quote_not_draft',
      accept: 'quote_already_accepted',
      decline: 'quote_already_accepted',
    },
    declined: {
      edit: 'quote_not_draft',
      delete: 'quote_not_draft',
      send: 'quote_not_draft',
      accept: 'quote_already_declined',
      decline: 'quote_already_declined',
    },
  };
  for (const [status, actions] of Object.entries(table)) {
    for (const [action, expected] of Object.entries(actions)) {
      const d = decideQuote(status as QuoteStatus, action as QuoteAction);
      assert.equal(d.allowed ? 'ok' : d.code, expected, `${status} ${action}`);
    }
  }
});
