/**
 * The operator's side of support access (ADR 0057): before any read of a business's records, the
 * grant is checked against the service clock and the access is recorded — on the business's chain
 * (`support.accessed`: which operator, which grant, what is read) and on the platform chain
 * (`platform.support_accessed`) in ONE transaction, so no read happens unrecorded. The read itself
 * then runs through the business's own use cases with a `support` actor, whose policy allows
 * reading only. No grant, an expired or revoked one, one for another operator, and an unknown
 * business all answer the same 403, so a probe learns nothing about which businesses exist.
 */
import { AppError } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx, Services } from '../../context.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { isUuid } from '../../ids.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import { appendPlatformAudit, platformAuditKeys } from '../identity/platform-audit.ts';
import {
  findOpenSupportGrant,
  listLiveTenantIds,
  listOpenSupportGrants,
  markSupportGrantUsed,
} from './support-access.repo.ts';

/** The job that mails the business's contact when a grant is used for the first time. */
export const FIRST_USE_JOB = 'support_access.first_used';

/** What an operator reads: a kind of record, and its id when it is one record. */
export interface SupportRead {
  resource: 'customers' | 'customer' | 'invoices' | 'invoice';
  recordId?: string;
}

/** Who asks, from where. */
export interface SupportCaller {
  operatorId: string;
  requestId: string | null;
  ip: string | null;
}

/** The one answer for every refusal, whatever the reason. */
export const notGranted = () =>
  new AppError('forbidden', 'support_access_not_granted', 'This business has not granted you support access');

/**
 * Checks the grant, records the access on both chains, and returns the context the business's
 * use cases run in: the operator as a `support` actor with no role and no scopes (policy.ts gives
 * `support` the read permissions only).
 */
export async function openSupportAccess(
  services: Services,
  tenantId: string,
  caller: SupportCaller,
  read: SupportRead,
): Promise<Ctx> {
  if (!isUuid(tenantId) || !isUuid(caller.operatorId)) throw notGranted();
  const { db, keyring, clock } = services;
  const at = clock.now();
  const platformKeys = await platformAuditKeys(services);
  const recordId = read.recordId !== undefined && isUuid(read.recordId) ? read.recordId : null;
  const granted = await inTenant(db, tenantId, async (tx) => {
    const grant = await findOpenSupportGrant(tx, tenantId, caller.operatorId, at);
    if (!grant) return undefined;
    const keys = await keyring.forTenant(tx, tenantId);
    const data = { grantId: grant.id, resource: read.resource, recordId };
    await appendAudit(tx, keys, {
      action: 'support.accessed',
      actor: { type: 'support', id: caller.operatorId },
      target: { type: 'support_grant', id: grant.id },
      data: { resource: read.resource, recordId },
      requestId: caller.requestId,
      ip: caller.ip,
      at,
    });
    if (await markSupportGrantUsed(tx, tenantId, grant.id, at)) {
      await enqueueJob(tx, {
        kind: FIRST_USE_JOB,
        key: `${FIRST_USE_JOB}:${tenantId}:${grant.id}`,
        payload: { tenantId, grantId: grant.id, operatorId: caller.operatorId },
        runAt: at,
        now: at,
      });
    }
    // Last: this switches the transaction to the platform chain.
    await appendPlatformAudit(tx, platformKeys, {
      action: 'platform.support_accessed',
      actor: { type: 'operator', id: caller.operatorId },
      target: { type: 'tenant', id: tenantId },
      data,
      at,
    });
    return grant;
  });
  if (!granted) throw notGranted();
  return {
    tenantId,
    actor: { type: 'support', id: caller.operatorId },
    access: { role: null, scopes: [] },
    requestId: caller.requestId,
    ip: caller.ip,
    services,
  };
}

/** A grant an operator may use now: which business, until when; nothing of the business's content. */
export interface OpenGrant {
  tenantId: string;
  grantId: string;
  expiresAt: Date;
  /** True when the grant names this operator; false when it is for any staff member. */
  named: boolean;
}

/**
 * The grants that let `operatorId` in now, across businesses, soonest to expire first, so staff
 * know where they may look. Each business is read in its own tenant transaction (forced RLS
 * allows no other way); ids and times only, so listing is not an access and is not audited.
 */
export async function listMySupportGrants(services: Services, operatorId: string): Promise<OpenGrant[]> {
  const { db, clock } = services;
  const now = clock.now();
  const tenantIds = await inSystem(db, listLiveTenantIds);
  const found: OpenGrant[] = [];
  for (const tenantId of tenantIds) {
    const open = await inTenant(db, tenantId, (tx) => listOpenSupportGrants(tx, tenantId, operatorId, now));
    for (const g of open) {
      found.push({ tenantId, grantId: g.id, expiresAt: g.expiresAt, named: g.operatorId === operatorId });
    }
  }
  return found.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
}
