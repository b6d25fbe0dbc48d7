/**
 * Wires identity into the app: which issuer the API trusts (the embedded provider at /oidc, or an
 * external one when OIDC_ISSUER is set, which turns the embedded one off), the authentication hook
 * for /api, and the identity routes.
 */
import type { App } from '../app.ts';
import type { Services } from '../context.ts';
import { type ClaimMapping, EMBEDDED_CLAIMS } from '../modules/identity/access.service.ts';
import { meRoutes } from '../modules/identity/me.routes.ts';
import { loadSigningKeys } from '../modules/identity/signing-keys.ts';
import { type ApiRoute, installApiAuth } from './auth.ts';
import { createTokenVerifier } from './auth-tokens.ts';

/** How identity is set up for one process. */
export interface IdentityOptions {
  /** The URL people use to reach Kluis; the embedded issuer is `${publicUrl}/oidc`. */
  publicUrl: string;
  /** An external issuer the API trusts instead of the embedded provider. */
  external?:
    | { issuer: string; audience: string; jwksUrl: string | undefined; claims: ClaimMapping }
    | undefined;
}

/** The embedded provider's issuer and the API's audience for a public URL. */
export function embeddedIssuer(publicUrl: string): { issuer: string; audience: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return { issuer: `${base}/oidc`, audience: `${base}/api` };
}

/** Installs authentication and the identity routes; returns the inventory of /api routes. */
export async function setupIdentity(
  app: App,
  services: Services,
  options: IdentityOptions,
): Promise<ApiRoute[]> {
  const ext = options.external;
  const verifier = ext
    ? createTokenVerifier({
        issuer: ext.issuer,
        audience: ext.audience,
        keys: { kind: 'remote', jwksUrl: ext.jwksUrl },
        clock: services.clock,
      })
    : createTokenVerifier({
        ...embeddedIssuer(options.publicUrl),
        keys: {
          kind: 'local',
          load: async () => ({ keys: (await loadSigningKeys(services)).map((k) => k.publicJwk) }),
        },
        clock: services.clock,
      });
  const inventory = installApiAuth(app, services, {
    verifier,
    claims: ext ? ext.claims : EMBEDDED_CLAIMS,
  });
  meRoutes(app, services);
  return inventory;
}
