/**
 * API clients (integrations) of a business: created with a name and scopes, authenticated with
 * client-credentials, revoked at any time. The secret is 256 random bits shown once; only its
 * SHA-256 is stored — a slow hash adds nothing for a secret that cannot be guessed (ADR 0013).
 * A client registered with redirect URIs is interactive instead: it sends a person through the
 * authorization code flow with PKCE and acts for them after they consent (ADR 0017).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, invalidInput, notFound } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx, Services } from '../../context.ts';
import { inSystemStatement, inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { canManageBusiness } from '../identity/index.ts';
import {
  type ApiClientRecord,
  findClientCredentials,
  insertClient,
  listClients,
  markClientRevoked,
} from './clients.repo.ts';

/** The scopes an API client can be given. */
export const API_SCOPES = [
  'customers:read',
  'customers:write',
  'products:read',
  'products:write',
  'invoices:read',
  'invoices:write',
  'quotes:read',
  'quotes:write',
  'payments:read',
  'payments:write',
  'reports:read',
  // The audit log's searchable view (GET /api/v1/audit-events); never its export.
  'audit:read',
] as const;

/** An active client, as token issuance and the API need it. */
export interface ActiveClient {
  id: string;
  tenantId: string;
  scopes: string[];
  /** Non-empty for interactive clients. */
  redirectUris: string[];
}

/** The redirect URIs an interactive client may have: https anywhere, plain http on loopback only. */
export function isAllowedRedirectUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.hash || url.username || url.password || /\s/.test(value) || value.length > 500) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

const forbidden = () => new AppError('forbidden', 'not_allowed', 'Only owners and admins manage API clients');

const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

/** Creates a client and returns its id and secret; the secret is never shown again. */
export async function createApiClient(
  ctx: Ctx,
  input: { name: string; scopes: readonly string[]; redirectUris?: readonly string[] | undefined },
): Promise<{ clientId: string; clientSecret: string }> {
  if (!canManageBusiness(ctx)) throw forbidden();
  const name = input.name.trim();
  const issues = [];
  if (name.length < 1 || name.length > 100) {
    issues.push({ path: 'name', code: 'name_length', message: 'A name has 1 to 100 characters' });
  }
  const unknown = input.scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || input.scopes.length === 0) {
    issues.push({
      path: 'scopes',
      code: 'unknown_scope',
      message: `Choose one or more of ${API_SCOPES.join(', ')}`,
    });
  }
  const redirectUris = [...new Set(input.redirectUris ?? [])];
  if (redirectUris.length > 10 || redirectUris.some((u) => !isAllowedRedirectUri(u))) {
    issues.push({
      path: 'redirectUris',
      code: 'redirect_uri_invalid',
      message: 'Up to 10 redirect URIs, each https (or http on 127.0.0.1, [::1] or localhost), no fragment',
    });
  }
  if (issues.length > 0) throw invalidInput(issues);
  const scopes = [...new Set(input.scopes)];
  const { db, keyring, clock } = ctx.services;
  const clientSecret = `kls_${randomBytes(32).toString('base64url')}`;
  const at = clock.now();
  const clientId = newId(at);
  await inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    await insertClient(tx, keys, {
      id: clientId,
      name,
      secretHash: hashSecret(clientSecret),
      scopes,
      redirectUris,
      at,
    });
    await appendAudit(tx, keys, {
      action: 'client.created',
      actor: ctx.actor,
      target: { type: 'api_client', id: clientId },
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { scopes: scopes.join(' '), interactive: redirectUris.length > 0 },
      at,
    });
  });
  return { clientId, clientSecret };
}

/** Revokes a client: its secret stops working and so do the tokens it already holds. */
export async function revokeApiClient(ctx: Ctx, clientId: string): Promise<void> {
  if (!canManageBusiness(ctx)) throw forbidden();
  if (!isUuid(clientId)) throw notFound('api_client');
  const { db, keyring, clock } = ctx.services;
  await inTenant(db, ctx.tenantId, async (tx) => {
    const at = clock.now();
    if (!(await markClientRevoked(tx, ctx.tenantId, clientId, at))) throw notFound('api_client');
    await appendAudit(tx, await keyring.forTenant(tx, ctx.tenantId), {
      action: 'client.revoked',
      actor: ctx.actor,
      target: { type: 'api_client', id: clientId },
      requestId: ctx.requestId,
      ip: ctx.ip,
      at,
    });
  });
}

/** Lists the business's clients (names decrypted, never secrets). */
export async function listApiClients(ctx: Ctx): Promise<ApiClientRecord[]> {
  if (!canManageBusiness(ctx)) throw forbidden();
  const { db, keyring } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => listClients(tx, await keyring.forTenant(tx, ctx.tenantId)));
}

/** The client if it exists and is not revoked. */
export async function findActiveClient(
  services: Services,
  clientId: string,
): Promise<ActiveClient | undefined> {
  if (!isUuid(clientId)) return undefined;
  const found = await inSystemStatement(services.db, (q) => findClientCredentials(q, clientId));
  if (!found || found.revokedAt !== null) return undefined;
  return { id: clientId, tenantId: found.tenantId, scopes: found.scopes, redirectUris: found.redirectUris };
}

/** True when `secret` is the active client's secret (constant-time on the hashes). */
export async function verifyClientSecret(
  services: Services,
  clientId: string,
  secret: string,
): Promise<boolean> {
  if (!isUuid(clientId)) return false;
  const found = await inSystemStatement(services.db, (q) => findClientCredentials(q, clientId));
  if (!found || found.revokedAt !== null) return false;
  return timingSafeEqual(found.secretHash, hashSecret(secret));
}

/** The client's name for the consent page (decrypted in its business), or undefined. */
export async function findClientName(
  services: Services,
  tenantId: string,
  clientId: string,
): Promise<string | undefined> {
  const { db, keyring } = services;
  const list = await inTenant(db, tenantId, async (tx) =>
    listClients(tx, await keyring.forTenant(tx, tenantId)),
  );
  return list.find((c) => c.id === clientId)?.name;
}
