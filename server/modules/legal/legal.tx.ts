/**
 * The frame of the privacy center's use cases: one tenant transaction with the tenant's keys and
 * one moment, the audit event appended inside it, and the owner-or-admin rule (deny by default).
 */
import { AppError } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { AuditAction } from '../../audit/catalogue.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { canManageBusiness } from '../identity/index.ts';

/** What a use case body receives. */
export interface LegalStep {
  tx: Tx;
  keys: TenantKeys;
  at: Date;
  /** Appends an audit event in this transaction; data holds ids, codes and counts only. */
  record(
    action: AuditAction,
    target: { type: string; id: string },
    data?: Record<string, string | number | boolean | null>,
  ): Promise<void>;
}

/** Runs `fn` in one tenant transaction with the tenant's keys. */
export async function inLegalTx<T>(ctx: Ctx, fn: (step: LegalStep) => Promise<T>): Promise<T> {
  const { db, keyring, clock } = ctx.services;
  const at = clock.now();
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    return fn({
      tx,
      keys,
      at,
      async record(action, target, data) {
        await appendAudit(tx, keys, {
          action,
          actor: ctx.actor,
          target,
          requestId: ctx.requestId,
          ip: ctx.ip,
          ...(data ? { data } : {}),
          at,
        });
      },
    });
  });
}

/** Throws 403 unless the caller is an owner or admin of the business (or the system). */
export function requireManager(ctx: Ctx, what: string): void {
  if (!canManageBusiness(ctx)) {
    throw new AppError('forbidden', 'insufficient_permission', `Only owners and admins ${what}`);
  }
}

/** Throws 403 unless the caller is a person who belongs to the business (any role), or the system. */
export function requireMember(ctx: Ctx): void {
  if (ctx.actor.type === 'system') return;
  if (ctx.actor.type !== 'user' || !ctx.access?.role) {
    throw new AppError('forbidden', 'insufficient_permission', 'Only members of the business read this');
  }
}
