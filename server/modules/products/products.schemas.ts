/**
 * The products API's schemas. Prices and rates are decimal strings; the response schema is the
 * allow-list of what leaves the server (STYLE rule 2): a product always goes through `presentProduct`.
 */
import { Type } from 'typebox';
import type { Product } from './products.repo.ts';

const strict = { additionalProperties: false };
const Dec = Type.String({ maxLength: 40 });
const VatCategory = Type.Union(['S', 'Z', 'E', 'AE', 'K', 'G', 'O'].map((c) => Type.Literal(c)));
const Nullable = Type.Union([Type.String(), Type.Null()]);

const fields = {
  description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  unit: Type.Optional(Type.String({ maxLength: 3 })),
};

/** POST /api/v1/products. */
export const CreateProductBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    ...fields,
    unitPrice: Dec,
    vatCategory: VatCategory,
    vatRate: Dec,
  },
  strict,
);

/** PATCH /api/v1/products/{id}: any field; `version` guards against overwriting a concurrent change. */
export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...fields,
    unitPrice: Type.Optional(Dec),
    vatCategory: Type.Optional(VatCategory),
    vatRate: Type.Optional(Dec),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);

/** A product as the API returns it. */
export const ProductOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable,
  unit: Type.String(),
  unitPrice: Type.String(),
  vatCategory: Type.String(),
  vatRate: Type.String(),
  archived: Type.Boolean(),
  archivedAt: Nullable,
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** GET /api/v1/products: a page of the active catalogue (or of the archived products), filtered by text. */
export const ListProductsQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    archived: Type.Optional(Type.Boolean()),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  strict,
);

export const ProductPage = Type.Object({
  items: Type.Array(ProductOut),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** The API shape of a product. */
export function presentProduct(p: Product) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    unit: p.unit,
    unitPrice: p.unitPrice,
    vatCategory: p.vatCategory,
    vatRate: p.vatRate,
    archived: p.archivedAt !== null,
    archivedAt: p.archivedAt?.toISOString() ?? null,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
