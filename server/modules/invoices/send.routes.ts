/** Sending an issued invoice (issue 5 point 7): mailed by Kluis, or marked sent when it left another way. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { IdParams, InvoiceOut, presentInvoice } from './invoices.schemas.ts';
import { markInvoiceSent, sendInvoice } from './send.service.ts';

/** Registers POST /api/v1/invoices/{id}/send and /mark-sent. */
export function sendRoutes(app: App, services: Services): void {
  // 202: the invoice is marked sent and its mail durably queued; the mail job delivers it.
  app.post(
    '/api/v1/invoices/:id/send',
    { schema: { params: IdParams, response: { 202: InvoiceOut } } },
    async (request, reply) =>
      reply.status(202).send(presentInvoice(await sendInvoice(ctxOf(request, services), request.params.id))),
  );

  app.post(
    '/api/v1/invoices/:id/mark-sent',
    { schema: { params: IdParams, response: { 200: InvoiceOut } } },
    async (request) => presentInvoice(await markInvoiceSent(ctxOf(request, services), request.params.id)),
  );
}
