/**
 * The extra claims of an operator's access token (ADR 0058): the token names no business, so the
 * provider would otherwise add nothing. It gets its grant (`kluis_gid`, so signing out stops it),
 * `kluis_operator` (only to choose the error code on business routes) and `amr`, copied from the
 * sign-in that the authorization code or refresh token records. The API re-checks all of it.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Services } from '../../context.ts';
import { inSystem } from '../../db/transactions.ts';
import { OPERATOR_CLAIM } from './operator-access.service.ts';
import { findAccountKind } from './operators.repo.ts';

/** The claims for an operator's token, or undefined when the account is not an operator. */
export async function operatorClaims(
  services: Services,
  ctx: KoaContextWithOIDC,
  accountId: string,
  grantId: string,
): Promise<Record<string, unknown> | undefined> {
  const account = await inSystem(services.db, (tx) => findAccountKind(tx, accountId));
  if (account?.kind !== 'operator') return undefined;
  const e = ctx.oidc.entities;
  const amr = e.AuthorizationCode?.amr ?? e.RefreshToken?.amr ?? [];
  return { kluis_gid: grantId, [OPERATOR_CLAIM]: true, amr };
}
