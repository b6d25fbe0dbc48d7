/**
 * Listing invoices: a page of the tenant's invoices and credit notes, narrowed by status, customer
 * and issue dates. A page decrypts party data, so it is audited as a bulk read (`invoice.listed`).
 */
import { parseIsoDate } from '../../../domain/dates.ts';
import { type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import { isUuid } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import type { Invoice } from './invoices.model.ts';
import { type InvoiceFilter, listInvoiceRows } from './invoices.repo.ts';
import { inInvoiceTx } from './invoices.tx.ts';

export type { InvoiceFilter } from './invoices.repo.ts';

/** A page of invoices; `nextCursor` is null on the last page. */
export interface InvoicePage {
  items: Invoice[];
  nextCursor: string | null;
}

function checkFilter(filter: InvoiceFilter, cursor: string | null | undefined): FieldIssue[] {
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
  if (cursor && !isUuid(cursor))
    issues.push({ path: 'cursor', code: 'cursor_invalid', message: 'Not a cursor' });
  return issues;
}

/** Lists invoices matching `filter`, ordered by id, `limit` (1–200, default 50) after `cursor`. */
export async function listInvoices(
  ctx: Ctx,
  filter: InvoiceFilter & { cursor?: string | null; limit?: number },
): Promise<InvoicePage> {
  requirePermission(ctx, 'invoices:read');
  const { cursor, limit: wanted, ...where } = filter;
  const issues = checkFilter(where, cursor);
  if (issues.length > 0) throw invalidInput(issues);
  const limit = Math.min(Math.max(wanted ?? 50, 1), 200);
  return inInvoiceTx(ctx, async ({ tx, keys, at }) => {
    const rows = await listInvoiceRows(tx, keys, where, cursor || null, limit + 1);
    const items = rows.slice(0, limit);
    await appendAudit(tx, keys, {
      action: 'invoice.listed',
      actor: ctx.actor,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { results: items.length, ...(where.status ? { status: where.status } : {}) },
      at,
    });
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? last.id : null };
  });
}
