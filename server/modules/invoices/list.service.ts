/**
 * Listing invoices: a page of the tenant's invoices and credit notes, narrowed by status, customer,
 * issue dates and text. Text matches a part of the number, or the customer's whole name through
 * the name's blind index (exact after normalising case and spaces; names are never stored in
 * plaintext, see ADR 0003). A page decrypts party data, so it is audited as a bulk read.
 */
import { parseIsoDate } from '../../../domain/dates.ts';
import { type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import { isUuid } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomerNames, findCustomersBy } from '../customers/customers.repo.ts';
import type { Invoice } from './invoices.model.ts';
import { type InvoiceFilter, listInvoiceRows } from './invoices.repo.ts';
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

/** Lists invoices matching `filter`, ordered by id, `limit` (1–200, default 50) after `cursor`. */
export async function listInvoices(
  ctx: Ctx,
  filter: InvoiceQuery & { cursor?: string | null; limit?: number },
): Promise<InvoicePage> {
  requirePermission(ctx, 'invoices:read');
  const { cursor, limit: wanted, q, ...where } = filter;
  const issues = checkFilter(filter, cursor);
  if (issues.length > 0) throw invalidInput(issues);
  const limit = Math.min(Math.max(wanted ?? 50, 1), 200);
  return inInvoiceTx(ctx, async ({ tx, keys, at }) => {
    const text = q
      ? { number: q.trim(), customerIds: (await findCustomersBy(tx, keys, 'name', q)).map((c) => c.id) }
      : undefined;
    const rows = await listInvoiceRows(tx, keys, { ...where, text }, cursor || null, limit + 1);
    const page = rows.slice(0, limit);
    // Drafts have no frozen buyer yet: their customers' names come in one query, names only.
    const drafts = new Set(page.filter((i) => !i.buyer).map((i) => i.customerId));
    const names = await findCustomerNames(tx, keys, [...drafts]);
    const items = page.map((i) => ({ ...i, customerName: i.buyer?.name ?? names.get(i.customerId) ?? null }));
    await appendAudit(tx, keys, {
      action: 'invoice.listed',
      actor: ctx.actor,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: {
        results: items.length,
        ...(where.status ? { status: where.status } : {}),
        ...(q ? { text: true } : {}),
      },
      at,
    });
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? last.id : null };
  });
}
