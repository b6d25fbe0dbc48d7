/**
 * Wires identity into the app: which issuer the API trusts (the embedded provider at /oidc, or an
 * external one when OIDC_ISSUER is set, which turns the embedded one off), the authentication hook
 * for /api, and the identity routes.
 */

import type Provider from 'oidc-provider';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Services } from '../context.ts';
import { clientsRoutes } from '../modules/clients/clients.routes.ts';
import { type ClaimMapping, EMBEDDED_CLAIMS } from '../modules/identity/access.service.ts';
import { interactionRoutes } from '../modules/identity/interaction.routes.ts';
import { invitationRoutes } from '../modules/identity/invitation.routes.ts';
import { meRoutes } from '../modules/identity/me.routes.ts';
import { membersRoutes } from '../modules/identity/members.routes.ts';
import { createProvider } from '../modules/identity/oidc-provider.ts';
import { passkeyLoginRoutes } from '../modules/identity/passkey-login.routes.ts';
import { recoveryRoutes } from '../modules/identity/recovery.routes.ts';
import { createIdentityRuntime } from '../modules/identity/runtime.ts';
import { loadSigningKeys } from '../modules/identity/signing-keys.ts';
import { twoFactorRoutes } from '../modules/identity/two-factor.routes.ts';
import { type ApiRoute, installApiAuth } from './auth.ts';
import { mountProvider } from './auth-oidc.ts';
import { createTokenVerifier } from './auth-tokens.ts';

/** How identity is set up for one process. */
export interface IdentityOptions {
  /** The URL people use to reach Kluis; the embedded issuer is `${publicUrl}/oidc`. */
  publicUrl: string;
  /** Trust X-Forwarded-* (a TLS-terminating proxy in front). */
  trustProxy?: boolean;
  /** An external issuer the API trusts instead of the embedded provider. */
  external?:
    | { issuer: string; audience: string; jwksUrl: string | undefined; claims: ClaimMapping }
    | undefined;
}

/** Identity options from the configuration: the external issuer when OIDC_ISSUER is set. */
export function identityOptionsFrom(config: Config): IdentityOptions {
  const o = config.oidc;
  return {
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    external: o
      ? {
          issuer: o.issuer,
          audience: o.audience,
          jwksUrl: o.jwksUrl,
          claims: { tenantClaim: o.tenantClaim, roleClaim: o.roleClaim, scopeClaim: o.scopeClaim },
        }
      : undefined,
  };
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
    // Embedded user tokens name their grant: signing out revokes it, and the tokens stop with it.
    // Second factors of an external issuer's users are that issuer's business.
    checks: { embedded: !ext },
  });
  meRoutes(app, services);
  // With an external issuer the embedded provider is off: /oidc then answers 404 like any unknown path.
  if (!ext) {
    const rt = createIdentityRuntime(services, options.publicUrl);
    let pending: Promise<Provider> | undefined;
    // Built on first use: the provider needs the database, and the app must start before migration.
    const getProvider = () => {
      pending ??= createProvider(rt, {
        ...embeddedIssuer(options.publicUrl),
        publicUrl: options.publicUrl.replace(/\/+$/, ''),
        trustProxy: options.trustProxy ?? false,
      }).catch((e: unknown) => {
        pending = undefined;
        throw e;
      });
      return pending;
    };
    await mountProvider(app, getProvider, services);
    await interactionRoutes(app, rt, getProvider);
    await recoveryRoutes(app, rt);
    await invitationRoutes(app, rt);
    passkeyLoginRoutes(app, rt, getProvider);
    twoFactorRoutes(app, rt);
    membersRoutes(app, rt);
    clientsRoutes(app, services);
  }
  return inventory;
}
