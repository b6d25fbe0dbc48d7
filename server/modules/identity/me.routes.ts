/** `GET /api/v1/me`: who the caller is, in which business, with which role and scopes, and their other businesses. */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { isUuid } from '../../ids.ts';
import { listBusinessesOfUser } from './businesses.service.ts';

const Me = Type.Object({
  caller: Type.Object({
    type: Type.Union([Type.Literal('user'), Type.Literal('client')]),
    id: Type.String(),
  }),
  business: Type.Object({ id: Type.String() }),
  role: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  /** The caller's businesses (people only): what the web app offers to switch to. */
  memberships: Type.Array(
    Type.Object({
      business: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
      role: Type.String(),
    }),
  ),
});

/** Registers the /api/v1/me route. */
export function meRoutes(app: App, services: Services): void {
  app.get('/api/v1/me', { schema: { response: { 200: Me } } }, async (request) => {
    const ctx = ctxOf(request, services);
    return {
      caller: { type: ctx.actor.type as 'user' | 'client', id: ctx.actor.id ?? '' },
      business: { id: ctx.tenantId },
      role: ctx.access?.role ?? null,
      scopes: [...(ctx.access?.scopes ?? [])],
      memberships:
        ctx.actor.type === 'user' && ctx.actor.id && isUuid(ctx.actor.id)
          ? (await listBusinessesOfUser(services, ctx.actor.id)).map((b) => ({
              business: { id: b.id, name: b.name },
              role: b.role,
            }))
          : [],
    };
  });
}
