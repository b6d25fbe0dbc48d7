/**
 * Listing invoices: a page of the tenant's invoices and credit notes, narrowed by status, customer,
 * issue dates and text. Text matches a part of the number, or the customer's whole name through
 * the name's blind index (exact after normalising case and spaces; names are never stored in
 * plaintext, see ADR 0003). A page decrypts party data, so it is audited as a bulk read.
 */
import { parseIsoDate } from '../../../domain/dates.ts';
import { type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import { coalescedRead } from '../../audit/coalesced-reads.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { isUuid } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomerNames, findCustomersBy } from '../customers/customers.repo.ts';
import type { Invoice, InvoiceSummary } from './invoices.model.ts';
import { type InvoiceFilter, listInvoiceRows, listInvoiceSummaryRows } from './invoices.repo.ts';
import { inInvoiceTx } from './invoices.tx.ts';

export type { InvoiceFilter } from './invoices.repo.ts';

/**
 * An invoice in a list, with its customer's name: as invoiced once issued (the frozen buyer), the
 * customer's current name while a draft.
 */
export type ListedInvoice = Invoice & { customerName: string | null };

/** A page of invoices; `nextCursor` is null on the last page. */
export interface InvoicePage {
  items: ListedInvoice[];
  nextCursor: string | null;
}

/** What a caller filters on: the repository's filter, with free text instead of its resolved form. */
export type InvoiceQuery = Omit<InvoiceFilter, 'text'> & { q?: string };

function checkFilter(filter: InvoiceQuery, cursor: string | null | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (filter.customerId !== undefined && !isUuid(filter.customerId)) {
    issues.push({ path: 'customerId', code: 'customer_id_format', message: 'A customer id' });
  }
  for (const path of ['from', 'to'] as const) {
    const value = filter[path];
    if (value !== undefined && !parseIsoDate(value).ok) {
      issues.push({ path, code: 'date_format', message: 'A date like 2026-11-20' });
    }
  }
  if (filter.q !== undefined && filter.q.trim() === '') {
    issues.push({ path: 'q', code: 'required', message: 'Leave q out, or give some text' });
  }
  if (cursor && !isUuid(cursor))
    issues.push({ path: 'cursor', code: 'cursor_invalid', message: 'Not a cursor' });
  return issues;
}

/** A page of rows of one of the two list shapes, with their customers' names. */
type Fetch<R> = (
  tx: Tx,
  keys: TenantKeys,
  filter: InvoiceFilter,
  after: string | null,
  limit: number,
) => Promise<R[]>;

/**
 * The one list use case behind both shapes: validation, the text search, the page, the customers'
 * names (`issuedName` is the frozen buyer's name, null for a draft) and the `invoice.listed` event,
 * all in one tenant transaction. The full list has a transaction of its own; summaries, cheap
 * enough for the chain to be their limit, share one with the concurrent summaries of the same
 * business (coalesced-reads.ts), each still with its event in the transaction that read it.
 */
async function listPage<R extends { id: string; customerId: string }>(
  ctx: Ctx,
  filter: InvoiceQuery & { cursor?: string | null; limit?: number },
  fetch: Fetch<R>,
  issuedName: (row: R) => string | null,
  view: 'full' | 'summary',
): Promise<{ items: (R & { customerName: string | null })[]; nextCursor: string | null }> {
  requirePermission(ctx, 'invoices:read');
  const { cursor, limit: wanted, q, ...where } = filter;
  const issues = checkFilter(filter, cursor);
  if (issues.length > 0) throw invalidInput(issues);
  const limit = Math.min(Math.max(wanted ?? 50, 1), 200);
  const read = async (tx: Tx, keys: TenantKeys) => {
    const text = q
      ? { number: q.trim(), customerIds: (await findCustomersBy(tx, keys, 'name', q)).map((c) => c.id) }
      : undefined;
    const rows = await fetch(tx, keys, { ...where, text }, cursor || null, limit + 1);
    const page = rows.slice(0, limit);
    // Drafts have no frozen buyer yet: their customers' names come in one query, names only.
    const drafts = new Set(page.filter((i) => issuedName(i) === null).map((i) => i.customerId));
    const names = await findCustomerNames(tx, keys, [...drafts]);
    const items = page.map((i) => ({ ...i, customerName: issuedName(i) ?? names.get(i.customerId) ?? null }));
    const last = items.at(-1);
    return {
      value: { items, nextCursor: rows.length > limit && last ? last.id : null },
      event: {
        action: 'invoice.listed' as const,
        actor: ctx.actor,
        requestId: ctx.requestId,
        ip: ctx.ip,
        data: {
          results: items.length,
          ...(where.status ? { status: where.status } : {}),
          ...(q ? { text: true } : {}),
          ...(view === 'summary' ? { view } : {}),
        },
      },
    };
  };
  if (view === 'summary') return coalescedRead(ctx, read);
  return inInvoiceTx(ctx, async ({ tx, keys, at }) => {
    const { value, event } = await read(tx, keys);
    await appendAudit(tx, keys, { ...event, at });
    return value;
  });
}

/** Lists invoices matching `filter`, ordered by id, `limit` (1–200, default 50) after `cursor`. */
export async function listInvoices(
  ctx: Ctx,
  filter: InvoiceQuery & { cursor?: string | null; limit?: number },
): Promise<InvoicePage> {
  return listPage(ctx, filter, listInvoiceRows, (i) => i.buyer?.name ?? null, 'full');
}

/** A listed summary: the invoice's list columns with its customer's name (as for the full list). */
export type ListedSummary = InvoiceSummary & { customerName: string | null };

/**
 * The same page as `listInvoices` (same filter, order and cursor), summaries only: no lines and no
 * party data but the customer's name, so a page opens one envelope per invoice instead of all.
 */
export async function listInvoiceSummaries(
  ctx: Ctx,
  filter: InvoiceQuery & { cursor?: string | null; limit?: number },
): Promise<{ items: ListedSummary[]; nextCursor: string | null }> {
  return listPage(ctx, filter, listInvoiceSummaryRows, (i) => i.buyerName, 'summary');
}
