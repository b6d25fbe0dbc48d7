/**
 * Authentication of the operator API (ADR 0058). Signature for other modules:
 *
 *   requireOperator(request: FastifyRequest): string
 *     The signed-in operator's user id, or throws AppError('forbidden', 'operator_required').
 *     Synchronous: the authentication hook of auth.ts has already verified the token and checked,
 *     on the server, that it belongs to an active operator who signed in with a second factor.
 *     That resolution runs only for routes under OPERATOR_API_PREFIX (`/api/operator/`), so put
 *     operator routes there; on any other route requireOperator always throws 403.
 *
 *   operatorPreHandler: the same as a Fastify preHandler (`{ preHandler: operatorPreHandler }`).
 *   operatorCtx(request, services): the plain context of an operator's use case.
 *
 * Business users and API clients get 403 `operator_required` under /api/operator/; operators get
 * 403 `operator_has_no_business` on business routes, since their tokens name no business.
 */
import type { FastifyRequest } from 'fastify';
import type { JWTPayload } from 'jose';
import { AppError } from '../../domain/errors.ts';
import type { Actor, Services } from '../context.ts';
import {
  claimsOperator,
  operatorRequired,
  resolveOperator,
} from '../modules/identity/operator-access.service.ts';

/** Every operator route lives under this prefix; the auth hook resolves operators only here. */
export const OPERATOR_API_PREFIX = '/api/operator/';

declare module 'fastify' {
  interface FastifyRequest {
    /** The operator's user id on an operator route, once the token was checked; else null. */
    operatorId: string | null;
  }
}

/** True for a registered route under the operator prefix (keyed on the matched route). */
export function isOperatorRoute(routeUrl: string | undefined): boolean {
  return routeUrl?.startsWith(OPERATOR_API_PREFIX) === true;
}

/** The operator's user id, or throws 403 `operator_required`. */
export function requireOperator(request: FastifyRequest): string {
  if (!isOperatorRoute(request.routeOptions.url) || !request.operatorId) throw operatorRequired();
  return request.operatorId;
}

/** requireOperator as a preHandler. */
export async function operatorPreHandler(request: FastifyRequest): Promise<void> {
  requireOperator(request);
}

/** What an operator's use case receives: who (the operator), from where, and the services. */
export interface OperatorCtx {
  actor: Actor & { type: 'operator'; id: string };
  requestId: string;
  ip: string;
  services: Services;
}

/** The use-case context of an operator's request. */
export function operatorCtx(request: FastifyRequest, services: Services): OperatorCtx {
  return {
    actor: { type: 'operator', id: requireOperator(request) },
    requestId: String(request.id),
    ip: request.ip,
    services,
  };
}

/**
 * Called by the auth hook for a verified token: on an operator route resolves the operator (or
 * throws); elsewhere refuses an operator's token with 403 and returns false, and true otherwise
 * (the caller then resolves a business principal as usual).
 */
export async function authenticateOperator(
  request: FastifyRequest,
  services: Services,
  claims: JWTPayload,
  options: { embedded: boolean; tenantClaim: string },
): Promise<boolean> {
  if (isOperatorRoute(request.routeOptions.url)) {
    request.operatorId = await resolveOperator(services, claims, options);
    return true;
  }
  if (options.embedded && claimsOperator(claims) && claims[options.tenantClaim] === undefined) {
    throw new AppError(
      'forbidden',
      'operator_has_no_business',
      'Operators have no access to a business’s content; use the operator console',
    );
  }
  return false;
}
