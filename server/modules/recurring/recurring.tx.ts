/**
 * The frame every recurring use case runs in: one tenant transaction with the tenant's keys and one
 * moment, and the audit event appended inside it (STYLE rule 3).
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
  /** Appends an audit event about schedule `id`; data holds ids, dates, codes and counts only. */
  record(
    action: AuditAction,
    id: string,
    data?: Record<string, string | number | boolean | null>,
  ): Promise<void>;
}

/** Runs `fn` in one tenant transaction with the tenant's keys. */
export async function inRecurringTx<T>(ctx: Ctx, fn: (step: Step) => Promise<T>): Promise<T> {
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const at = clock.now();
    return fn({
      tx,
      keys,
      at,
      async record(action, id, data) {
        await appendAudit(tx, keys, {
          action,
          actor: ctx.actor,
          target: { type: 'recurring_invoice', id },
          requestId: ctx.requestId,
          ip: ctx.ip,
          ...(data ? { data } : {}),
          at,
        });
      },
    });
  });
}
