/**
 * The product catalogue of a business. A product is the business's own goods or services, not a
 * person's data, so its text is stored plainly and searchable (ADR 0021). Invoices and quotes copy
 * a product's values into their lines and never point back, so changing or archiving a product
 * leaves every document that used it exactly as it was.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at } from '../../db/platform.tables.ts';

export const products = pgTable(
  'products',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    unit: text('unit').notNull(),
    // The decimal string as validated (up to 4 decimals), never a float.
    unitPrice: text('unit_price').notNull(),
    vatCategory: text('vat_category').notNull(),
    vatRate: text('vat_rate').notNull(),
    archivedAt: at('archived_at'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('products_name_idx').on(t.tenantId, t.name),
    check('products_vat_category', sql`${t.vatCategory} IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O')`),
  ],
);
