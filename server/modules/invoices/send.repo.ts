/**
 * SQL for sending an issued invoice: the lifecycle columns the immutability trigger lets move
 * (status forward, sent_at), and whether a queued mail already left (its `mail.sent` audit event).
 */
import { and, eq } from 'drizzle-orm';
import type { TenantKeys } from '../../crypto/keyring.ts';
import { queryRows, sql, type Tx } from '../../db/client.ts';
import type { InvoiceStatus } from './invoices.model.ts';
import { invoices } from './invoices.tables.ts';

/** Sets the status (unchanged or forward) and the moment the invoice was first sent. */
export async function markSent(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  change: { status: InvoiceStatus; sentAt: Date },
  at: Date,
): Promise<void> {
  await tx
    .update(invoices)
    .set({ status: change.status, sentAt: change.sentAt, updatedAt: at })
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id)));
}

/** True when the mail with this id was already handed to the mailer (a retried job must not send it twice). */
export async function isMailDelivered(tx: Tx, keys: TenantKeys, mailId: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    tx,
    sql`SELECT 1 AS n FROM audit_events
         WHERE tenant_id = ${keys.tenantId} AND action = 'mail.sent' AND data->>'mailId' = ${mailId}
         LIMIT 1`,
  );
  return rows.length > 0;
}
