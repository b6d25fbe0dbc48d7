/**
 * SQL for a business's notices. `business_notices` is a tenant table (forced RLS): every function
 * runs in the business's transaction (or one switched to it with setTenant) and takes the tenant.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { setTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { businessNotices, operatorAlerts } from './notices.tables.ts';

export type NoticeRow = typeof businessNotices.$inferSelect;

/** What a notice is about. */
export type NoticeKind = 'subprocessor_announced' | 'breach_notice' | 'agreement_version' | 'subject_request';

/** Adds a notice unless the business already has one about the same subject; true when added. */
export async function insertBusinessNotice(
  tx: Tx,
  tenantId: string,
  notice: { kind: NoticeKind; subjectId: string; at: Date },
): Promise<boolean> {
  const rows = await tx
    .insert(businessNotices)
    .values({
      tenantId,
      id: newId(notice.at),
      kind: notice.kind,
      subjectId: notice.subjectId,
      createdAt: notice.at,
    })
    .onConflictDoNothing()
    .returning({ id: businessNotices.id });
  return rows.length > 0;
}

/**
 * Adds the same notice to each business in one transaction (the caller's), switching the
 * transaction's tenant for each insert so forced RLS checks every row. Leaves the transaction on
 * the last business: call it after the statements that need no tenant.
 */
export async function insertNoticeForEach(
  tx: Tx,
  tenantIds: readonly string[],
  notice: { kind: NoticeKind; subjectId: string; at: Date },
): Promise<number> {
  let added = 0;
  for (const tenantId of tenantIds) {
    await setTenant(tx, tenantId);
    if (await insertBusinessNotice(tx, tenantId, notice)) added++;
  }
  return added;
}

/** The business's notices, unread first, then newest first. */
export async function listBusinessNotices(tx: Tx, tenantId: string, limit: number): Promise<NoticeRow[]> {
  return tx
    .select()
    .from(businessNotices)
    .where(eq(businessNotices.tenantId, tenantId))
    .orderBy(
      sql`${businessNotices.readAt} IS NOT NULL`,
      sql`${businessNotices.createdAt} DESC`,
      asc(businessNotices.id),
    )
    .limit(limit);
}

/** One notice of the business, or undefined. */
export async function findBusinessNotice(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<NoticeRow | undefined> {
  const [row] = await tx
    .select()
    .from(businessNotices)
    .where(and(eq(businessNotices.tenantId, tenantId), eq(businessNotices.id, id)));
  return row;
}

/** Marks a notice read (once: a second mark keeps the first moment and reader). */
export async function markBusinessNoticeRead(
  tx: Tx,
  tenantId: string,
  id: string,
  at: Date,
  readBy: string | null,
): Promise<void> {
  await tx
    .update(businessNotices)
    .set({ readAt: at, readBy })
    .where(
      and(
        eq(businessNotices.tenantId, tenantId),
        eq(businessNotices.id, id),
        sql`${businessNotices.readAt} IS NULL`,
      ),
    );
}

/** Claims an alert key; false when the alert was already recorded (it then goes out no second time). */
export async function claimOperatorAlert(
  tx: Tx,
  alert: { key: string; kind: string; at: Date; mailed: boolean },
): Promise<boolean> {
  const rows = await tx
    .insert(operatorAlerts)
    .values({ key: alert.key, kind: alert.kind, sentAt: alert.at, mailed: alert.mailed })
    .onConflictDoNothing()
    .returning({ key: operatorAlerts.key });
  return rows.length > 0;
}

/** The recorded alerts whose key starts with `prefix` (tests and the operator's tooling). */
export async function listOperatorAlerts(
  tx: Tx,
  prefix: string,
): Promise<(typeof operatorAlerts.$inferSelect)[]> {
  return tx
    .select()
    .from(operatorAlerts)
    .where(sql`starts_with(${operatorAlerts.key}, ${prefix})`)
    .orderBy(asc(operatorAlerts.sentAt), asc(operatorAlerts.key));
}
