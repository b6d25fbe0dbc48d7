/**
 * Consent for interactive API clients (ADR 0017): what the page shows, and the person's answer
 * recorded in the client's business. The grant itself is the provider's (oidc-provider Grant), so
 * an approval is remembered per grant and asked again only for scopes the grant does not hold.
 */
import { appendAudit } from '../../audit/audit.repo.ts';
import { inTenant } from '../../db/transactions.ts';
import { API_SCOPES, findActiveClient, findClientName } from '../clients/index.ts';
import type { RequestMeta } from './accounts.service.ts';
import { listBusinessesOfUser } from './businesses.service.ts';
import type { IdentityRuntime } from './runtime.ts';

/** What the consent page of one interaction shows. */
export interface ConsentRequest {
  clientId: string;
  tenantId: string;
  clientName: string | undefined;
  businessName: string | undefined;
}

/**
 * The interactive client asking, with its business, when the person is a member of that business;
 * undefined otherwise (an unknown or revoked client, or a person from elsewhere).
 */
export async function loadConsentRequest(
  rt: IdentityRuntime,
  clientId: string,
  userId: string,
): Promise<ConsentRequest | undefined> {
  const client = await findActiveClient(rt.services, clientId);
  if (!client || client.redirectUris.length === 0) return undefined;
  const business = (await listBusinessesOfUser(rt.services, userId)).find((b) => b.id === client.tenantId);
  if (!business) return undefined;
  return {
    clientId,
    tenantId: client.tenantId,
    clientName: await findClientName(rt.services, client.tenantId, clientId),
    businessName: business.name ?? undefined,
  };
}

/** Only API scopes are ever shown or granted, whatever else was asked. */
export const apiScopesOf = (scopes: readonly string[]) =>
  scopes.filter((s) => (API_SCOPES as readonly string[]).includes(s));

/** Audits the person's answer in the client's business. */
export async function recordConsent(
  rt: IdentityRuntime,
  request: ConsentRequest,
  input: { userId: string; granted: boolean; scopes: readonly string[]; grantId?: string },
  meta: RequestMeta,
): Promise<void> {
  const { services } = rt;
  await inTenant(services.db, request.tenantId, async (tx) =>
    appendAudit(tx, await services.keyring.forTenant(tx, request.tenantId), {
      action: input.granted ? 'consent.granted' : 'consent.denied',
      actor: { type: 'user', id: input.userId },
      target: { type: 'api_client', id: request.clientId },
      requestId: meta.requestId,
      ip: meta.ip,
      data: { scopes: input.scopes.join(' '), ...(input.grantId ? { grant: input.grantId } : {}) },
      at: services.clock.now(),
    }),
  );
}
