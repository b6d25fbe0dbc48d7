/**
 * The privacy center's routes of this module. Public pages (no token): /voorwaarden,
 * /verwerkersovereenkomst, /privacy, /beveiliging, /subverwerkers. API (owner or admin unless
 * noted): GET /api/v1/agreement (any member: the version, the acceptance record, mustAccept),
 * POST /api/v1/agreement/accept, GET /api/v1/agreement.pdf, GET/PUT /api/v1/privacy/contact,
 * POST /api/v1/privacy/contact/confirm, PUT /api/v1/privacy/subprocessor-policy,
 * GET /api/v1/privacy/register(.pdf). Thin: the rules live in the services.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { listPublicSubprocessors } from '../subprocessors/subprocessors.service.ts';
import { type AgreementView, acceptAgreement, agreementPdf, getAgreement } from './agreement.service.ts';
import {
  confirmPrivacyContact,
  getPrivacyContact,
  type PrivacyContactView,
  setPrivacyContact,
  setSubprocessorPolicy,
} from './contact.service.ts';
import {
  type LegalDocument,
  privacyStatement,
  processingAgreement,
  securityMeasures,
  subprocessorList,
  termsOfUse,
} from './documents.ts';
import { legalPage } from './legal.pages.ts';
import type { LegalSettings } from './legal.settings.ts';
import { getProcessingRegister, processingRegisterPdf } from './register.service.ts';

const Version = Type.Object({ version: Type.String(), date: Type.String() });
const AgreementOut = Type.Object({
  current: Version,
  accepted: Type.Union([
    Type.Object({
      version: Type.String(),
      acceptedAt: Type.String({ format: 'date-time' }),
      actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
      ip: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  mustAccept: Type.Boolean(),
});
const Contact = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    email: Type.String({ maxLength: 254 }),
    phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 40 })])),
  },
  { additionalProperties: false },
);
const ContactOut = Type.Object({
  contact: Type.Union([
    Type.Object({
      name: Type.String(),
      email: Type.String(),
      phone: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reconfirmDue: Type.Boolean(),
  subprocessorPolicy: Type.String(),
});

function presentAgreement(v: AgreementView) {
  return {
    current: v.current,
    accepted: v.accepted
      ? {
          version: v.accepted.version,
          acceptedAt: v.accepted.acceptedAt.toISOString(),
          actor: v.accepted.actor,
          ip: v.accepted.ip,
        }
      : null,
    mustAccept: v.mustAccept,
  };
}

function presentContact(v: PrivacyContactView) {
  return { ...v, confirmedAt: v.confirmedAt?.toISOString() ?? null };
}

/** Registers the public legal pages and the agreement, contact and register API. */
export function legalRoutes(app: App, services: Services, settings: LegalSettings): void {
  const page = (path: string, summary: string, make: () => Promise<LegalDocument> | LegalDocument) =>
    app.get(path, { schema: { summary, hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(legalPage(await make())),
    );
  page('/voorwaarden', 'Terms of use', () => termsOfUse(settings, settings.agreement));
  page('/verwerkersovereenkomst', 'Data processing agreement', () =>
    processingAgreement(settings, settings.agreement),
  );
  page('/privacy', 'Privacy statement', () => privacyStatement(settings));
  page('/beveiliging', 'Security measures', () => securityMeasures(settings));
  page('/subverwerkers', 'Subprocessors', async () =>
    subprocessorList(settings, await listPublicSubprocessors(services)),
  );

  app.get(
    '/api/v1/agreement',
    {
      schema: {
        summary: 'The agreement version in force and the business acceptance',
        response: { 200: AgreementOut },
      },
    },
    async (request) => presentAgreement(await getAgreement(ctxOf(request, services), settings.agreement)),
  );
  app.post(
    '/api/v1/agreement/accept',
    {
      schema: {
        summary: 'Accept the agreement version in force',
        body: Type.Object({ version: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
        response: { 200: AgreementOut },
      },
    },
    async (request) =>
      presentAgreement(
        await acceptAgreement(ctxOf(request, services), settings.agreement, request.body.version),
      ),
  );
  app.get(
    '/api/v1/agreement.pdf',
    { schema: { summary: "The business's copy of the agreement with its details and acceptance record" } },
    async (request, reply) => {
      const pdf = await agreementPdf(ctxOf(request, services), settings, settings.agreement);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="verwerkersovereenkomst.pdf"')
        .send(pdf);
    },
  );

  app.get(
    '/api/v1/privacy/contact',
    { schema: { summary: 'The data-protection contact', response: { 200: ContactOut } } },
    async (request) => presentContact(await getPrivacyContact(ctxOf(request, services))),
  );
  app.put(
    '/api/v1/privacy/contact',
    {
      schema: {
        summary: 'Set (and confirm) the data-protection contact',
        body: Contact,
        response: { 200: ContactOut },
      },
    },
    async (request) => {
      const { name, email, phone } = request.body;
      return presentContact(
        await setPrivacyContact(ctxOf(request, services), { name, email, phone: phone ?? null }),
      );
    },
  );
  app.post(
    '/api/v1/privacy/contact/confirm',
    {
      schema: {
        summary: 'Confirm the data-protection contact unchanged (yearly)',
        response: { 200: ContactOut },
      },
    },
    async (request) => presentContact(await confirmPrivacyContact(ctxOf(request, services))),
  );
  app.put(
    '/api/v1/privacy/subprocessor-policy',
    {
      schema: {
        summary: 'Notify-and-object (default) or prior consent for new subprocessors',
        body: Type.Object(
          { policy: Type.Union([Type.Literal('notify_object'), Type.Literal('prior_consent')]) },
          { additionalProperties: false },
        ),
        response: { 200: ContactOut },
      },
    },
    async (request) =>
      presentContact(await setSubprocessorPolicy(ctxOf(request, services), request.body.policy)),
  );

  app.get(
    '/api/v1/privacy/register',
    { schema: { summary: 'The register of processing (GDPR art. 30(2)) for this business' } },
    async (request) => getProcessingRegister(ctxOf(request, services), settings, settings.agreement),
  );
  app.get(
    '/api/v1/privacy/register.pdf',
    { schema: { summary: 'The register of processing as a PDF' } },
    async (request, reply) =>
      reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="register-van-verwerkingen.pdf"')
        .send(await processingRegisterPdf(ctxOf(request, services), settings, settings.agreement)),
  );
}
