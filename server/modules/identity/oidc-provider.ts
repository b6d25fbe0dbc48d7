/**
 * The embedded OpenID Connect provider (oidc-provider), configured for Kluis:
 * - the web app is a public client that must use the authorization code with PKCE (S256);
 *   its refresh tokens rotate on every use;
 * - API clients of businesses use client-credentials; their metadata comes from api_clients and
 *   their secrets are compared by hash (clients.service.ts), never stored in clear; a client with
 *   redirect URIs is interactive instead (code + PKCE, secret at the token endpoint), and acts for
 *   a person of its business after they consent;
 * - every access token is a JWT (RFC 9068) for the one resource, the Kluis API, signed with the
 *   current deployment key and carrying the business (`kluis_tenant`);
 * - state lives in the database (oidc-adapter.ts); signing keys are sealed (signing-keys.ts).
 */
import Provider, { type AdapterPayload, type Configuration, errors } from 'oidc-provider';
import type { Services } from '../../context.ts';
import { inSystem } from '../../db/transactions.ts';
import { API_SCOPES, findActiveClient, verifyClientSecret } from '../clients/index.ts';
import { recordInEachBusiness } from './accounts.service.ts';
import { businessOfGrant } from './businesses.service.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';
import { listMembershipsOfUser } from './memberships.repo.ts';
import { databaseAdapter, purgeExpiredPayloads } from './oidc-adapter.ts';
import { operatorClaims } from './operator-claims.ts';
import { errorPage, pickLang, signedOutPage, signOutPage } from './pages.ts';
import type { IdentityRuntime } from './runtime.ts';
import { loadSigningKeys, SIGNING_ALG } from './signing-keys.ts';
import { findUserById } from './users.repo.ts';

/** The web app's client id: a public client (no secret), code + PKCE only. */
export const WEB_CLIENT_ID = 'kluis-web';
/** Lifetimes in seconds; access tokens are short because the API caches them until expiry. */
export const TTL = {
  AccessToken: 600,
  ClientCredentials: 600,
  AuthorizationCode: 60,
  IdToken: 600,
  RefreshToken: 14 * 24 * 3600,
  Interaction: 3600,
  Session: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
} as const;

/** Where the provider lives and what it protects. */
export interface ProviderOptions {
  issuer: string;
  audience: string;
  publicUrl: string;
  trustProxy: boolean;
}

/** The authorization parameter with which the web app asks for tokens of one business. */
export const BUSINESS_PARAM = 'kluis_business';

/**
 * The business a user's tokens are for: the one bound to their grant at sign-in (chosen, requested
 * with `kluis_business`, or their only one). Grants from before business choice fall back to the
 * first membership.
 */
async function tenantOfUser(services: Services, userId: string, grantId: string | undefined) {
  const bound = grantId ? await businessOfGrant(services, grantId) : undefined;
  if (bound) return bound;
  const list = await inSystem(services.db, (tx) => listMembershipsOfUser(tx, userId));
  return list[0]?.tenantId;
}

/** Builds the provider; call once per process. */
export async function createProvider(rt: IdentityRuntime, options: ProviderOptions): Promise<Provider> {
  const { services } = rt;
  await purgeExpiredPayloads(services);
  const keys = await loadSigningKeys(services);
  const currentKid = keys[0]?.kid;
  const cookieKey = (await getDeploymentSecret(services, 'oidc-cookie-key')).toString('base64url');
  const apiScope = API_SCOPES.join(' ');

  const findClient = async (id: string): Promise<AdapterPayload | undefined> => {
    const client = await findActiveClient(services, id);
    if (!client) return undefined;
    const interactive = client.redirectUris.length > 0;
    return {
      client_id: id,
      // Never compared: compareClientSecret below checks the presented secret against the hash.
      client_secret: 'stored-as-hash',
      grant_types: interactive ? ['authorization_code'] : ['client_credentials'],
      response_types: interactive ? ['code'] : [],
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: 'client_secret_basic',
      scope: (interactive ? ['openid', ...client.scopes] : client.scopes).join(' '),
      kluis_tenant: client.tenantId,
    };
  };

  const configuration: Configuration = {
    adapter: databaseAdapter(services, findClient),
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${options.publicUrl}/auth/callback`],
        post_logout_redirect_uris: [`${options.publicUrl}/`],
      },
    ],
    extraClientMetadata: { properties: ['kluis_tenant'] },
    extraParams: [BUSINESS_PARAM],
    // A person's grant is for one business. Asking for another (kluis_business) or holding a grant
    // bound to none sends the request through the consent step, which binds a new grant; the old
    // grant and its tokens stay valid for their own business (another tab may use them).
    loadExistingGrant: async (ctx) => {
      const o = ctx.oidc;
      const chosen = o.result?.consent?.grantId;
      if (chosen) return o.provider.Grant.find(chosen);
      const grantId = o.session?.grantIdFor(o.client?.clientId ?? '');
      if (!grantId) return undefined;
      const grant = await o.provider.Grant.find(grantId);
      if (!grant || o.client?.clientId !== WEB_CLIENT_ID) return grant;
      const bound = await businessOfGrant(services, grantId);
      const requested = o.params?.[BUSINESS_PARAM];
      if (!bound || (typeof requested === 'string' && requested !== bound)) return undefined;
      return grant;
    },
    // The deployment has EC keys only; the library's default would be RS256.
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    jwks: { keys: keys.map((k) => k.privateJwk) as never },
    cookies: { keys: [cookieKey], long: { signed: true }, short: { signed: true } },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', ...API_SCOPES],
    claims: { openid: ['sub'] },
    ttl: { ...TTL },
    rotateRefreshToken: () => true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    conformIdTokenClaims: true,
    // Only the web app's own origin may call the provider from a browser (its token requests carry
    // an Origin header even though they are same-origin); no other site, and no other client.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === WEB_CLIENT_ID && origin === new URL(options.publicUrl).origin,
    interactions: { url: (_ctx, interaction) => `/auth/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const keys = await rt.userKeys();
      const user = await inSystem(services.db, (tx) => findUserById(tx, keys, sub));
      if (user?.status !== 'active') return undefined;
      return { accountId: sub, claims: async () => ({ sub }) };
    },
    renderError: async (ctx) => {
      ctx.type = 'html';
      ctx.body = errorPage(pickLang(undefined, ctx.get('accept-language')), 'other');
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = signOutPage(pickLang(undefined, ctx.get('accept-language')), form);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = signedOutPage(pickLang(undefined, ctx.get('accept-language')));
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== options.audience) throw new errors.InvalidTarget();
          return {
            scope: apiScope,
            audience: options.audience,
            accessTokenTTL: TTL.AccessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG, ...(currentKid ? { kid: currentKid } : {}) } },
          };
        },
      },
    },
    extraTokenClaims: async (ctx, token) => {
      const client = ctx.oidc.client;
      const accountId = 'accountId' in token ? token.accountId : undefined;
      // User tokens name their grant, so the API can refuse them once the grant is revoked.
      const grantId = 'grantId' in token ? token.grantId : undefined;
      const tenant =
        client && client.clientId !== WEB_CLIENT_ID
          ? (client.metadata() as { kluis_tenant?: string }).kluis_tenant
          : accountId
            ? await tenantOfUser(services, accountId, grantId)
            : undefined;
      if (!tenant)
        return accountId && grantId ? operatorClaims(services, ctx, accountId, grantId) : undefined;
      return accountId && grantId ? { kluis_tenant: tenant, kluis_gid: grantId } : { kluis_tenant: tenant };
    },
  };

  const provider = new Provider(options.issuer, configuration);
  // Revoked grants (sign-out, revocation, a replayed refresh token) are audited in the person's
  // businesses; the provider has already committed the revocation, so this follows it.
  provider.on('grant.revoked', (ctx, grantId) => {
    const o = ctx.oidc;
    const accountId =
      o?.session?.accountId ?? o?.entities.RefreshToken?.accountId ?? o?.entities.AccessToken?.accountId;
    if (!accountId) return;
    void recordInEachBusiness(
      rt,
      accountId,
      'user.tokens_revoked',
      { ip: ctx.ip, requestId: null },
      {
        grant: grantId,
      },
    ).catch((err: unknown) => services.log.error({ err }, 'auditing a revoked grant failed'));
  });
  provider.proxy = options.trustProxy;
  // API client secrets are stored as SHA-256 only (ADR 0013): compare by hash, in constant time.
  provider.Client.prototype.compareClientSecret = async function compare(actual: string) {
    return verifyClientSecret(services, this.clientId, actual);
  };
  return provider;
}
