/**
 * SQL for the product catalogue. Every function takes the tenant and filters on tenant_id on top of
 * row-level security. Product text is not personal data (ADR 0021), so it is stored and searched plainly.
 */
import { and, asc, eq, gt, ilike, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { products } from './products.tables.ts';

/** The editable fields of a product, validated and normalised. */
export interface ProductValues {
  name: string;
  description: string | null;
  unit: string;
  unitPrice: string;
  vatCategory: string;
  vatRate: string;
}

/** A product as use cases return it. */
export interface Product extends ProductValues {
  id: string;
  archivedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Which products a list shows: the active ones by default. */
export interface ProductFilter {
  /** Matches name or description, case-insensitively, anywhere in the text. */
  text?: string;
  archived?: boolean;
}

type Row = typeof products.$inferSelect;

function toProduct(row: Row): Product {
  const { tenantId: _tenantId, ...product } = row;
  return product;
}

/** Inserts a product. */
export async function insertProduct(
  tx: Tx,
  tenantId: string,
  id: string,
  values: ProductValues,
  at: Date,
): Promise<void> {
  await tx.insert(products).values({ ...values, tenantId, id, createdAt: at, updatedAt: at });
}

/** Finds a product of this tenant by id; `lock` holds its row until the transaction ends. */
export async function findProduct(
  tx: Tx,
  tenantId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Product | undefined> {
  const query = tx
    .select()
    .from(products)
    .where(and(eq(products.tenantId, tenantId), eq(products.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ? toProduct(row) : undefined;
}

/** Replaces a product's fields if `version` still matches; false when someone else changed it first. */
export async function updateProductRow(
  tx: Tx,
  tenantId: string,
  id: string,
  version: number,
  values: ProductValues,
  at: Date,
): Promise<boolean> {
  const updated = await tx
    .update(products)
    .set({ ...values, version: sql`${products.version} + 1`, updatedAt: at })
    .where(and(eq(products.tenantId, tenantId), eq(products.id, id), eq(products.version, version)))
    .returning({ id: products.id });
  return updated.length === 1;
}

/** Archives a product: it leaves the catalogue's default list but stays readable. */
export async function archiveProductRow(tx: Tx, tenantId: string, id: string, at: Date): Promise<void> {
  await tx
    .update(products)
    .set({ archivedAt: at, version: sql`${products.version} + 1`, updatedAt: at })
    .where(and(eq(products.tenantId, tenantId), eq(products.id, id)));
}

// LIKE treats % and _ as wildcards; a search for "50%" means the characters themselves.
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A page of products in creation order (ids are UUIDv7), after the cursor id. */
export async function listProductRows(
  tx: Tx,
  tenantId: string,
  filter: ProductFilter,
  after: string | null,
  limit: number,
): Promise<Product[]> {
  const where: SQL[] = [eq(products.tenantId, tenantId)];
  where.push(filter.archived ? isNotNull(products.archivedAt) : isNull(products.archivedAt));
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    where.push(or(ilike(products.name, pattern), ilike(products.description, pattern)) as SQL);
  }
  if (after) where.push(gt(products.id, after));
  const rows = await tx
    .select()
    .from(products)
    .where(and(...where))
    .orderBy(asc(products.id))
    .limit(limit);
  return rows.map(toProduct);
}
