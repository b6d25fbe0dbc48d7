/**
 * The data catalogue entry of the product catalogue: a business's own goods and services, no
 * person's data (ADR 0021), so nothing here is encrypted.
 */
import { notPersonal, type TableCatalogue } from '../../db/catalogue.ts';

const catalogueText = notPersonal("the business's own goods or services, as on its price list");

export const PRODUCTS_CATALOGUE: Record<string, TableCatalogue> = {
  products: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    name: catalogueText,
    description: catalogueText,
    unit: notPersonal('UN/ECE unit code'),
    unit_price: notPersonal('decimal price'),
    vat_category: notPersonal('VAT category code'),
    vat_rate: notPersonal('VAT percentage'),
    archived_at: notPersonal('technical timestamp'),
    version: notPersonal('optimistic-locking counter'),
    created_at: notPersonal('technical timestamp'),
    updated_at: notPersonal('technical timestamp'),
  },
};
