/**
 * The business's side of support access (issue 6 point 14; ADR 0057): only the owner lets the
 * operator's staff in, read-only, for one hour to seven days, with a reason, optionally for one
 * named operator, and may revoke at any time. Owners and admins see every grant with every access.
 */
import { AppError, type FieldIssue, notFound } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import { HOUR } from '../../clock.ts';
import type { Ctx } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { canManageBusiness } from '../identity/policy.ts';
import {
  findSupportGrant,
  insertSupportGrant,
  listSupportAccesses,
  listSupportGrants,
  markSupportGrantRevoked,
  type SupportAccess,
  type SupportGrant,
} from './support-access.repo.ts';

/** The shortest and longest a grant may last, and what it lasts when the owner does not say. */
export const MIN_HOURS = 1;
export const MAX_HOURS = 7 * 24;
export const DEFAULT_HOURS = 24;
/** The longest reason or ticket reference. */
export const MAX_REASON = 500;
/** How many grants the listing shows (newest first). */
const LIST_LIMIT = 100;

/** What the owner asks for. */
export interface GrantInput {
  hours?: number | undefined;
  reason: string;
  scope?: string | undefined;
  operatorId?: string | null | undefined;
}

/** A grant with its accesses and whether it opens anything now. */
export interface GrantView extends SupportGrant {
  status: 'active' | 'expired' | 'revoked';
  accesses: SupportAccess[];
}

const ownerOnly = () =>
  new AppError('forbidden', 'insufficient_permission', 'Only the owner grants or revokes support access');

function assertOwner(ctx: Ctx): string {
  if (ctx.actor.type !== 'user' || ctx.access?.role !== 'owner' || !ctx.actor.id) throw ownerOnly();
  return ctx.actor.id;
}

const statusOf = (g: SupportGrant, now: Date): GrantView['status'] =>
  g.revokedAt ? 'revoked' : g.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';

/** Checks the owner's input; every problem at once, as 422 with stable codes. */
function validateGrant(input: GrantInput): { hours: number; reason: string; operatorId: string | null } {
  const issues: FieldIssue[] = [];
  const hours = input.hours ?? DEFAULT_HOURS;
  if (!Number.isInteger(hours) || hours < MIN_HOURS || hours > MAX_HOURS) {
    issues.push({
      path: 'hours',
      code: 'support_duration_out_of_range',
      message: `Between ${MIN_HOURS} and ${MAX_HOURS} hours`,
    });
  }
  const reason = input.reason.trim();
  if (reason.length === 0)
    issues.push({ path: 'reason', code: 'support_reason_required', message: 'Say why' });
  if (reason.length > MAX_REASON) {
    issues.push({
      path: 'reason',
      code: 'support_reason_too_long',
      message: `At most ${MAX_REASON} characters`,
    });
  }
  if (input.scope !== undefined && input.scope !== 'read') {
    issues.push({ path: 'scope', code: 'support_scope_unsupported', message: 'Only read access exists' });
  }
  const operatorId = input.operatorId ?? null;
  if (operatorId !== null && !isUuid(operatorId)) {
    issues.push({ path: 'operatorId', code: 'operator_id_invalid', message: 'Not an operator id' });
  }
  if (issues.length > 0) {
    const [first] = issues;
    throw new AppError(
      'unprocessable',
      first?.code ?? 'validation_failed',
      'The grant cannot be made',
      issues,
    );
  }
  return { hours, reason, operatorId };
}

/** The owner lets the operator's staff read the business's records until `hours` from now. */
export async function grantSupportAccess(ctx: Ctx, input: GrantInput): Promise<GrantView> {
  const ownerId = assertOwner(ctx);
  const { hours, reason, operatorId } = validateGrant(input);
  const { db, keyring, clock } = ctx.services;
  const at = clock.now();
  const grant: SupportGrant = {
    id: newId(at),
    scope: 'read',
    reason,
    operatorId,
    grantedBy: ownerId,
    grantedAt: at,
    expiresAt: new Date(at.getTime() + hours * HOUR),
    revokedAt: null,
    revokedBy: null,
    firstUsedAt: null,
  };
  await inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    await insertSupportGrant(tx, keys, grant);
    await appendAudit(tx, keys, {
      action: 'support.granted',
      actor: ctx.actor,
      target: { type: 'support_grant', id: grant.id },
      data: { scope: 'read', hours, operatorId, expiresAt: grant.expiresAt.toISOString() },
      requestId: ctx.requestId,
      ip: ctx.ip,
      at,
    });
  });
  return { ...grant, status: 'active', accesses: [] };
}

/** The owner ends a grant now; revoking one already revoked changes nothing. */
export async function revokeSupportAccess(ctx: Ctx, grantId: string): Promise<GrantView> {
  const ownerId = assertOwner(ctx);
  if (!isUuid(grantId)) throw notFound('support_grant');
  const { db, keyring, clock } = ctx.services;
  const at = clock.now();
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    if (!(await findSupportGrant(tx, keys, grantId))) throw notFound('support_grant');
    if (await markSupportGrantRevoked(tx, ctx.tenantId, grantId, ownerId, at)) {
      await appendAudit(tx, keys, {
        action: 'support.revoked',
        actor: ctx.actor,
        target: { type: 'support_grant', id: grantId },
        requestId: ctx.requestId,
        ip: ctx.ip,
        at,
      });
    }
    const grant = await findSupportGrant(tx, keys, grantId);
    if (!grant) throw notFound('support_grant');
    const accesses = await listSupportAccesses(tx, ctx.tenantId, [grantId]);
    return { ...grant, status: statusOf(grant, at), accesses };
  });
}

/** Every grant of the business, newest first, each with its accesses (owners and admins). */
export async function listSupportAccess(ctx: Ctx): Promise<GrantView[]> {
  if (!canManageBusiness(ctx)) {
    throw new AppError('forbidden', 'insufficient_permission', 'Only owners and admins see support access');
  }
  const { db, keyring, clock } = ctx.services;
  const now = clock.now();
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const grants = await listSupportGrants(tx, keys, LIST_LIMIT);
    const accesses = await listSupportAccesses(
      tx,
      ctx.tenantId,
      grants.map((g) => g.id),
    );
    return grants.map((g) => ({
      ...g,
      status: statusOf(g, now),
      accesses: accesses.filter((a) => a.grantId === g.id),
    }));
  });
}
