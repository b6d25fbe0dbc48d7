/** The products API (Invoicing core point 5): thin routes, one use case each. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import {
  CreateProductBody,
  IdParams,
  ListProductsQuery,
  ProductOut,
  ProductPage,
  presentProduct,
  UpdateProductBody,
} from './products.schemas.ts';
import {
  archiveProduct,
  createProduct,
  getProduct,
  listProducts,
  updateProduct,
} from './products.service.ts';

/** Registers /api/v1/products. */
export function productsRoutes(app: App, services: Services): void {
  app.post(
    '/api/v1/products',
    { schema: { body: CreateProductBody, response: { 201: ProductOut } } },
    async (request, reply) => {
      const product = await createProduct(ctxOf(request, services), request.body);
      return reply.status(201).send(presentProduct(product));
    },
  );

  app.get(
    '/api/v1/products',
    { schema: { querystring: ListProductsQuery, response: { 200: ProductPage } } },
    async (request) => {
      const { q, ...rest } = request.query;
      const page = await listProducts(ctxOf(request, services), { ...rest, ...(q ? { text: q } : {}) });
      return { items: page.items.map(presentProduct), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/products/:id',
    { schema: { params: IdParams, response: { 200: ProductOut } } },
    async (request) => presentProduct(await getProduct(ctxOf(request, services), request.params.id)),
  );

  app.patch(
    '/api/v1/products/:id',
    { schema: { params: IdParams, body: UpdateProductBody, response: { 200: ProductOut } } },
    async (request) => {
      const { version, ...patch } = request.body;
      return presentProduct(await updateProduct(ctxOf(request, services), request.params.id, patch, version));
    },
  );

  // Archives: the product leaves the catalogue; documents that used it copied its values and stay as they are.
  app.delete('/api/v1/products/:id', { schema: { params: IdParams } }, async (request, reply) => {
    await archiveProduct(ctxOf(request, services), request.params.id);
    return reply.status(204).send();
  });
}
