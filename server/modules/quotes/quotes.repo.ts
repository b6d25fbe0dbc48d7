/**
 * SQL for quotes, their lines and their number series. Every function takes the tenant's keys (and
 * so the tenant): notes and line descriptions are encrypted and decrypted here, and every query
 * filters on tenant_id on top of row-level security. Services see plain values only.
 */
import { and, asc, eq, gt, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { openFields, type SealedField, sealFields } from '../../crypto/fields.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { newId } from '../../ids.ts';
import type { DocumentAdjustment, StoredTotals } from '../invoices/index.ts';
import type { Quote, QuoteContent, QuoteLineWrite, QuoteStatus, StoredStatus } from './quotes.model.ts';
import { statusOn } from './quotes.policy.ts';
import { quoteLines, quoteNumberSeries, quotes } from './quotes.tables.ts';

const NOTES: readonly SealedField<'notes'>[] = [{ prop: 'notes', column: 'notes_enc' }];
const DESCRIPTION: readonly SealedField<'description'>[] = [
  { prop: 'description', column: 'description_enc' },
];

/** A validated draft as the repository stores it. */
export interface QuoteWrite {
  content: QuoteContent;
  lines: QuoteLineWrite[];
  totals: StoredTotals;
}

type Row = typeof quotes.$inferSelect;
type LineRow = typeof quoteLines.$inferSelect;

function columns(keys: TenantKeys, id: string, w: QuoteWrite) {
  const { notes, ...plain } = w.content;
  const t = w.totals;
  return {
    ...plain,
    notesEnc: sealFields(keys, 'quotes', id, NOTES, { notes }).notes_enc ?? null,
    lineExtensionMinor: t.lineExtension,
    allowanceTotalMinor: t.allowanceTotal,
    chargeTotalMinor: t.chargeTotal,
    taxExclusiveMinor: t.taxExclusive,
    taxMinor: t.tax,
    taxInclusiveMinor: t.taxInclusive,
    // bigint is not JSON: the breakdown keeps its amounts as decimal strings of minor units.
    vatBreakdown: t.vatBreakdown.map((g) => ({
      ...g,
      taxableMinor: String(g.taxableMinor),
      taxMinor: String(g.taxMinor),
    })),
  };
}

function toQuote(keys: TenantKeys, row: Row, lines: LineRow[], today: string): Quote {
  const stored = row.status as StoredStatus;
  const { notes } = openFields(keys, 'quotes', row.id, NOTES, { notes_enc: row.notesEnc });
  const breakdown = row.vatBreakdown as {
    vatCategory: string;
    vatRate: string;
    taxableMinor: string;
    taxMinor: string;
  }[];
  return {
    id: row.id,
    status: statusOn(stored, row.validUntil, today),
    storedStatus: stored,
    number: row.number,
    customerId: row.customerId,
    quoteDate: row.quoteDate,
    validUntil: row.validUntil,
    currency: row.currency,
    notes,
    allowances: row.allowances as DocumentAdjustment[],
    charges: row.charges as DocumentAdjustment[],
    totals: {
      lineExtension: row.lineExtensionMinor,
      allowanceTotal: row.allowanceTotalMinor,
      chargeTotal: row.chargeTotalMinor,
      taxExclusive: row.taxExclusiveMinor,
      tax: row.taxMinor,
      taxInclusive: row.taxInclusiveMinor,
      vatBreakdown: breakdown.map((g) => ({
        ...g,
        taxableMinor: BigInt(g.taxableMinor),
        taxMinor: BigInt(g.taxMinor),
      })),
    },
    invoiceId: row.invoiceId,
    sentAt: row.sentAt,
    acceptedAt: row.acceptedAt,
    declinedAt: row.declinedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      description:
        openFields(keys, 'quote_lines', l.id, DESCRIPTION, { description_enc: l.descriptionEnc })
          .description ?? '',
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      priceBaseQuantity: l.priceBaseQuantity,
      discount:
        l.discountPercent !== null
          ? { percent: l.discountPercent }
          : l.discountAmount !== null
            ? { amount: l.discountAmount }
            : null,
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
      netMinor: l.netMinor,
    })),
  };
}

async function insertLines(tx: Tx, keys: TenantKeys, quoteId: string, lines: QuoteLineWrite[]) {
  if (lines.length === 0) return;
  await tx.insert(quoteLines).values(
    lines.map((l, position) => {
      const id = newId();
      const sealed = sealFields(keys, 'quote_lines', id, DESCRIPTION, { description: l.description });
      return {
        tenantId: keys.tenantId,
        quoteId,
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
      };
    }),
  );
}

/** Inserts a draft quote with its lines. */
export async function insertQuote(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  w: QuoteWrite,
  at: Date,
): Promise<void> {
  await tx
    .insert(quotes)
    .values({ ...columns(keys, id, w), tenantId: keys.tenantId, id, createdAt: at, updatedAt: at });
  await insertLines(tx, keys, id, w.lines);
}

/** Replaces the content, lines and totals of a draft if `version` still matches; false otherwise. */
export async function updateQuoteDraft(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  w: QuoteWrite,
  version: number,
  at: Date,
): Promise<boolean> {
  const updated = await tx
    .update(quotes)
    .set({ ...columns(keys, id, w), version: version + 1, updatedAt: at })
    .where(
      and(
        eq(quotes.tenantId, keys.tenantId),
        eq(quotes.id, id),
        eq(quotes.status, 'draft'),
        eq(quotes.version, version),
      ),
    )
    .returning({ id: quotes.id });
  if (updated.length !== 1) return false;
  await tx.delete(quoteLines).where(and(eq(quoteLines.tenantId, keys.tenantId), eq(quoteLines.quoteId, id)));
  await insertLines(tx, keys, id, w.lines);
  return true;
}

/** Deletes a draft and (by cascade) its lines. */
export async function deleteQuoteDraft(tx: Tx, keys: TenantKeys, id: string): Promise<void> {
  await tx
    .delete(quotes)
    .where(and(eq(quotes.tenantId, keys.tenantId), eq(quotes.id, id), eq(quotes.status, 'draft')));
}

/**
 * The next number of the business's quote series for `year`, allocated in the caller's (sending)
 * transaction: the upsert locks the series row, so concurrent senders queue and a rollback returns it.
 */
export async function allocateQuoteSeq(tx: Tx, keys: TenantKeys, year: number): Promise<number> {
  const [row] = await tx
    .insert(quoteNumberSeries)
    .values({ tenantId: keys.tenantId, year, nextValue: 2 })
    .onConflictDoUpdate({
      target: [quoteNumberSeries.tenantId, quoteNumberSeries.year],
      set: { nextValue: sql`${quoteNumberSeries.nextValue} + 1` },
    })
    .returning({ next: quoteNumberSeries.nextValue });
  if (!row) throw new Error('the quote number series returned no row');
  return row.next - 1;
}

/** Moves a quote to a new stored status with the columns that move with it. */
export async function setQuoteStatus(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  from: StoredStatus,
  change:
    | { status: 'sent'; number: string; quoteDate: string; validUntil: string }
    | { status: 'accepted'; invoiceId: string }
    | { status: 'declined' },
  at: Date,
): Promise<void> {
  const stamp =
    change.status === 'sent'
      ? { sentAt: at }
      : change.status === 'accepted'
        ? { acceptedAt: at }
        : { declinedAt: at };
  await tx
    .update(quotes)
    .set({ ...change, ...stamp, version: sql`${quotes.version} + 1`, updatedAt: at })
    .where(and(eq(quotes.tenantId, keys.tenantId), eq(quotes.id, id), eq(quotes.status, from)));
}

async function linesOf(tx: Tx, keys: TenantKeys, ids: string[]): Promise<LineRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(quoteLines)
    .where(and(eq(quoteLines.tenantId, keys.tenantId), inArray(quoteLines.quoteId, ids)))
    .orderBy(asc(quoteLines.position));
}

/** Finds a quote of this tenant with its lines; `lock` holds its row until the transaction ends. */
export async function findQuote(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  today: string,
  options: { lock?: boolean } = {},
): Promise<Quote | undefined> {
  const query = tx
    .select()
    .from(quotes)
    .where(and(eq(quotes.tenantId, keys.tenantId), eq(quotes.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) return undefined;
  return toQuote(keys, row, await linesOf(tx, keys, [id]), today);
}

/** Which quotes a list shows: all of the tenant's, narrowed by any of these. */
export interface QuoteFilter {
  status?: QuoteStatus;
  customerId?: string;
}

/** A page of quotes with their lines, in creation order (ids are UUIDv7), after the cursor id. */
export async function listQuoteRows(
  tx: Tx,
  keys: TenantKeys,
  filter: QuoteFilter,
  today: string,
  after: string | null,
  limit: number,
): Promise<Quote[]> {
  const where: SQL[] = [eq(quotes.tenantId, keys.tenantId)];
  if (filter.status === 'expired') {
    where.push(eq(quotes.status, 'sent'), lt(quotes.validUntil, today));
  } else if (filter.status === 'sent') {
    where.push(eq(quotes.status, 'sent'), gte(quotes.validUntil, today));
  } else if (filter.status) {
    where.push(eq(quotes.status, filter.status));
  }
  if (filter.customerId) where.push(eq(quotes.customerId, filter.customerId));
  if (after) where.push(gt(quotes.id, after));
  const rows = await tx
    .select()
    .from(quotes)
    .where(and(...where))
    .orderBy(asc(quotes.id))
    .limit(limit);
  const lines = await linesOf(
    tx,
    keys,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    toQuote(
      keys,
      r,
      lines.filter((l) => l.quoteId === r.id),
      today,
    ),
  );
}
