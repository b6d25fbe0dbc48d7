/**
 * Authentication of the JSON API. Every request whose path is under /api — a registered route or
 * not — must carry a bearer access token that verifies (auth-tokens.ts) and resolves to a caller
 * in a business (identity/access.service.ts). The check keys on the path, not on route options,
 * so no /api route can be public by accident; an inventory of the /api routes lets a test prove it.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import type { App } from '../app.ts';
import type { Ctx, Services } from '../context.ts';
import {
  type ClaimMapping,
  type Principal,
  type PrincipalChecks,
  resolvePrincipal,
} from '../modules/identity/access.service.ts';
import type { TokenVerifier } from './auth-tokens.ts';
import { authenticateOperator } from './operator-auth.ts';

/** What the API trusts: a verifier for one issuer, and where its tokens keep business and scopes. */
export interface ApiAuth {
  verifier: TokenVerifier;
  claims: ClaimMapping;
  checks?: PrincipalChecks;
}

/** What a member without the second factor their business requires may still reach: enrolment. */
const OPEN_WITHOUT_TWO_FACTOR = /^\/api\/v1\/me(\/two-factor(\/.*)?)?$/;

/**
 * The only /api routes served without a token (ADR 0023), read-only: the API's description at
 * `/api/openapi.json` and its docs page under `/api/docs`. They describe the API's shape and hold
 * no business data; a browser cannot send a bearer token when it opens a page. The route-inventory
 * test asserts that these are the only exception.
 */
export const PUBLIC_API_ROUTES = { document: '/api/openapi.json', docsPrefix: '/api/docs' } as const;

/** True for a GET or HEAD of a route in PUBLIC_API_ROUTES; keyed on the matched route, not the raw URL. */
export function isPublicApiRoute(method: string, routeUrl: string | undefined): boolean {
  if ((method !== 'GET' && method !== 'HEAD') || routeUrl === undefined) return false;
  const { document, docsPrefix } = PUBLIC_API_ROUTES;
  return routeUrl === document || routeUrl === docsPrefix || routeUrl.startsWith(`${docsPrefix}/`);
}

/** One registered /api route, for the inventory test. */
export interface ApiRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** True when a request path is under /api, however it is spelled (case, escapes, duplicate slashes). */
export function isApiPath(rawUrl: string): boolean {
  const path = rawUrl.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true; // undecodable: treat as protected rather than guess
  }
  const normal = decoded.toLowerCase().replace(/\/{2,}/g, '/');
  return normal === '/api' || normal.startsWith('/api/');
}

/** Reads `Authorization: Bearer <token>`; anything else is no token. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return match?.[1];
}

/** Installs the authentication hook and returns the live inventory of /api routes. */
export function installApiAuth(app: App, services: Services, auth: ApiAuth): ApiRoute[] {
  const inventory: ApiRoute[] = [];
  app.decorateRequest('principal', null);
  app.decorateRequest('operatorId', null);
  app.addHook('onRoute', (route) => {
    if (!isApiPath(route.url)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) inventory.push({ method: String(method), url: route.url });
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiPath(request.url) && !isApiPath(request.routeOptions.url ?? '')) return;
    if (isPublicApiRoute(request.method, request.routeOptions.url)) return;
    try {
      const token = bearerToken(request);
      if (!token) throw new AppError('unauthenticated', 'token_missing', 'Send a bearer access token');
      const claims = await auth.verifier.verify(token);
      // Operator routes take operator tokens only, and business routes refuse them (ADR 0058).
      const operatorOptions = {
        embedded: auth.checks?.embedded === true,
        tenantClaim: auth.claims.tenantClaim,
      };
      if (await authenticateOperator(request, services, claims, operatorOptions)) return;
      const principal = await resolvePrincipal(services, claims, auth.claims, auth.checks);
      if (principal.needsTwoFactor && !OPEN_WITHOUT_TWO_FACTOR.test(request.routeOptions.url ?? '')) {
        throw new AppError(
          'forbidden',
          'two_factor_required',
          'This business requires a second factor; set one up',
        );
      }
      request.principal = principal;
    } catch (e) {
      if (e instanceof AppError && e.kind === 'unauthenticated') {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
      }
      throw e;
    }
  });
  return inventory;
}

/** The use-case context of an authenticated API request. */
export function ctxOf(request: FastifyRequest, services: Services): Ctx {
  const p = request.principal;
  if (!p) throw new AppError('unauthenticated', 'token_missing', 'Send a bearer access token');
  return {
    tenantId: p.tenantId,
    actor: p.actor,
    requestId: String(request.id),
    ip: request.ip,
    services,
    access: p.access,
  };
}
