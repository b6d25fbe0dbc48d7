/**
 * The operator API (ADR 0058) under /api/operator/v1: who is signed in, the businesses with their
 * lifecycle, the subprocessor registry, and the register of processing across businesses. Only
 * operators reach it: the auth hook resolves operator tokens here, and every route checks
 * requireOperator again. Thin: the rules live in operator.service.ts and the modules it reuses.
 */
import { Type } from 'typebox';
import { invalidInput } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { operatorCtx, requireOperator } from '../../http/operator-auth.ts';
import { CURRENT_AGREEMENT, isoDate } from '../legal/documents.ts';
import type { LegalSettings } from '../legal/legal.settings.ts';
import type { Subprocessor } from '../subprocessors/subprocessors.service.ts';
import {
  addSubprocessorAsOperator,
  getOperatorRegister,
  listSubprocessorsForOperator,
  listTenantLifecycles,
  type OperatorActor,
  operatorRegisterPdf,
} from './operator.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const TenantOut = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  status: Type.String({ description: 'active, or shredded (its keys destroyed)' }),
  createdAt: Type.String(),
  subscriptionEndedAt: Nullable(Type.String()),
  retentionDeadline: Nullable(Type.String({ description: 'When the data is deleted after the end' })),
  deletionStatus: Type.String({ description: 'none, ending, cancelled, shredded, purged or certified' }),
  resumedAt: Nullable(Type.String()),
  certifiedAt: Nullable(Type.String()),
});

const SubprocessorOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  purpose: Type.String(),
  dataCategories: Type.Array(Type.String()),
  country: Type.String(),
  parentJurisdiction: Type.String(),
  agreementReference: Type.String(),
  addedAt: Type.String(),
  effectiveFrom: Type.String(),
});

const SubprocessorIn = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    purpose: Type.String({ maxLength: 500 }),
    dataCategories: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }),
    country: Type.String({ maxLength: 2 }),
    parentJurisdiction: Type.String({ maxLength: 2 }),
    agreementReference: Type.String({ maxLength: 200 }),
    effectiveFrom: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  },
  { additionalProperties: false },
);

const Code = Type.Object({ code: Type.String(), label: Type.String() });
const RegisterOut = Type.Object({
  generatedAt: Type.String(),
  agreementVersion: Type.String(),
  processor: Type.Object({
    name: Type.String(),
    address: Type.String(),
    kvkNumber: Type.String(),
    email: Type.String(),
  }),
  controllers: Type.Array(
    Type.Object({
      businessId: Type.String(),
      name: Nullable(Type.String()),
      deletionStatus: Type.String(),
      contact: Type.Union([Type.Object({ name: Type.String(), email: Type.String() }), Type.Null()]),
    }),
  ),
  processing: Type.Array(
    Type.Object({
      subject: Type.String(),
      subjectLabel: Type.String(),
      categories: Type.Array(Code),
      purposes: Type.Array(Code),
      retention: Type.Array(Code),
    }),
  ),
  subprocessors: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      purpose: Type.String(),
      dataCategories: Type.Array(Type.String()),
      country: Type.String(),
      parentJurisdiction: Type.String(),
      effectiveFrom: Type.String(),
      isThirdCountry: Type.Boolean(),
    }),
  ),
  securityMeasures: Type.Array(Type.String()),
});

function presentSubprocessor(s: Subprocessor) {
  return {
    id: s.id,
    name: s.name,
    purpose: s.purpose,
    dataCategories: s.dataCategories,
    country: s.country,
    parentJurisdiction: s.parentJurisdiction,
    agreementReference: s.agreementReference,
    addedAt: s.addedAt.toISOString(),
    effectiveFrom: isoDate(s.effectiveFrom),
  };
}

/** The operator of a request, as the actor of a use case. */
export function operatorActor(request: Parameters<typeof requireOperator>[0]): OperatorActor {
  return { type: 'operator', id: requireOperator(request) };
}

/** Registers the operator API (incidents are in operator-incidents.routes.ts). */
export function operatorRoutes(app: App, services: Services, settings: LegalSettings): void {
  app.get(
    '/api/operator/v1/me',
    {
      schema: {
        summary: 'The signed-in operator (the console asks this to know it is one)',
        response: { 200: Type.Object({ id: Type.String(), kind: Type.Literal('operator') }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { id: operatorCtx(request, services).actor.id, kind: 'operator' as const };
    },
  );

  app.get(
    '/api/operator/v1/tenants',
    {
      schema: {
        summary: 'Every business with its lifecycle: created, subscription end, retention, deletion',
        response: { 200: Type.Object({ items: Type.Array(TenantOut) }) },
      },
    },
    async (request) => {
      requireOperator(request);
      return { items: await listTenantLifecycles(services) };
    },
  );

  app.get(
    '/api/operator/v1/subprocessors',
    {
      schema: {
        summary: 'The subprocessor registry',
        response: { 200: Type.Object({ items: Type.Array(SubprocessorOut) }) },
      },
    },
    async (request) => {
      requireOperator(request);
      return { items: (await listSubprocessorsForOperator(services)).map(presentSubprocessor) };
    },
  );

  app.post(
    '/api/operator/v1/subprocessors',
    {
      schema: {
        summary: 'Add a subprocessor, effective after the notice period; every contact is mailed',
        body: SubprocessorIn,
        response: {
          201: Type.Object({
            subprocessor: SubprocessorOut,
            mailed: Type.Integer(),
            withoutContact: Type.Integer(),
          }),
        },
      },
    },
    async (request, reply) => {
      const actor = operatorActor(request);
      const { effectiveFrom, ...rest } = request.body;
      const effective = effectiveFrom ? new Date(`${effectiveFrom}T00:00:00Z`) : undefined;
      // Date.parse rolls 2026-02-31 over into March; a real date reads back the same.
      if (effective && (Number.isNaN(effective.getTime()) || isoDate(effective) !== effectiveFrom)) {
        throw invalidInput([{ path: 'effectiveFrom', code: 'date_invalid', message: 'A date YYYY-MM-DD' }]);
      }
      const result = await addSubprocessorAsOperator(services, settings, actor, {
        ...rest,
        ...(effective ? { effectiveFrom: effective } : {}),
      });
      return reply.status(201).send({ ...result, subprocessor: presentSubprocessor(result.subprocessor) });
    },
  );

  app.get(
    '/api/operator/v1/register',
    {
      schema: {
        summary: 'The register of processing across businesses (GDPR art. 30(2))',
        response: { 200: RegisterOut },
      },
    },
    async (request, reply) => {
      const actor = operatorActor(request);
      reply.header('cache-control', 'no-store');
      return getOperatorRegister(services, settings, CURRENT_AGREEMENT, actor, 'json');
    },
  );

  app.get(
    '/api/operator/v1/register.pdf',
    { schema: { summary: 'The register of processing across businesses as a PDF' } },
    async (request, reply) => {
      const actor = operatorActor(request);
      const pdf = await operatorRegisterPdf(services, settings, CURRENT_AGREEMENT, actor);
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="register-van-verwerkingen-verwerker.pdf"')
        .send(pdf);
    },
  );
}
