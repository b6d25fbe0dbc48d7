/**
 * POST /api/v1/subject-requests/{id}/rectification (owners and admins): correct or complete the
 * matched customer's personal data on a request. Thin: the rules are in rectification.ts.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { CustomerOut, presentCustomer, UpdateCustomerBody } from '../customers/customers.schemas.ts';
import { rectifyCustomer } from './rectification.ts';

/** Registers the rectification route (called by subjectRequestsRoutes). */
export function rectificationRoutes(app: App, services: Services): void {
  app.post(
    '/api/v1/subject-requests/:id/rectification',
    {
      schema: {
        summary:
          "Rectify or complete a customer's personal data on a request; issued invoices keep the details they were issued with",
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          {
            customerId: Type.String({ maxLength: 64 }),
            kind: Type.Union([Type.Literal('rectification'), Type.Literal('completion')]),
            changes: UpdateCustomerBody,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ customer: CustomerOut, issuedKept: Type.Integer() }),
        },
      },
    },
    async (request) => {
      const { version, ...changes } = request.body.changes;
      const r = await rectifyCustomer(ctxOf(request, services), request.params.id, {
        customerId: request.body.customerId,
        kind: request.body.kind,
        changes,
        ...(version === undefined ? {} : { version }),
      });
      return { customer: presentCustomer(r.customer), issuedKept: r.issuedKept };
    },
  );
}
