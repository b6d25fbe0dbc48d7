/**
 * The frame every quote use case runs in: one tenant transaction with the tenant's keys, one moment
 * in time and the Dutch calendar date it falls on (which decides expiry), and the audit event
 * appended inside it (STYLE rule 3).
 */
import { appendAudit } from '../../audit/audit.repo.ts';
import type { AuditAction } from '../../audit/catalogue.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { dutchDate } from '../invoices/index.ts';

/** What a use case body receives. */
export interface QuoteStep {
  tx: Tx;
  keys: TenantKeys;
  at: Date;
  /** Today in the Netherlands at `at`: a quote is valid through its `validUntil` day. */
  today: string;
  /** Appends an audit event about quote `id`; data holds ids, codes and counts only. */
  record(action: AuditAction, id: string, data?: Record<string, string | number>): Promise<void>;
}

/** Runs `fn` in one tenant transaction with the tenant's keys. */
export async function inQuoteTx<T>(ctx: Ctx, fn: (step: QuoteStep) => Promise<T>): Promise<T> {
  const { db, keyring, clock } = ctx.services;
  const at = clock.now();
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    return fn({
      tx,
      keys,
      at,
      today: dutchDate(at),
      async record(action, id, data) {
        await appendAudit(tx, keys, {
          action,
          actor: ctx.actor,
          target: { type: 'quote', id },
          requestId: ctx.requestId,
          ip: ctx.ip,
          ...(data ? { data } : {}),
          at,
        });
      },
    });
  });
}
