/** The people of the business: list, change a role, remove (owners and admins; Identity point 2). */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import { ctxOf } from '../../http/auth.ts';
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

  app.delete('/api/v1/members/:userId', { schema: { params: Params } }, async (request, reply) => {
    await changeMembership(ctxOf(request, rt.services), request.params.userId, null);
    return reply.status(204).send();
  });
}
