/**
 * SQL for invoices and their lines. Every function takes the tenant's keys (and so the tenant):
 * party data, references, notes and line descriptions are encrypted and decrypted here, and every
 * query filters on tenant_id on top of row-level security. Services see plain values only.
 */
import { and, asc, eq, gt, gte, ilike, inArray, lte, or, type SQL } from 'drizzle-orm';
import { openFields, sealFields } from '../../crypto/fields.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { newId } from '../../ids.ts';
import type {
  BuyerParty,
  Invoice,
  InvoiceContent,
  InvoiceKind,
  InvoiceStatus,
  InvoiceSummary,
  LineWrite,
  SellerParty,
  StoredTotals,
} from './invoices.model.ts';
import {
  BUYER_NAME,
  contentColumns,
  LINE_FIELDS,
  type SealedProp,
  sealInvoice,
  toInvoice,
  totalsColumns,
} from './invoices.rows.ts';
import { invoiceLines, invoices } from './invoices.tables.ts';

/** Inserts a draft invoice or credit note with its lines. */
export async function insertInvoice(
  tx: Tx,
  keys: TenantKeys,
  draft: { id: string; kind: InvoiceKind; content: InvoiceContent; lines: LineWrite[]; totals: StoredTotals },
  credited: { invoiceId: string; number: string | null; date: string | null } | null,
  at: Date,
): Promise<void> {
  const { plain, sealed } = contentColumns(draft.content);
  await tx.insert(invoices).values({
    ...plain,
    ...sealInvoice(keys, draft.id, sealed),
    ...totalsColumns(draft.totals),
    tenantId: keys.tenantId,
    id: draft.id,
    kind: draft.kind,
    creditedInvoiceId: credited?.invoiceId ?? null,
    creditedInvoiceNumber: credited?.number ?? null,
    creditedInvoiceDate: credited?.date ?? null,
    createdAt: at,
    updatedAt: at,
  });
  await insertLines(tx, keys, draft.id, draft.lines);
}

/** Replaces the content, lines and totals of a draft. */
export async function updateDraft(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  draft: { content: InvoiceContent; lines: LineWrite[]; totals: StoredTotals },
  version: number,
  at: Date,
): Promise<void> {
  const { plain, sealed } = contentColumns(draft.content);
  await tx
    .update(invoices)
    .set({
      ...plain,
      ...sealInvoice(keys, id, sealed),
      ...totalsColumns(draft.totals),
      version: version + 1,
      updatedAt: at,
    })
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id), eq(invoices.status, 'draft')));
  await tx
    .delete(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, keys.tenantId), eq(invoiceLines.invoiceId, id)));
  await insertLines(tx, keys, id, draft.lines);
}

async function insertLines(tx: Tx, keys: TenantKeys, invoiceId: string, lines: LineWrite[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.insert(invoiceLines).values(
    lines.map((l, position) => {
      const id = newId();
      const sealed = sealFields(keys, 'invoice_lines', id, LINE_FIELDS, { description: l.description });
      return {
        tenantId: keys.tenantId,
        invoiceId,
        id,
        position,
        descriptionEnc: sealed.description_enc as Buffer,
        quantity: l.quantity,
        unit: l.unit,
        unitPrice: l.unitPrice,
        priceBaseQuantity: l.priceBaseQuantity,
        discountPercent: l.discount && 'percent' in l.discount ? l.discount.percent : null,
        discountAmount: l.discount && 'amount' in l.discount ? l.discount.amount : null,
        vatCategory: l.vatCategory,
        vatRate: l.vatRate,
        netMinor: l.netMinor,
        creditedLineId: l.creditedLineId,
      };
    }),
  );
}

/** The number, dates, party snapshot and final totals that issuing writes, with status issued. */
export interface IssueWrite {
  series: string;
  seq: number;
  number: string;
  issueDate: string;
  dueDate: string | null;
  paymentTermDays: number | null;
  buyer: BuyerParty;
  seller: SellerParty;
  totals: StoredTotals;
}

/** Marks a draft issued; the last write its content ever gets (the trigger refuses any later one). */
export async function markIssued(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  w: IssueWrite,
  at: Date,
): Promise<void> {
  const { buyer, seller } = w;
  const sealed = sealInvoice(keys, id, {
    ...Object.fromEntries(
      Object.entries(buyer).map(([k, v]) => [`buyer${k[0]?.toUpperCase()}${k.slice(1)}`, v]),
    ),
    ...Object.fromEntries(
      Object.entries(seller).map(([k, v]) => [`seller${k[0]?.toUpperCase()}${k.slice(1)}`, v]),
    ),
  } as Partial<Record<SealedProp, string | null>>);
  await tx
    .update(invoices)
    .set({
      ...sealed,
      ...totalsColumns(w.totals),
      status: 'issued',
      series: w.series,
      seq: w.seq,
      number: w.number,
      issueDate: w.issueDate,
      dueDate: w.dueDate,
      paymentTermDays: w.paymentTermDays,
      buyerCountry: buyer.country,
      sellerCountry: seller.country,
      sellerBic: seller.bic,
      sellerIsKor: seller.isKor,
      issuedAt: at,
      updatedAt: at,
    })
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id), eq(invoices.status, 'draft')));
}

/** Moves an issued invoice along its lifecycle (the only columns the trigger lets change). */
export async function setStatus(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  status: InvoiceStatus,
  at: Date,
): Promise<void> {
  await tx
    .update(invoices)
    .set({ status, updatedAt: at, ...(status === 'credited' ? { creditedAt: at } : {}) })
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id)));
}

/** Deletes a draft and its lines. */
export async function deleteDraft(tx: Tx, keys: TenantKeys, id: string): Promise<void> {
  await tx
    .delete(invoices)
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id), eq(invoices.status, 'draft')));
}

/** Finds an invoice of this tenant with its lines; `lock` holds its row until the transaction ends. */
export async function findInvoice(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Invoice | undefined> {
  const query = tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) return undefined;
  const lines = await tx
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, keys.tenantId), eq(invoiceLines.invoiceId, id)))
    .orderBy(asc(invoiceLines.position));
  return toInvoice(keys, row, lines);
}

/** The lines of all credit notes of an invoice (drafts too unless `issuedOnly`), for credited quantities. */
export async function creditNoteLines(
  tx: Tx,
  keys: TenantKeys,
  invoiceId: string,
  issuedOnly: boolean,
): Promise<{ creditedLineId: string | null; quantity: string }[]> {
  const notes = await tx
    .select({ id: invoices.id, status: invoices.status })
    .from(invoices)
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.creditedInvoiceId, invoiceId)));
  const ids = notes.filter((n) => !issuedOnly || n.status !== 'draft').map((n) => n.id);
  if (ids.length === 0) return [];
  return tx
    .select({ creditedLineId: invoiceLines.creditedLineId, quantity: invoiceLines.quantity })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, keys.tenantId), inArray(invoiceLines.invoiceId, ids)));
}

/** Which invoices a list shows: all of the tenant's, narrowed by any of these. */
export interface InvoiceFilter {
  status?: InvoiceStatus;
  customerId?: string;
  /** Issue dates from and to, inclusive. */
  from?: string;
  to?: string;
  /** Text search: a part of the number, or one of these customers (found by name beforehand). */
  text?: { number: string; customerIds: readonly string[] };
}

/** A LIKE pattern that matches `value` anywhere, with LIKE's own wildcards taken literally. */
function containing(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The conditions of a list page: the tenant, the filter, and ids after the cursor. */
function listWhere(keys: TenantKeys, filter: InvoiceFilter, after: string | null): SQL | undefined {
  const where: SQL[] = [eq(invoices.tenantId, keys.tenantId)];
  if (filter.status) where.push(eq(invoices.status, filter.status));
  if (filter.customerId) where.push(eq(invoices.customerId, filter.customerId));
  if (filter.from) where.push(gte(invoices.issueDate, filter.from));
  if (filter.to) where.push(lte(invoices.issueDate, filter.to));
  if (filter.text) {
    const { number, customerIds } = filter.text;
    const byNumber = ilike(invoices.number, containing(number));
    const byCustomer = customerIds.length > 0 ? inArray(invoices.customerId, [...customerIds]) : undefined;
    where.push(byCustomer ? (or(byNumber, byCustomer) as SQL) : byNumber);
  }
  if (after) where.push(gt(invoices.id, after));
  return and(...where);
}

/** A page of invoices with their lines, in creation order (ids are UUIDv7), after the cursor id. */
export async function listInvoiceRows(
  tx: Tx,
  keys: TenantKeys,
  filter: InvoiceFilter,
  after: string | null,
  limit: number,
): Promise<Invoice[]> {
  const rows = await tx
    .select()
    .from(invoices)
    .where(listWhere(keys, filter, after))
    .orderBy(asc(invoices.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const lines = await tx
    .select()
    .from(invoiceLines)
    .where(
      and(
        eq(invoiceLines.tenantId, keys.tenantId),
        inArray(
          invoiceLines.invoiceId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(invoiceLines.position));
  return rows.map((r) =>
    toInvoice(
      keys,
      r,
      lines.filter((l) => l.invoiceId === r.id),
    ),
  );
}

/**
 * A page of the same invoices as `listInvoiceRows`, summaries only: no lines, and of the party
 * data only the buyer's name (as issued; null for a draft). One envelope per invoice instead of
 * every party field and line description, for lists that show a row per invoice.
 */
export async function listInvoiceSummaryRows(
  tx: Tx,
  keys: TenantKeys,
  filter: InvoiceFilter,
  after: string | null,
  limit: number,
): Promise<InvoiceSummary[]> {
  const rows = await tx
    .select({
      id: invoices.id,
      kind: invoices.kind,
      status: invoices.status,
      customerId: invoices.customerId,
      number: invoices.number,
      issueDate: invoices.issueDate,
      dueDate: invoices.dueDate,
      currency: invoices.currency,
      taxExclusiveMinor: invoices.taxExclusiveMinor,
      taxMinor: invoices.taxMinor,
      taxInclusiveMinor: invoices.taxInclusiveMinor,
      payableMinor: invoices.payableMinor,
      paidMinor: invoices.paidMinor,
      buyerNameEnc: invoices.buyerNameEnc,
      creditedInvoiceId: invoices.creditedInvoiceId,
      issuedAt: invoices.issuedAt,
      sentAt: invoices.sentAt,
      version: invoices.version,
      createdAt: invoices.createdAt,
      updatedAt: invoices.updatedAt,
    })
    .from(invoices)
    .where(listWhere(keys, filter, after))
    .orderBy(asc(invoices.id))
    .limit(limit);
  return rows.map(({ buyerNameEnc, taxExclusiveMinor, taxMinor, taxInclusiveMinor, payableMinor, ...r }) => ({
    ...r,
    kind: r.kind as InvoiceKind,
    status: r.status as InvoiceStatus,
    buyerName: openFields(keys, 'invoices', r.id, BUYER_NAME, { buyer_name_enc: buyerNameEnc }).buyerName,
    totals: {
      taxExclusive: taxExclusiveMinor,
      tax: taxMinor,
      taxInclusive: taxInclusiveMinor,
      payable: payableMinor,
    },
  }));
}
