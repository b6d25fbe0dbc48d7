/** The invoices API (issue 5): thin routes, one use case each; amounts leave as decimal strings. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { createCreditNote } from './credit-notes.service.ts';
import { invoiceCii, invoicePdf, invoiceUbl } from './documents.service.ts';
import { createInvoice, deleteInvoice, getInvoice, updateInvoice } from './drafts.service.ts';
import type { InvoiceStatus } from './invoices.model.ts';
import {
  CreateInvoiceBody,
  CreditNoteBody,
  IdParams,
  InvoiceOut,
  InvoicePage,
  InvoiceSummaryPage,
  ListInvoicesQuery,
  presentInvoice,
  presentSummary,
  UblQuery,
  UpdateInvoiceBody,
} from './invoices.schemas.ts';
import { issueInvoice } from './issue.service.ts';
import { listInvoiceSummaries, listInvoices } from './list.service.ts';
import { draftPreviewPdf } from './preview.service.ts';

/** A download name for a document: the invoice number with anything unsafe in a header replaced. */
function attachment(number: string, extension: string): string {
  return `attachment; filename="${number.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}"`;
}

/** Registers /api/v1/invoices. */
export function invoicesRoutes(app: App, services: Services): void {
  app.post(
    '/api/v1/invoices',
    {
      schema: { summary: 'Create a draft invoice', body: CreateInvoiceBody, response: { 201: InvoiceOut } },
      config: { idempotent: true },
    },
    async (request, reply) => {
      const invoice = await createInvoice(ctxOf(request, services), request.body);
      return reply.status(201).send(presentInvoice(invoice));
    },
  );

  app.get(
    '/api/v1/invoices',
    {
      schema: {
        summary: 'List invoices and credit notes, filtered',
        querystring: ListInvoicesQuery,
        response: { 200: InvoicePage },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      const page = await listInvoices(ctxOf(request, services), {
        ...rest,
        ...(status ? { status: status as InvoiceStatus } : {}),
      });
      return {
        items: page.items.map((i) => ({ ...presentInvoice(i), customerName: i.customerName })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/invoices/summaries',
    {
      schema: {
        summary:
          'List invoices and credit notes as summaries (no lines, no party data but the customer name)',
        querystring: ListInvoicesQuery,
        response: { 200: InvoiceSummaryPage },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      const page = await listInvoiceSummaries(ctxOf(request, services), {
        ...rest,
        ...(status ? { status: status as InvoiceStatus } : {}),
      });
      return { items: page.items.map(presentSummary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/invoices/:id',
    { schema: { summary: 'Get an invoice', params: IdParams, response: { 200: InvoiceOut } } },
    async (request) => presentInvoice(await getInvoice(ctxOf(request, services), request.params.id)),
  );

  app.patch(
    '/api/v1/invoices/:id',
    {
      schema: {
        summary: 'Change a draft',
        params: IdParams,
        body: UpdateInvoiceBody,
        response: { 200: InvoiceOut },
      },
    },
    async (request) =>
      presentInvoice(await updateInvoice(ctxOf(request, services), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/invoices/:id',
    { schema: { summary: 'Delete a draft', params: IdParams } },
    async (request, reply) => {
      await deleteInvoice(ctxOf(request, services), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/invoices/:id/issue',
    {
      schema: {
        summary: 'Issue a draft: number it and freeze its content',
        params: IdParams,
        response: { 200: InvoiceOut },
      },
    },
    async (request) => presentInvoice(await issueInvoice(ctxOf(request, services), request.params.id)),
  );

  app.post(
    '/api/v1/invoices/:id/credit-notes',
    {
      schema: {
        summary: 'Create a draft credit note for an issued invoice, in full or in part',
        params: IdParams,
        body: CreditNoteBody,
        response: { 201: InvoiceOut },
      },
      config: { idempotent: true },
    },
    async (request, reply) => {
      const note = await createCreditNote(ctxOf(request, services), request.params.id, request.body ?? {});
      return reply.status(201).send(presentInvoice(note));
    },
  );

  app.get(
    '/api/v1/invoices/:id/pdf',
    { schema: { summary: 'The PDF (Factur-X) of an issued invoice', params: IdParams } },
    async (request, reply) => {
      const { number, pdf } = await invoicePdf(ctxOf(request, services), request.params.id);
      return reply.type('application/pdf').header('content-disposition', attachment(number, 'pdf')).send(pdf);
    },
  );

  app.get(
    '/api/v1/invoices/:id/preview.pdf',
    {
      schema: {
        summary: 'A PDF preview of a draft invoice or credit note, marked CONCEPT/DRAFT, without Factur-X',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const pdf = await draftPreviewPdf(ctxOf(request, services), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'inline; filename="concept.pdf"')
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.get(
    '/api/v1/invoices/:id/ubl',
    {
      schema: {
        summary: 'The UBL of an issued invoice (Peppol BIS 3.0 or NLCIUS)',
        params: IdParams,
        querystring: UblQuery,
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'peppol';
      const { number, xml } = await invoiceUbl(ctxOf(request, services), request.params.id, format);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', attachment(`${number}-${format}`, 'xml'))
        .send(xml);
    },
  );

  app.get(
    '/api/v1/invoices/:id/cii',
    { schema: { summary: 'The CII of an issued invoice', params: IdParams } },
    async (request, reply) => {
      const { number, xml } = await invoiceCii(ctxOf(request, services), request.params.id);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', attachment(`${number}-cii`, 'xml'))
        .send(xml);
    },
  );
}
