/**
 * Draft quotes: create, read, list, change and delete. Only a draft changes or is deleted; anything
 * else answers 409 `quote_not_draft`. Every use case is one tenant transaction with its audit event;
 * another business's id answers exactly like a missing one.
 */
import { AppError, invalidInput, notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { isUuid, newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { quoteAsInput, validateQuote } from './quotes.input.ts';
import type { Quote, QuoteInput, QuotePatch, QuoteStatus } from './quotes.model.ts';
import { assertQuoteAllowed } from './quotes.policy.ts';
import {
  deleteQuoteDraft,
  findQuote,
  insertQuote,
  listQuoteRows,
  type QuoteFilter,
  updateQuoteDraft,
} from './quotes.repo.ts';
import { inQuoteTx } from './quotes.tx.ts';

/** Checks that the customer is this business's; another business's customer is simply unknown. */
export async function assertQuoteCustomer(tx: Tx, keys: TenantKeys, customerId: string): Promise<void> {
  if (!(await findCustomer(tx, keys, customerId))) {
    throw invalidInput([{ path: 'customerId', code: 'customer_not_found', message: 'No such customer' }]);
  }
}

/** Reads a quote inside a use case, locked for change; missing and foreign ids are both 404. */
export async function lockQuote(tx: Tx, keys: TenantKeys, id: string, today: string): Promise<Quote> {
  const quote = isUuid(id) ? await findQuote(tx, keys, id, today, { lock: true }) : undefined;
  if (!quote) throw notFound('quote');
  return quote;
}

/** Reads a quote back after a change in the same transaction. */
export async function rereadQuote(tx: Tx, keys: TenantKeys, id: string, today: string): Promise<Quote> {
  const quote = await findQuote(tx, keys, id, today);
  if (!quote) throw new Error('quote vanished inside its own transaction');
  return quote;
}

/** Creates a draft quote with its totals and records `quote.created`. */
export async function createQuote(ctx: Ctx, input: QuoteInput): Promise<Quote> {
  requirePermission(ctx, 'quotes:write');
  const write = validateQuote(input);
  return inQuoteTx(ctx, async ({ tx, keys, at, today, record }) => {
    await assertQuoteCustomer(tx, keys, write.content.customerId);
    const id = newId(at);
    await insertQuote(tx, keys, id, write, at);
    await record('quote.created', id, { lines: write.lines.length });
    return rereadQuote(tx, keys, id, today);
  });
}

/** Returns one quote with its lines and its status on today's date. */
export async function getQuote(ctx: Ctx, id: string): Promise<Quote> {
  requirePermission(ctx, 'quotes:read');
  return inQuoteTx(ctx, async ({ tx, keys, today }) => {
    const quote = isUuid(id) ? await findQuote(tx, keys, id, today) : undefined;
    if (!quote) throw notFound('quote');
    return quote;
  });
}

/**
 * Changes a draft (any subset of fields; `lines` replaces all lines) and records `quote.updated`.
 * With `expectedVersion`, a concurrent change answers 409 `quote_changed` instead of being overwritten.
 */
export async function updateQuote(
  ctx: Ctx,
  id: string,
  patch: QuotePatch,
  expectedVersion?: number,
): Promise<Quote> {
  requirePermission(ctx, 'quotes:write');
  return inQuoteTx(ctx, async ({ tx, keys, at, today, record }) => {
    const current = await lockQuote(tx, keys, id, today);
    assertQuoteAllowed(current.status, 'edit');
    const changed = () =>
      new AppError('conflict', 'quote_changed', 'The quote was changed by someone else; reload it');
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw changed();
    const write = validateQuote({ ...quoteAsInput(current), ...patch });
    if (write.content.customerId !== current.customerId) {
      await assertQuoteCustomer(tx, keys, write.content.customerId);
    }
    if (!(await updateQuoteDraft(tx, keys, id, write, current.version, at))) throw changed();
    await record('quote.updated', id, { fields: Object.keys(patch).sort().join(',') });
    return rereadQuote(tx, keys, id, today);
  });
}

/** Deletes a draft and records `quote.deleted`; a sent quote is never deleted (409). */
export async function deleteQuote(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx, 'quotes:write');
  await inQuoteTx(ctx, async ({ tx, keys, today, record }) => {
    const current = await lockQuote(tx, keys, id, today);
    assertQuoteAllowed(current.status, 'delete');
    await deleteQuoteDraft(tx, keys, id);
    await record('quote.deleted', id);
  });
}

/** A page of quotes; `nextCursor` is null on the last page. */
export interface QuotePage {
  items: Quote[];
  nextCursor: string | null;
}

/** Lists quotes by status (expired included) and customer, ordered by id, `limit` (1–200) after `cursor`. */
export async function listQuotes(
  ctx: Ctx,
  query: QuoteFilter & { cursor?: string | null; limit?: number },
): Promise<QuotePage> {
  requirePermission(ctx, 'quotes:read');
  const { cursor, limit: wanted, ...filter } = query;
  const issues = [];
  if (filter.customerId !== undefined && !isUuid(filter.customerId)) {
    issues.push({ path: 'customerId', code: 'customer_id_format', message: 'A customer id' });
  }
  if (cursor && !isUuid(cursor))
    issues.push({ path: 'cursor', code: 'cursor_invalid', message: 'Not a cursor' });
  if (issues.length > 0) throw invalidInput(issues);
  const limit = Math.min(Math.max(wanted ?? 50, 1), 200);
  return inQuoteTx(ctx, async ({ tx, keys, today }) => {
    const rows = await listQuoteRows(tx, keys, filter, today, cursor || null, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? last.id : null };
  });
}

export type { QuoteStatus };
