/**
 * The frame every invoice use case runs in: one tenant transaction with the tenant's keys and one
 * moment in time, and the audit event appended inside it (STYLE rule 3).
 */
import { appendAudit } from '../../audit/audit.repo.ts';
import type { AuditAction } from '../../audit/catalogue.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';

/** What a use case body receives. */
export interface Step {
  tx: Tx;
  keys: TenantKeys;
  at: Date;
  /** Appends an audit event about `id` in this transaction; data holds ids, codes and counts only. */
  record(
    action: AuditAction,
    type: 'invoice' | 'invoice_settings',
    id: string,
    data?: Record<string, string | number | boolean | null>,
  ): Promise<void>;
}

/** Runs `fn` in one tenant transaction with the tenant's keys. */
export async function inInvoiceTx<T>(ctx: Ctx, fn: (step: Step) => Promise<T>): Promise<T> {
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) =>
    stepIn(ctx, tx, await keyring.forTenant(tx, ctx.tenantId), clock.now(), fn),
  );
}

/** Runs `fn` inside an already open tenant transaction (used by the crash fixture and by composite use cases). */
export async function stepIn<T>(
  ctx: Ctx,
  tx: Tx,
  keys: TenantKeys,
  at: Date,
  fn: (step: Step) => Promise<T>,
): Promise<T> {
  return fn({
    tx,
    keys,
    at,
    async record(action, type, id, data) {
      await appendAudit(tx, keys, {
        action,
        actor: ctx.actor,
        target: { type, id },
        requestId: ctx.requestId,
        ip: ctx.ip,
        ...(data ? { data } : {}),
        at,
      });
    },
  });
}
