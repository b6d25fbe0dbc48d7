/**
 * `/api/v1/breach-notices` (owners and admins): the incidents that concern the caller's business
 * with every update, one notice, and its export in the order of the AP's breach form
 * (`?format=text` for plain text). Thin: the rules are breach-notices.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import {
  type BreachNotice,
  exportBreachNotice,
  getBreachNotice,
  listBreachNotices,
} from './breach-notices.service.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Update = Type.Object({ seq: Type.Integer(), at: Type.String(), text: Type.String() });
const NoticeOut = Type.Object({
  id: Type.String({ description: 'The incident id' }),
  receivedAt: Type.String(),
  contact: Type.String(),
  description: Type.String(),
  nature: Type.String(),
  timeline: Type.Object({
    startedAt: Nullable(Type.String()),
    endedAt: Nullable(Type.String()),
    discoveredAt: Type.String(),
    notifiedAt: Type.String(),
  }),
  people: Type.Integer({ description: 'Approximate number of people (the business’s customers)' }),
  records: Type.Integer({ description: 'Approximate number of records (customers and invoices)' }),
  dataCategories: Type.Array(Type.String()),
  systems: Type.Array(Type.String()),
  consequences: Type.String(),
  measures: Type.String(),
  encryption: Type.String({ description: 'encrypted, partly_encrypted, not_encrypted or unknown' }),
  updates: Type.Array(Update),
});
const ExportOut = Type.Object({
  id: Type.String(),
  form: Type.Array(
    Type.Object({
      section: Type.Integer(),
      field: Type.String(),
      label: Type.String(),
      answer: Type.String(),
    }),
  ),
  text: Type.String(),
});

function present(n: BreachNotice) {
  const c = n.content;
  return {
    id: n.id,
    receivedAt: n.receivedAt.toISOString(),
    contact: c.contact,
    description: c.description,
    nature: c.nature,
    timeline: c.timeline,
    people: c.people,
    records: c.records,
    dataCategories: c.dataCategories,
    systems: c.systems,
    consequences: c.consequences,
    measures: c.measures,
    encryption: c.encryption,
    updates: c.updates,
  };
}

/** Registers the breach-notice inbox. */
export function breachNoticesRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/breach-notices',
    {
      schema: {
        summary: 'The breach notices that concern the business, each with every update',
        response: { 200: Type.Object({ items: Type.Array(NoticeOut) }) },
      },
    },
    async (request) => ({ items: (await listBreachNotices(ctxOf(request, services))).map(present) }),
  );
  app.get(
    '/api/v1/breach-notices/:id',
    {
      schema: {
        summary: 'One breach notice with every update',
        params: IdParams,
        response: { 200: NoticeOut },
      },
    },
    async (request) => present(await getBreachNotice(ctxOf(request, services), request.params.id)),
  );
  app.get(
    '/api/v1/breach-notices/:id/export',
    {
      schema: {
        summary:
          "A breach notice in the order of the Dutch DPA's breach form (JSON, or text with ?format=text)",
        params: IdParams,
        querystring: Type.Object(
          { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('text')])) },
          { additionalProperties: false },
        ),
        response: { 200: ExportOut },
      },
    },
    async (request, reply) => {
      const doc = await exportBreachNotice(ctxOf(request, services), request.params.id);
      if (request.query.format === 'text') {
        // A string is sent as it is; the response schema applies to the JSON form only.
        return reply.type('text/plain; charset=utf-8').send(doc.text as never);
      }
      return doc;
    },
  );
}
