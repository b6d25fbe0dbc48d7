/**
 * Test helpers for identity: members without the sign-up flow, and access tokens signed with the
 * deployment's own signing key (exactly what the embedded provider would issue).
 */
import { importJWK, type JWTPayload, SignJWT } from 'jose';
import type { Role, Services } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { embeddedIssuer } from '../../http/auth-setup.ts';
import { newId } from '../../ids.ts';
import { insertMembership } from './memberships.repo.ts';
import { loadSigningKeys } from './signing-keys.ts';

/** The public URL tests build the app with (the default of buildApp). */
export const TEST_PUBLIC_URL = 'http://localhost:5005';

/** Adds a member with `role` to a business and returns the new user id. */
export async function addMember(services: Services, tenantId: string, role: Role): Promise<string> {
  const userId = newId(services.clock.now());
  await inTenant(services.db, tenantId, (tx) =>
    insertMembership(tx, tenantId, userId, role, services.clock.now()),
  );
  return userId;
}

/** Signs an access token with the current embedded key; `claims` and `header` override the defaults. */
export async function mintAccessToken(
  services: Services,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const [key] = await loadSigningKeys(services);
  if (!key) throw new Error('no signing key');
  const nowS = Math.floor(services.clock.now().getTime() / 1000);
  const { issuer, audience } = embeddedIssuer(TEST_PUBLIC_URL);
  return new SignJWT({
    iss: issuer,
    aud: audience,
    iat: nowS,
    exp: nowS + 600,
    client_id: 'kluis-web',
    scope: 'openid',
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...header })
    .sign(await importJWK(key.privateJwk, 'ES256'));
}
