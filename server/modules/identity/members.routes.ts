/** The people of the business: list, invite, change a role, remove (owners and admins; Identity point 2). */
import { Type } from 'typebox';
import { AppError } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import { ctxOf } from '../../http/auth.ts';
import { acceptInvitation, inviteMember } from './invitations.service.ts';
import { changeMembership, listBusinessMembers } from './members.service.ts';
import type { IdentityRuntime } from './runtime.ts';

const RoleT = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('bookkeeper'),
  Type.Literal('viewer'),
]);
const Params = Type.Object({ userId: Type.String() });

/** Registers the /api/v1/members routes. */
export function membersRoutes(app: App, rt: IdentityRuntime): void {
  app.get(
    '/api/v1/members',
    {
      schema: {
        response: {
          200: Type.Array(
            Type.Object({
              userId: Type.String(),
              email: Type.Union([Type.String(), Type.Null()]),
              role: RoleT,
              since: Type.String(),
            }),
          ),
        },
      },
    },
    async (request) => listBusinessMembers(rt, ctxOf(request, rt.services)),
  );

  app.put(
    '/api/v1/members/:userId',
    { schema: { params: Params, body: Type.Object({ role: RoleT }, { additionalProperties: false }) } },
    async (request, reply) => {
      await changeMembership(ctxOf(request, rt.services), request.params.userId, request.body.role);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/invitations',
    {
      schema: {
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 254 }), role: RoleT },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inviteMember(rt, ctxOf(request, rt.services), request.body)),
  );

  app.post(
    '/api/v1/invitations/accept',
    {
      schema: {
        body: Type.Object(
          { token: Type.String({ minLength: 10, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ businessId: Type.String(), role: RoleT }) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request, rt.services);
      if (ctx.actor.type !== 'user' || !ctx.actor.id) {
        throw new AppError('forbidden', 'users_only', 'Only people accept invitations');
      }
      return acceptInvitation(rt, ctx.actor.id, request.body.token, {
        ip: request.ip,
        requestId: String(request.id),
      });
    },
  );

  app.delete('/api/v1/members/:userId', { schema: { params: Params } }, async (request, reply) => {
    await changeMembership(ctxOf(request, rt.services), request.params.userId, null);
    return reply.status(204).send();
  });
}
