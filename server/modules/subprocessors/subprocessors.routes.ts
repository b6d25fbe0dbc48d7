/**
 * The business's view of the subprocessors: GET /api/v1/subprocessors (with whether each is used
 * for it), POST /api/v1/subprocessors/{id}/objection (a reason) and …/consent. Owners and admins.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { isoDate } from '../legal/documents.ts';
import {
  type BusinessSubprocessor,
  consentToSubprocessor,
  listBusinessSubprocessors,
  objectToSubprocessor,
} from './subprocessors.service.ts';

const Out = Type.Object({
  id: Type.String(),
  name: Type.String(),
  purpose: Type.String(),
  dataCategories: Type.Array(Type.String()),
  country: Type.String(),
  parentJurisdiction: Type.String(),
  agreementReference: Type.String(),
  effectiveFrom: Type.String(),
  isEffective: Type.Boolean(),
  isUsedForBusiness: Type.Boolean(),
  objection: Type.Union([
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  consentedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

function present(s: BusinessSubprocessor) {
  return {
    id: s.id,
    name: s.name,
    purpose: s.purpose,
    dataCategories: s.dataCategories,
    country: s.country,
    parentJurisdiction: s.parentJurisdiction,
    agreementReference: s.agreementReference,
    effectiveFrom: isoDate(s.effectiveFrom),
    isEffective: s.isEffective,
    isUsedForBusiness: s.isUsedForBusiness,
    objection: s.objection ? { at: s.objection.at.toISOString(), reason: s.objection.reason } : null,
    consentedAt: s.consentedAt?.toISOString() ?? null,
  };
}

/** Registers /api/v1/subprocessors. */
export function subprocessorsRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/subprocessors',
    {
      schema: { summary: 'The subprocessors as this business sees them', response: { 200: Type.Array(Out) } },
    },
    async (request) => (await listBusinessSubprocessors(ctxOf(request, services))).map(present),
  );
  app.post(
    '/api/v1/subprocessors/:id/objection',
    {
      schema: {
        summary: 'Object to a subprocessor, with a reason',
        params: Params,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Out },
      },
    },
    async (request) =>
      present(await objectToSubprocessor(ctxOf(request, services), request.params.id, request.body.reason)),
  );
  app.post(
    '/api/v1/subprocessors/:id/consent',
    {
      schema: {
        summary: 'Consent to a subprocessor (prior-consent policy)',
        params: Params,
        response: { 200: Out },
      },
    },
    async (request) => present(await consentToSubprocessor(ctxOf(request, services), request.params.id)),
  );
}
