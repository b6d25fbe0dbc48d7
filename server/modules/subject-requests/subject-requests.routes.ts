/**
 * Data-subject requests. Public (no token, rate limited): GET/POST /privacyverzoek/{businessId},
 * the form. API: GET /api/v1/subject-requests/form (any member: the form's URL); owners and
 * admins: GET /api/v1/subject-requests, GET
 * /api/v1/subject-requests/{id}, POST /api/v1/subject-requests/{id}/outcome, GET
 * /api/v1/subject-requests/{id}/matches, GET /api/v1/subject-requests/{id}/export.zip, POST
 * /api/v1/subject-requests/{id}/restrictions, POST /api/v1/subject-requests/{id}/erasure. Thin: the
 * rules live in the services.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isAppError } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { pickLang } from '../identity/pages.ts';
import { DEFAULT_LEGAL_SETTINGS } from '../legal/legal.settings.ts';
import { requireMember } from '../legal/legal.tx.ts';
import { eraseCustomer } from './erasure.ts';
import { rectificationRoutes } from './rectification.routes.ts';
import { setCustomerRestriction } from './restrictions.ts';
import { subjectRequestPage, subjectRequestSentPage } from './subject-requests.pages.ts';
import { exportSubjectData, matchSubjectRequest } from './subject-requests.person.ts';
import type { OutcomeRecord } from './subject-requests.repo.ts';
import {
  getSubjectRequest,
  listSubjectRequests,
  receiveSubjectRequest,
  recordSubjectRequestOutcome,
  type SubjectRequestView,
  subjectRequestFormUrl,
} from './subject-requests.service.ts';

type Form = Record<string, string>;
/** Per client address: a person sends one request, not dozens. */
const FORM_LIMIT = { max: 10, timeWindow: 60_000 };

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
const langOf = (request: FastifyRequest) =>
  pickLang(
    ((request.body ?? {}) as Form).lang ?? (request.query as Form).lang,
    request.headers['accept-language'],
  );

const businessIdOf = (request: FastifyRequest) => (request.params as { businessId: string }).businessId;
const Params = Type.Object({ businessId: Type.String({ maxLength: 64 }) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const date = Type.String({ format: 'date-time' });
const RequestOut = Type.Object({
  id: Type.String(),
  kind: Type.Union([
    Type.Literal('access'),
    Type.Literal('rectification'),
    Type.Literal('completion'),
    Type.Literal('erasure'),
    Type.Literal('restriction'),
    Type.Literal('objection'),
  ]),
  name: Type.String(),
  email: Type.String(),
  description: Type.String(),
  lang: Type.String(),
  status: Type.Union([
    Type.Literal('open'),
    Type.Literal('extended'),
    Type.Literal('completed'),
    Type.Literal('refused'),
  ]),
  receivedAt: date,
  deadlineAt: date,
  overdue: Type.Boolean(),
  reminderDue: Type.Boolean(),
});
const OutcomeOut = Type.Object({
  id: Type.String(),
  outcome: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  deadlineAt: Type.Union([date, Type.Null()]),
  decidedAt: date,
  actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
});
const RequestDetailOut = Type.Intersect([RequestOut, Type.Object({ outcomes: Type.Array(OutcomeOut) })]);

function present(v: SubjectRequestView) {
  return {
    id: v.id,
    kind: v.kind,
    name: v.name,
    email: v.email,
    description: v.description,
    lang: v.lang,
    status: v.status,
    receivedAt: v.receivedAt.toISOString(),
    deadlineAt: v.deadlineAt.toISOString(),
    overdue: v.overdue,
    reminderDue: v.reminderDue,
  };
}
function presentDetail(v: SubjectRequestView & { outcomes: OutcomeRecord[] }) {
  return {
    ...present(v),
    outcomes: v.outcomes.map((o) => ({
      ...o,
      deadlineAt: o.deadlineAt?.toISOString() ?? null,
      decidedAt: o.decidedAt.toISOString(),
    })),
  };
}

/** Registers the public form and the inbox API; `publicUrl` is where the form is reached from outside. */
export async function subjectRequestsRoutes(
  app: App,
  services: Services,
  publicUrl: string = DEFAULT_LEGAL_SETTINGS.publicUrl,
): Promise<void> {
  app.get(
    '/api/v1/subject-requests/form',
    {
      schema: {
        summary: "The public URL of the business's form for data-subject requests, to link from invoices",
        response: { 200: Type.Object({ url: Type.String() }) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request, services);
      requireMember(ctx);
      return { url: subjectRequestFormUrl(publicUrl, ctx.tenantId) };
    },
  );
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 32 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scope.get(
      '/privacyverzoek/:businessId',
      { schema: { summary: 'The public form for data-subject requests', hide: true, params: Params } },
      async (request, reply) => html(reply, 200, subjectRequestPage(langOf(request), businessIdOf(request))),
    );
    scope.post(
      '/privacyverzoek/:businessId',
      {
        schema: { summary: 'Send a data-subject request', hide: true, params: Params },
        config: { rateLimit: FORM_LIMIT },
      },
      async (request, reply) => {
        const lang = langOf(request);
        const form = (request.body ?? {}) as Form;
        const values = {
          kind: String(form.kind ?? ''),
          name: String(form.name ?? ''),
          email: String(form.email ?? ''),
          description: String(form.description ?? ''),
        };
        try {
          await receiveSubjectRequest(
            services,
            businessIdOf(request),
            { ...values, lang },
            { ip: request.ip, requestId: String(request.id) },
          );
        } catch (e) {
          if (!isAppError(e) || e.kind !== 'invalid') throw e;
          const details = e.issues.map((i) => i.message);
          return html(reply, 400, subjectRequestPage(lang, businessIdOf(request), values, details));
        }
        // Known or unknown business: the same answer.
        return html(reply, 200, subjectRequestSentPage(lang));
      },
    );
  });

  app.get(
    '/api/v1/subject-requests',
    {
      schema: {
        summary: 'The data-subject requests of the business, newest first, with deadlines',
        response: { 200: Type.Object({ items: Type.Array(RequestOut) }) },
      },
    },
    async (request) => ({ items: (await listSubjectRequests(ctxOf(request, services))).map(present) }),
  );
  app.get(
    '/api/v1/subject-requests/:id',
    {
      schema: {
        summary: 'One data-subject request with its recorded outcomes',
        params: IdParams,
        response: { 200: RequestDetailOut },
      },
    },
    async (request) => presentDetail(await getSubjectRequest(ctxOf(request, services), request.params.id)),
  );
  app.post(
    '/api/v1/subject-requests/:id/outcome',
    {
      schema: {
        summary: 'Record the decision on a data-subject request: completed, refused or extended',
        params: IdParams,
        body: Type.Object(
          {
            outcome: Type.Union([
              Type.Literal('completed'),
              Type.Literal('refused'),
              Type.Literal('extended'),
            ]),
            reason: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
            months: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: RequestDetailOut },
      },
    },
    async (request) =>
      presentDetail(
        await recordSubjectRequestOutcome(ctxOf(request, services), request.params.id, request.body),
      ),
  );

  app.get(
    '/api/v1/subject-requests/:id/matches',
    {
      schema: {
        summary: "The customers that may be the request's person: same e-mail or name (or the IBAN given)",
        params: IdParams,
        querystring: Type.Object(
          { iban: Type.Optional(Type.String({ maxLength: 40 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                customerId: Type.String(),
                name: Type.Union([Type.String(), Type.Null()]),
                email: Type.Union([Type.String(), Type.Null()]),
                matchedOn: Type.Array(
                  Type.Union([Type.Literal('email'), Type.Literal('name'), Type.Literal('iban')]),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      items: await matchSubjectRequest(ctxOf(request, services), request.params.id, {
        iban: request.query.iban,
      }),
    }),
  );
  app.get(
    '/api/v1/subject-requests/:id/export.zip',
    {
      schema: {
        summary: "One customer's data for a request as a ZIP: JSON, and each issued invoice's PDF and UBL",
        params: IdParams,
        querystring: Type.Object(
          { customerId: Type.String({ maxLength: 64 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { stream } = await exportSubjectData(
        ctxOf(request, services),
        request.params.id,
        request.query.customerId,
      );
      return reply
        .type('application/zip')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="subject-request-${request.params.id}.zip"`)
        .send(stream);
    },
  );

  const since = Type.Union([Type.Object({ since: date, requestId: Type.String() }), Type.Null()]);
  app.post(
    '/api/v1/subject-requests/:id/restrictions',
    {
      schema: {
        summary:
          'Restrict processing of a customer (no new invoices or invoice mails) or record an objection, or lift either',
        params: IdParams,
        body: Type.Object(
          {
            customerId: Type.String({ maxLength: 64 }),
            kind: Type.Union([Type.Literal('restriction'), Type.Literal('objection')]),
            active: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ customerId: Type.String(), restriction: since, objection: since }),
        },
      },
    },
    async (request) => {
      const r = await setCustomerRestriction(ctxOf(request, services), request.params.id, request.body);
      const out = (x: { since: Date; requestId: string } | null) =>
        x ? { since: x.since.toISOString(), requestId: x.requestId } : null;
      return { customerId: r.customerId, restriction: out(r.restriction), objection: out(r.objection) };
    },
  );

  app.post(
    '/api/v1/subject-requests/:id/erasure',
    {
      schema: {
        summary:
          "Erase a customer's personal data: drafts deleted, the record pseudonymised, issued invoices kept (fiscal duty) and restricted",
        params: IdParams,
        body: Type.Object({ customerId: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            customerId: Type.String(),
            draftsDeleted: Type.Integer(),
            issuedKept: Type.Integer(),
            pseudonymiseFrom: Type.Union([date, Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const r = await eraseCustomer(ctxOf(request, services), request.params.id, request.body.customerId);
      return { ...r, pseudonymiseFrom: r.pseudonymiseFrom?.toISOString() ?? null };
    },
  );
  rectificationRoutes(app, services);
}
