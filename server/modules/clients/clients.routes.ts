/** API clients of the business, managed in the app by owners and admins (Identity point 9). */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { API_SCOPES, createApiClient, listApiClients, revokeApiClient } from './clients.service.ts';

const Scope = Type.Union(API_SCOPES.map((s) => Type.Literal(s)));
const Client = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  redirectUris: Type.Array(Type.String()),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

/** Registers the /api/v1/clients routes. */
export function clientsRoutes(app: App, services: Services): void {
  app.get('/api/v1/clients', { schema: { response: { 200: Type.Array(Client) } } }, async (request) =>
    (await listApiClients(ctxOf(request, services))).map((c) => ({
      ...c,
      createdAt: c.createdAt.toISOString(),
      revokedAt: c.revokedAt?.toISOString() ?? null,
    })),
  );

  app.post(
    '/api/v1/clients',
    {
      schema: {
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Array(Scope, { minItems: 1 }),
            // With redirect URIs the client is interactive: code + PKCE for a person, after consent.
            redirectUris: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ clientId: Type.String(), clientSecret: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createApiClient(ctxOf(request, services), request.body)),
  );

  app.post(
    '/api/v1/clients/:clientId/revoke',
    { schema: { params: Type.Object({ clientId: Type.String() }) } },
    async (request, reply) => {
      await revokeApiClient(ctxOf(request, services), request.params.clientId);
      return reply.status(204).send();
    },
  );
}
