/**
 * `/api/v1/support-access`: the owner grants and revokes support access; owners and admins see
 * every grant with every access. Thin: the rules are support-access.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import {
  type GrantView,
  grantSupportAccess,
  listSupportAccess,
  revokeSupportAccess,
} from './support-access.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const GrantBody = Type.Object(
  {
    hours: Type.Optional(
      Type.Integer({ description: 'How long the grant lasts: 1 to 168 hours (default 24)' }),
    ),
    reason: Type.String({
      maxLength: 2000,
      description: 'Why, or the ticket reference (at most 500 characters)',
    }),
    scope: Type.Optional(Type.String({ maxLength: 20, description: 'Only `read` exists' })),
    operatorId: Type.Optional(
      Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
        description: "One operator account's id; absent or null lets any of the operator's staff in",
      }),
    ),
  },
  { additionalProperties: false },
);

const AccessOut = Type.Object({
  id: Type.String({ description: "The audit event's id" }),
  at: Type.String(),
  operatorId: Nullable(Type.String()),
  resource: Type.String(),
  recordId: Nullable(Type.String()),
});

const GrantOut = Type.Object({
  id: Type.String(),
  scope: Type.Literal('read'),
  reason: Type.String(),
  operatorId: Nullable(Type.String()),
  grantedBy: Type.String(),
  grantedAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  firstUsedAt: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  accesses: Type.Array(AccessOut),
});

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The allow-list of what leaves about a grant. */
function presentGrant(g: GrantView) {
  return {
    id: g.id,
    scope: g.scope,
    reason: g.reason,
    operatorId: g.operatorId,
    grantedBy: g.grantedBy,
    grantedAt: g.grantedAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    revokedAt: iso(g.revokedAt),
    firstUsedAt: iso(g.firstUsedAt),
    status: g.status,
    accesses: g.accesses.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      operatorId: a.operatorId,
      resource: a.resource,
      recordId: a.recordId,
    })),
  };
}

/** Registers the business's support access routes. */
export function supportAccessRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/support-access',
    {
      schema: {
        summary: "List support access grants with every access by the operator's staff",
        response: { 200: Type.Object({ items: Type.Array(GrantOut) }) },
      },
    },
    async (request) => ({ items: (await listSupportAccess(ctxOf(request, services))).map(presentGrant) }),
  );
  app.post(
    '/api/v1/support-access',
    {
      schema: {
        summary: "Let the operator's staff read this business's records for a limited time (owner only)",
        body: GrantBody,
        response: { 201: GrantOut },
      },
    },
    async (request, reply) => {
      const grant = await grantSupportAccess(ctxOf(request, services), request.body);
      return reply.status(201).send(presentGrant(grant));
    },
  );
  app.post(
    '/api/v1/support-access/:id/revoke',
    {
      schema: {
        summary: 'Revoke a support access grant now (owner only)',
        params: IdParams,
        response: { 200: GrantOut },
      },
    },
    async (request) => presentGrant(await revokeSupportAccess(ctxOf(request, services), request.params.id)),
  );
}
