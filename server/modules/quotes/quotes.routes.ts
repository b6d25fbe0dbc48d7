/** The quotes API (Invoicing core point 12): thin routes, one use case each. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { acceptQuote, declineQuote, sendQuote } from './lifecycle.service.ts';
import {
  AcceptedOut,
  CreateQuoteBody,
  IdParams,
  ListQuotesQuery,
  presentQuote,
  QuoteOut,
  QuotePage,
  UpdateQuoteBody,
} from './quotes.schemas.ts';
import { createQuote, deleteQuote, getQuote, listQuotes, updateQuote } from './quotes.service.ts';

/** Registers /api/v1/quotes. */
export function quotesRoutes(app: App, services: Services): void {
  app.post(
    '/api/v1/quotes',
    { schema: { body: CreateQuoteBody, response: { 201: QuoteOut } } },
    async (request, reply) => {
      const quote = await createQuote(ctxOf(request, services), request.body);
      return reply.status(201).send(presentQuote(quote));
    },
  );

  app.get(
    '/api/v1/quotes',
    { schema: { querystring: ListQuotesQuery, response: { 200: QuotePage } } },
    async (request) => {
      const page = await listQuotes(ctxOf(request, services), request.query);
      return { items: page.items.map(presentQuote), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/quotes/:id',
    { schema: { params: IdParams, response: { 200: QuoteOut } } },
    async (request) => presentQuote(await getQuote(ctxOf(request, services), request.params.id)),
  );

  app.patch(
    '/api/v1/quotes/:id',
    { schema: { params: IdParams, body: UpdateQuoteBody, response: { 200: QuoteOut } } },
    async (request) => {
      const { version, ...patch } = request.body;
      return presentQuote(await updateQuote(ctxOf(request, services), request.params.id, patch, version));
    },
  );

  app.delete('/api/v1/quotes/:id', { schema: { params: IdParams } }, async (request, reply) => {
    await deleteQuote(ctxOf(request, services), request.params.id);
    return reply.status(204).send();
  });

  app.post(
    '/api/v1/quotes/:id/send',
    { schema: { params: IdParams, response: { 200: QuoteOut } } },
    async (request) => presentQuote(await sendQuote(ctxOf(request, services), request.params.id)),
  );

  app.post(
    '/api/v1/quotes/:id/accept',
    { schema: { params: IdParams, response: { 200: AcceptedOut } } },
    async (request) => {
      const { quote, invoiceId } = await acceptQuote(ctxOf(request, services), request.params.id);
      return { quote: presentQuote(quote), invoiceId };
    },
  );

  app.post(
    '/api/v1/quotes/:id/decline',
    { schema: { params: IdParams, response: { 200: QuoteOut } } },
    async (request) => presentQuote(await declineQuote(ctxOf(request, services), request.params.id)),
  );
}
