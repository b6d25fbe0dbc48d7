/** The customers API (Invoicing core points 1–3): thin routes, one use case each. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { customersCsvRoutes } from './customers.csv.routes.ts';
import {
  CreateCustomerBody,
  CustomerOut,
  CustomerPage,
  IdParams,
  ListCustomersQuery,
  patchOf,
  presentCustomer,
  UpdateCustomerBody,
} from './customers.schemas.ts';
import {
  createCustomer,
  getCustomer,
  listCustomers,
  searchCustomers,
  searchCustomersByAny,
  updateCustomer,
} from './customers.service.ts';

const SEARCHABLE = ['name', 'email', 'iban', 'vatNumber', 'kvkNumber'] as const;

/** Registers /api/v1/customers, with CSV import and export. */
export function customersRoutes(app: App, services: Services): void {
  customersCsvRoutes(app, services);
  app.post(
    '/api/v1/customers',
    {
      schema: { summary: 'Create a customer', body: CreateCustomerBody, response: { 201: CustomerOut } },
      config: { idempotent: true },
    },
    async (request, reply) => {
      const customer = await createCustomer(ctxOf(request, services), request.body);
      return reply.status(201).send(presentCustomer(customer));
    },
  );

  app.get(
    '/api/v1/customers',
    {
      schema: {
        summary: 'List customers, or find them by name, e-mail, IBAN, VAT or KvK number',
        querystring: ListCustomersQuery,
        response: { 200: CustomerPage },
      },
    },
    async (request) => {
      const ctx = ctxOf(request, services);
      const q = request.query;
      if (q.q !== undefined) {
        const found = await searchCustomersByAny(ctx, q.q);
        return { items: found.map(presentCustomer), nextCursor: null };
      }
      const field = SEARCHABLE.find((f) => q[f] !== undefined);
      if (field) {
        const found = await searchCustomers(ctx, field, q[field] as string);
        return { items: found.map(presentCustomer), nextCursor: null };
      }
      const page = await listCustomers(ctx, { cursor: q.cursor ?? null, limit: q.limit ?? 50 });
      return { items: page.items.map(presentCustomer), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/customers/:id',
    { schema: { summary: 'Get a customer', params: IdParams, response: { 200: CustomerOut } } },
    async (request) => presentCustomer(await getCustomer(ctxOf(request, services), request.params.id)),
  );

  app.patch(
    '/api/v1/customers/:id',
    {
      schema: {
        summary: 'Change a customer',
        params: IdParams,
        body: UpdateCustomerBody,
        response: { 200: CustomerOut },
      },
    },
    async (request) => {
      const ctx = ctxOf(request, services);
      const updated = await updateCustomer(
        ctx,
        request.params.id,
        patchOf(request.body),
        request.body.version,
      );
      return presentCustomer(updated);
    },
  );
}
