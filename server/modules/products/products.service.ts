/**
 * The product catalogue: create, read, list, change and archive. A product's price and VAT are
 * checked by the same domain rules as an invoice line (decimal with at most 4 decimals, a known VAT
 * category with a rate that fits it and today's Dutch rate table), so copying a product into a line
 * never produces a line the invoice would refuse. Each change is one transaction with its audit event.
 */
import { parseDecimal, UNIT_PRICE_MAX_DECIMALS } from '../../../domain/decimal.ts';
import { AppError, type FieldIssue, invalidInput, notFound } from '../../../domain/errors.ts';
import { checkVatConsistency } from '../../../domain/vat.ts';
import { parseVatRate } from '../../../domain/vat-rates.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { AuditAction } from '../../audit/catalogue.ts';
import type { Ctx } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { dutchDate } from '../invoices/index.ts';
import {
  archiveProductRow,
  findProduct,
  insertProduct,
  listProductRows,
  type Product,
  type ProductFilter,
  type ProductValues,
  updateProductRow,
} from './products.repo.ts';

export type { Product } from './products.repo.ts';

/** What a client sends to create a product. */
export interface ProductInput {
  name: string;
  description?: string | null;
  /** UN/ECE Recommendation 20 unit code: C62 (piece, the default), HUR (hour), DAY, KGM … */
  unit?: string;
  unitPrice: string;
  vatCategory: string;
  vatRate: string;
}

/** The VAT issues of one line, as the invoice rules judge it on `date`, under the line's own paths. */
function vatIssues(values: { vatCategory: string; vatRate: string }, date: string): FieldIssue[] {
  // Only the per-line rules apply to a product; the rules that need parties or the whole invoice
  // (buyer VAT number, exemption text, delivery country) are checked when an invoice is issued.
  const all = checkVatConsistency({
    issueDate: date,
    seller: { country: 'NL' },
    buyer: { country: 'NL' },
    lines: [values],
  });
  return all
    .filter((i) => i.path.startsWith('lines.0.'))
    .map((i) => ({ ...i, path: i.path.slice('lines.0.'.length) }));
}

function validate(input: ProductInput, today: string): ProductValues {
  const issues: FieldIssue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });
  const name = input.name?.trim() ?? '';
  if (!name) add('name', 'required', 'A product has a name');
  if (name.length > 200) add('name', 'too_long', 'At most 200 characters');
  const description = input.description?.trim() || null;
  if (description && description.length > 2000) add('description', 'too_long', 'At most 2000 characters');
  const unit = input.unit?.trim().toUpperCase() || 'C62';
  if (!/^[A-Z0-9]{1,3}$/.test(unit)) add('unit', 'unit_format', 'A UN/ECE unit code like HUR');
  const price = parseDecimal(input.unitPrice, UNIT_PRICE_MAX_DECIMALS);
  if (!price.ok) {
    add('unitPrice', price.code, `A decimal with at most ${UNIT_PRICE_MAX_DECIMALS} decimals, like 12.50`);
  } else if (price.value.units < 0n) {
    add('unitPrice', 'amount_negative', 'Must not be negative');
  }
  issues.push(...vatIssues(input, today));
  if (issues.length > 0) throw invalidInput(issues);
  const rate = parseVatRate(input.vatRate);
  return {
    name,
    description,
    unit,
    unitPrice: input.unitPrice,
    vatCategory: input.vatCategory,
    vatRate: rate.ok ? rate.value : input.vatRate,
  };
}

async function inProductTx<T>(
  ctx: Ctx,
  fn: (
    tx: Tx,
    at: Date,
    record: (action: AuditAction, id: string, data?: Record<string, string>) => Promise<void>,
  ) => Promise<T>,
): Promise<T> {
  const { db, keyring, clock } = ctx.services;
  const at = clock.now();
  return inTenant(db, ctx.tenantId, async (tx) => {
    const record = async (action: AuditAction, id: string, data?: Record<string, string>) => {
      const keys = await keyring.forTenant(tx, ctx.tenantId);
      await appendAudit(tx, keys, {
        action,
        actor: ctx.actor,
        target: { type: 'product', id },
        requestId: ctx.requestId,
        ip: ctx.ip,
        ...(data ? { data } : {}),
        at,
      });
    };
    return fn(tx, at, record);
  });
}

async function mustFind(tx: Tx, tenantId: string, id: string, lock = false): Promise<Product> {
  const product = isUuid(id) ? await findProduct(tx, tenantId, id, { lock }) : undefined;
  if (!product) throw notFound('product');
  return product;
}

/** Adds a product to the catalogue and records `product.created`. */
export async function createProduct(ctx: Ctx, input: ProductInput): Promise<Product> {
  requirePermission(ctx, 'products:write');
  const values = validate(input, dutchDate(ctx.services.clock.now()));
  return inProductTx(ctx, async (tx, at, record) => {
    const id = newId(at);
    await insertProduct(tx, ctx.tenantId, id, values, at);
    await record('product.created', id);
    return mustFind(tx, ctx.tenantId, id);
  });
}

/** Returns one product, archived or not; another business's id answers exactly like a missing one. */
export async function getProduct(ctx: Ctx, id: string): Promise<Product> {
  requirePermission(ctx, 'products:read');
  return inProductTx(ctx, (tx) => mustFind(tx, ctx.tenantId, id));
}

/**
 * Changes a product: the patch is merged into the stored values and validated whole. With
 * `expectedVersion`, a concurrent change answers 409 `product_changed` instead of being overwritten;
 * an archived product is refused with 409 `product_archived`.
 */
export async function updateProduct(
  ctx: Ctx,
  id: string,
  patch: Partial<ProductInput>,
  expectedVersion?: number,
): Promise<Product> {
  requirePermission(ctx, 'products:write');
  const today = dutchDate(ctx.services.clock.now());
  return inProductTx(ctx, async (tx, at, record) => {
    const current = await mustFind(tx, ctx.tenantId, id, true);
    if (current.archivedAt) {
      throw new AppError('conflict', 'product_archived', 'An archived product cannot change');
    }
    const changed = () =>
      new AppError('conflict', 'product_changed', 'The product was changed by someone else; reload it');
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw changed();
    const values = validate({ ...current, ...patch }, today);
    if (!(await updateProductRow(tx, ctx.tenantId, id, current.version, values, at))) throw changed();
    await record('product.updated', id, { fields: Object.keys(patch).sort().join(',') });
    return mustFind(tx, ctx.tenantId, id);
  });
}

/**
 * Archives a product and records `product.deleted`. Invoices and quotes copied its values into their
 * lines, so nothing that used it changes; archiving twice is a no-op.
 */
export async function archiveProduct(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx, 'products:write');
  await inProductTx(ctx, async (tx, at, record) => {
    const current = await mustFind(tx, ctx.tenantId, id, true);
    if (current.archivedAt) return;
    await archiveProductRow(tx, ctx.tenantId, id, at);
    await record('product.deleted', id);
  });
}

/** A page of the catalogue in creation order, filtered by text; `nextCursor` is null on the last page. */
export async function listProducts(
  ctx: Ctx,
  query: ProductFilter & { cursor?: string | null; limit?: number },
): Promise<{ items: Product[]; nextCursor: string | null }> {
  requirePermission(ctx, 'products:read');
  const { cursor, limit: wanted, ...filter } = query;
  if (cursor && !isUuid(cursor)) {
    throw invalidInput([{ path: 'cursor', code: 'cursor_invalid', message: 'Not a cursor' }]);
  }
  const limit = Math.min(Math.max(wanted ?? 50, 1), 200);
  const text = filter.text?.trim();
  return inProductTx(ctx, async (tx) => {
    const rows = await listProductRows(
      tx,
      ctx.tenantId,
      { ...filter, ...(text ? { text } : {}) },
      cursor || null,
      limit + 1,
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? last.id : null };
  });
}
