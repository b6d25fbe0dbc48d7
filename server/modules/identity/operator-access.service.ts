/**
 * Turns a verified access token into an operator of the console (ADR 0058). An operator token is
 * one the embedded provider issued to a person of kind `operator` through the web app: it names
 * no business (`kluis_tenant` absent), names its grant (`kluis_gid`, so signing out stops it) and
 * says how the person signed in (`amr`, RFC 8176). Everything is checked again on the server, not
 * taken from the token: the account must still be an active operator, the grant must still exist,
 * the sign-in must have used a second factor, and the account must still hold one. A token of an
 * external issuer is never an operator token: the console trusts only Kluis's own sign-in.
 */
import type { JWTPayload } from 'jose';
import { AppError } from '../../../domain/errors.ts';
import type { Services } from '../../context.ts';
import { inSystem } from '../../db/transactions.ts';
import { isUuid } from '../../ids.ts';
import { grantExists } from './oidc-adapter.ts';
import { findAccountKind } from './operators.repo.ts';
import { hasConfirmedTotp, hasPasskeyRow } from './two-factor.repo.ts';

/** The claim the embedded provider sets on an operator's token (it only chooses the error code). */
export const OPERATOR_CLAIM = 'kluis_operator';

/** RFC 8176 methods that count as the second factor of an operator's sign-in. */
export const SECOND_FACTOR_AMR = ['otp', 'hwk'] as const;

/** The one 403 for anything that is not an operator. */
export const operatorRequired = () =>
  new AppError('forbidden', 'operator_required', 'This part of the API is for the operator’s staff');

/** True when the token says it was issued to an operator (unchecked: for choosing an error only). */
export function claimsOperator(claims: JWTPayload): boolean {
  return claims[OPERATOR_CLAIM] === true;
}

/** True when the token's `amr` names a second factor (an OTP code, or a hardware key / passkey). */
export function usedSecondFactor(claims: JWTPayload): boolean {
  const amr = claims.amr;
  return Array.isArray(amr) && amr.some((m) => (SECOND_FACTOR_AMR as readonly unknown[]).includes(m));
}

/**
 * The operator's user id for a verified token, or throws: 403 `operator_required` for a token of a
 * business, a client or a non-operator; 403 `second_factor_required` for an operator token whose
 * sign-in used no second factor; 401 `token_invalid` once its grant is revoked.
 */
export async function resolveOperator(
  services: Services,
  claims: JWTPayload,
  options: { embedded: boolean; tenantClaim: string },
): Promise<string> {
  const sub = claims.sub;
  const grantId = claims.kluis_gid;
  if (!options.embedded || claims[options.tenantClaim] !== undefined) throw operatorRequired();
  if (typeof sub !== 'string' || !isUuid(sub) || claims.client_id === sub) throw operatorRequired();
  if (typeof grantId !== 'string') throw operatorRequired();
  const found = await inSystem(services.db, async (tx) => {
    const account = await findAccountKind(tx, sub);
    if (account?.kind !== 'operator' || account.status !== 'active') return 'not_operator';
    if (!(await grantExists(tx, grantId))) return 'revoked';
    const holdsFactor = (await hasConfirmedTotp(tx, sub)) || (await hasPasskeyRow(tx, sub));
    return holdsFactor ? 'ok' : 'no_factor';
  });
  if (found === 'not_operator') throw operatorRequired();
  if (found === 'revoked')
    throw new AppError('unauthenticated', 'token_invalid', 'The access token is not valid');
  // Server-side, not a claim to trust: both the sign-in and the account must carry the second factor.
  if (found === 'no_factor' || !usedSecondFactor(claims)) {
    throw new AppError('forbidden', 'second_factor_required', 'Operators sign in with a second factor');
  }
  return sub;
}
