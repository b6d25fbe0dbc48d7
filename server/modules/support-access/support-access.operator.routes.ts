/**
 * `/api/operator/v1/support/{tenantId}/…`: the operator's staff read a business's customers and
 * invoices under its owner's grant (ADR 0057). GET only: there is no route that writes, and the
 * `support` actor's policy refuses every write permission besides. Each request first opens the
 * access (grant checked, access recorded on both chains), then runs the business's own use case.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { requireOperator } from '../../http/operator-auth.ts';
import { CustomerOut, CustomerPage, presentCustomer } from '../customers/customers.schemas.ts';
import { getCustomer, listCustomers } from '../customers/customers.service.ts';
import { getInvoice } from '../invoices/index.ts';
import { InvoiceOut, InvoicePage, presentInvoice } from '../invoices/invoices.schemas.ts';
import { listInvoices } from '../invoices/list.service.ts';
import { listMySupportGrants, openSupportAccess, type SupportRead } from './support-session.ts';

const TenantParams = Type.Object(
  { tenantId: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);
const RecordParams = Type.Object(
  { tenantId: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);
const PageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

/** Registers the operator's read-only support routes. */
export function supportOperatorRoutes(app: App, services: Services): void {
  const open = (request: Parameters<typeof requireOperator>[0], tenantId: string, read: SupportRead) =>
    openSupportAccess(
      services,
      tenantId,
      { operatorId: requireOperator(request), requestId: String(request.id), ip: request.ip },
      read,
    );

  app.get(
    '/api/operator/v1/support/grants',
    {
      schema: {
        summary: 'List the support grants that let the signed-in operator in now, across businesses',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                tenantId: Type.String(),
                grantId: Type.String(),
                expiresAt: Type.String(),
                named: Type.Boolean({
                  description: 'The grant names this operator (else: any staff member)',
                }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      items: (await listMySupportGrants(services, requireOperator(request))).map((g) => ({
        ...g,
        expiresAt: g.expiresAt.toISOString(),
      })),
    }),
  );
  app.get(
    '/api/operator/v1/support/:tenantId/customers',
    {
      schema: {
        summary: "Read a page of a business's customers under its support grant",
        params: TenantParams,
        querystring: PageQuery,
        response: { 200: CustomerPage },
      },
    },
    async (request) => {
      const ctx = await open(request, request.params.tenantId, { resource: 'customers' });
      const page = await listCustomers(ctx, {
        cursor: request.query.cursor ?? null,
        limit: request.query.limit ?? 50,
      });
      return { items: page.items.map(presentCustomer), nextCursor: page.nextCursor };
    },
  );
  app.get(
    '/api/operator/v1/support/:tenantId/customers/:id',
    {
      schema: {
        summary: "Read one of a business's customers under its support grant",
        params: RecordParams,
        response: { 200: CustomerOut },
      },
    },
    async (request) => {
      const { tenantId, id } = request.params;
      const ctx = await open(request, tenantId, { resource: 'customer', recordId: id });
      return presentCustomer(await getCustomer(ctx, id));
    },
  );
  app.get(
    '/api/operator/v1/support/:tenantId/invoices',
    {
      schema: {
        summary: "Read a page of a business's invoices under its support grant",
        params: TenantParams,
        querystring: PageQuery,
        response: { 200: InvoicePage },
      },
    },
    async (request) => {
      const ctx = await open(request, request.params.tenantId, { resource: 'invoices' });
      const page = await listInvoices(ctx, {
        cursor: request.query.cursor ?? null,
        limit: request.query.limit ?? 50,
      });
      return {
        items: page.items.map((i) => ({ ...presentInvoice(i), customerName: i.customerName })),
        nextCursor: page.nextCursor,
      };
    },
  );
  app.get(
    '/api/operator/v1/support/:tenantId/invoices/:id',
    {
      schema: {
        summary: "Read one of a business's invoices under its support grant",
        params: RecordParams,
        response: { 200: InvoiceOut },
      },
    },
    async (request) => {
      const { tenantId, id } = request.params;
      const ctx = await open(request, tenantId, { resource: 'invoice', recordId: id });
      return presentInvoice(await getInvoice(ctx, id));
    },
  );
}
