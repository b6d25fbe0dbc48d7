/**
 * Turns a verified access token into who may do what in which business. The business comes from
 * the token (set by the issuer, never by the request); a user's role comes from the memberships
 * table of that business (or, for an external issuer configured so, from a mapped claim); a
 * client must still exist and not be revoked, so revoking it stops its tokens at once. A token an
 * interactive client holds for a person (after consent) acts as that client, with only the scopes
 * the person approved, that the client has, and that the person's role allows (ADR 0017).
 */
import type { JWTPayload } from 'jose';
import { AppError } from '../../../domain/errors.ts';
import type { Access, Actor, Services } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid } from '../../ids.ts';
import { findActiveClient } from '../clients/index.ts';
import { findRole, isRole } from './memberships.repo.ts';
import { grantExists } from './oidc-adapter.ts';
import { hasConfirmedTotp, hasPasskeyRow, isTwoFactorRequired } from './two-factor.repo.ts';

/** Which claims carry the business, the role and the scopes. */
export interface ClaimMapping {
  tenantClaim: string;
  /** Only for an external issuer that states roles itself; otherwise the memberships table decides. */
  roleClaim: string | undefined;
  scopeClaim: string;
}

/** The claim names of the embedded provider. */
export const EMBEDDED_CLAIMS: ClaimMapping = {
  tenantClaim: 'kluis_tenant',
  roleClaim: undefined,
  scopeClaim: 'scope',
};

/** An authenticated caller of the API. */
export interface Principal {
  actor: Actor & { type: 'user' | 'client'; id: string };
  tenantId: string;
  access: Access;
  /** The business requires a second factor and this user has none yet: only enrolment is open. */
  needsTwoFactor: boolean;
}

/** What only the embedded provider's tokens allow checking (grants and second factors live in Kluis). */
export interface PrincipalChecks {
  /** User tokens name a grant that must still exist, and the business's 2FA rule applies. */
  embedded?: boolean;
}

const rejected = () => new AppError('unauthenticated', 'token_invalid', 'The access token is not valid');

function scopesOf(claims: JWTPayload, claim: string): string[] {
  const raw = claims[claim];
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/** Resolves the caller of a verified token, or throws 401/403. */
export async function resolvePrincipal(
  services: Services,
  claims: JWTPayload,
  mapping: ClaimMapping,
  checks: PrincipalChecks = {},
): Promise<Principal> {
  const tenantId = claims[mapping.tenantClaim];
  const sub = claims.sub;
  if (typeof tenantId !== 'string' || !isUuid(tenantId) || typeof sub !== 'string') throw rejected();
  const scopes = scopesOf(claims, mapping.scopeClaim);
  // RFC 9068: without a resource owner, sub is the client itself (client-credentials).
  if (claims.client_id === sub) {
    const client = await findActiveClient(services, sub);
    if (!client || client.tenantId !== tenantId) throw rejected();
    return {
      actor: { type: 'client', id: sub },
      tenantId,
      access: { role: null, scopes: scopes.filter((s) => client.scopes.includes(s)) },
      needsTwoFactor: false,
    };
  }
  if (checks.embedded && typeof claims.client_id === 'string' && isUuid(claims.client_id)) {
    return delegatedPrincipal(services, claims.client_id, sub, tenantId, claims.kluis_gid, scopes);
  }
  if (mapping.roleClaim !== undefined) {
    const role = claims[mapping.roleClaim];
    if (!isRole(role)) throw new AppError('forbidden', 'membership_missing', 'No role in this business');
    return { actor: { type: 'user', id: sub }, tenantId, access: { role, scopes }, needsTwoFactor: false };
  }
  if (!isUuid(sub))
    throw new AppError('forbidden', 'membership_missing', 'You are not a member of this business');
  const grantId = claims.kluis_gid;
  // One transaction for everything a request needs to know, so authentication costs one round trip.
  const found = await inTenant(services.db, tenantId, async (tx) => {
    if (checks.embedded && typeof grantId === 'string' && !(await grantExists(tx, grantId))) return 'revoked';
    const role = await findRole(tx, tenantId, sub);
    if (!role) return undefined;
    const needsTwoFactor =
      checks.embedded === true &&
      (await isTwoFactorRequired(tx, tenantId)) &&
      !((await hasConfirmedTotp(tx, sub)) || (await hasPasskeyRow(tx, sub)));
    return { role, needsTwoFactor };
  });
  if (found === 'revoked') throw rejected();
  if (!found) throw new AppError('forbidden', 'membership_missing', 'You are not a member of this business');
  return {
    actor: { type: 'user', id: sub },
    tenantId,
    access: { role: found.role, scopes },
    needsTwoFactor: found.needsTwoFactor,
  };
}

/**
 * A person's token held by an interactive API client: the client must be active and of this
 * business, the grant live, the person a member. It acts as the client (never with a role, so
 * nothing that needs an owner or admin is open to it), with the approved scopes its client has;
 * a viewer's approval carries reading only.
 */
async function delegatedPrincipal(
  services: Services,
  clientId: string,
  sub: string,
  tenantId: string,
  grantId: unknown,
  scopes: string[],
): Promise<Principal> {
  const client = await findActiveClient(services, clientId);
  if (!client || client.tenantId !== tenantId || client.redirectUris.length === 0) throw rejected();
  if (!isUuid(sub) || typeof grantId !== 'string') throw rejected();
  const found = await inTenant(services.db, tenantId, async (tx) => {
    if (!(await grantExists(tx, grantId))) return 'revoked';
    const role = await findRole(tx, tenantId, sub);
    if (!role) return undefined;
    const needsTwoFactor =
      (await isTwoFactorRequired(tx, tenantId)) &&
      !((await hasConfirmedTotp(tx, sub)) || (await hasPasskeyRow(tx, sub)));
    return { role, needsTwoFactor };
  });
  if (found === 'revoked') throw rejected();
  if (!found) throw new AppError('forbidden', 'membership_missing', 'You are not a member of this business');
  const allowed = scopes.filter(
    (s) => client.scopes.includes(s) && (found.role !== 'viewer' || s.endsWith(':read')),
  );
  return {
    actor: { type: 'client', id: clientId },
    tenantId,
    access: { role: null, scopes: allowed },
    needsTwoFactor: found.needsTwoFactor,
  };
}
