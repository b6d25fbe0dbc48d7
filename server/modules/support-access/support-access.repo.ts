/**
 * SQL for support access grants, and the reading of their accesses from the business's audit
 * chain. The owner's reason is encrypted here, at the repository boundary; every query is
 * filtered by tenant on top of row-level security.
 */
import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { auditEvents, tenants } from '../../db/platform.tables.ts';
import { supportGrants } from './support-access.tables.ts';

/** A grant, decrypted. */
export interface SupportGrant {
  id: string;
  scope: 'read';
  reason: string;
  operatorId: string | null;
  grantedBy: string;
  grantedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  firstUsedAt: Date | null;
}

/** One use of a grant, as its `support.accessed` event recorded it. */
export interface SupportAccess {
  /** The audit event's id. */
  id: string;
  grantId: string;
  at: Date;
  operatorId: string | null;
  resource: string;
  recordId: string | null;
}

const reasonPlace = (keys: TenantKeys, rowId: string) => ({
  tenantId: keys.tenantId,
  table: 'support_grants',
  column: 'reason_enc',
  rowId,
});

function toGrant(keys: TenantKeys, row: typeof supportGrants.$inferSelect): SupportGrant {
  return {
    id: row.id,
    scope: 'read',
    reason: decryptField(keys.data, reasonPlace(keys, row.id), row.reasonEnc),
    operatorId: row.operatorId,
    grantedBy: row.grantedBy,
    grantedAt: row.grantedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
    firstUsedAt: row.firstUsedAt,
  };
}

/** Stores a new grant. */
export async function insertSupportGrant(tx: Tx, keys: TenantKeys, g: SupportGrant): Promise<void> {
  await tx.insert(supportGrants).values({
    tenantId: keys.tenantId,
    id: g.id,
    scope: g.scope,
    reasonEnc: encryptField(keys.data, reasonPlace(keys, g.id), g.reason),
    operatorId: g.operatorId,
    grantedBy: g.grantedBy,
    grantedAt: g.grantedAt,
    expiresAt: g.expiresAt,
  });
}

/** One grant of the business, or undefined. */
export async function findSupportGrant(
  tx: Tx,
  keys: TenantKeys,
  id: string,
): Promise<SupportGrant | undefined> {
  const [row] = await tx
    .select()
    .from(supportGrants)
    .where(and(eq(supportGrants.tenantId, keys.tenantId), eq(supportGrants.id, id)));
  return row ? toGrant(keys, row) : undefined;
}

/** The business's grants, newest first (at most `limit`). */
export async function listSupportGrants(tx: Tx, keys: TenantKeys, limit: number): Promise<SupportGrant[]> {
  const rows = await tx
    .select()
    .from(supportGrants)
    .where(eq(supportGrants.tenantId, keys.tenantId))
    .orderBy(desc(supportGrants.grantedAt), desc(supportGrants.id))
    .limit(limit);
  return rows.map((r) => toGrant(keys, r));
}

/** Marks a grant revoked; false when it was revoked already. */
export async function markSupportGrantRevoked(
  tx: Tx,
  tenantId: string,
  id: string,
  by: string,
  at: Date,
): Promise<boolean> {
  const rows = await tx
    .update(supportGrants)
    .set({ revokedAt: at, revokedBy: by })
    .where(
      and(eq(supportGrants.tenantId, tenantId), eq(supportGrants.id, id), isNull(supportGrants.revokedAt)),
    )
    .returning({ id: supportGrants.id });
  return rows.length > 0;
}

/**
 * The grant that lets `operatorId` in at `now`: not revoked, not expired (against the service
 * clock), for this operator or for any. The newest such grant is the one recorded.
 */
export async function findOpenSupportGrant(
  tx: Tx,
  tenantId: string,
  operatorId: string,
  now: Date,
): Promise<{ id: string; firstUsedAt: Date | null } | undefined> {
  const rows = await tx
    .select({
      id: supportGrants.id,
      operatorId: supportGrants.operatorId,
      firstUsedAt: supportGrants.firstUsedAt,
    })
    .from(supportGrants)
    .where(
      and(
        eq(supportGrants.tenantId, tenantId),
        isNull(supportGrants.revokedAt),
        gt(supportGrants.expiresAt, now),
      ),
    )
    .orderBy(desc(supportGrants.grantedAt), desc(supportGrants.id));
  const open = rows.find((r) => r.operatorId === null || r.operatorId === operatorId);
  return open ? { id: open.id, firstUsedAt: open.firstUsedAt } : undefined;
}

/** Records the first use of a grant; true only for the call that set it. */
export async function markSupportGrantUsed(tx: Tx, tenantId: string, id: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(supportGrants)
    .set({ firstUsedAt: at })
    .where(
      and(eq(supportGrants.tenantId, tenantId), eq(supportGrants.id, id), isNull(supportGrants.firstUsedAt)),
    )
    .returning({ id: supportGrants.id });
  return rows.length > 0;
}

/** The accesses of the given grants, oldest first, from the business's audit chain. */
export async function listSupportAccesses(
  tx: Tx,
  tenantId: string,
  grantIds: readonly string[],
): Promise<SupportAccess[]> {
  if (grantIds.length === 0) return [];
  const rows = await tx
    .select({
      id: auditEvents.id,
      at: auditEvents.occurredAt,
      actorId: auditEvents.actorId,
      grantId: auditEvents.targetId,
      data: auditEvents.data,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.tenantId, tenantId),
        eq(auditEvents.action, 'support.accessed'),
        eq(auditEvents.targetType, 'support_grant'),
        inArray(auditEvents.targetId, [...grantIds]),
      ),
    )
    .orderBy(asc(auditEvents.seq));
  return rows.map((r) => {
    const data = (r.data ?? {}) as Record<string, unknown>;
    return {
      id: r.id,
      grantId: r.grantId ?? '',
      at: r.at,
      operatorId: r.actorId,
      resource: typeof data.resource === 'string' ? data.resource : 'unknown',
      recordId: typeof data.recordId === 'string' ? data.recordId : null,
    };
  });
}

/** The ids of the businesses that are not shredded (a system query on the root table). */
export async function listLiveTenantIds(tx: Tx): Promise<string[]> {
  const rows = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.status, 'active'));
  return rows.map((r) => r.id);
}

/** The grants of one business that let `operatorId` in at `now` (ids and times only). */
export async function listOpenSupportGrants(
  tx: Tx,
  tenantId: string,
  operatorId: string,
  now: Date,
): Promise<{ id: string; expiresAt: Date; operatorId: string | null }[]> {
  const rows = await tx
    .select({
      id: supportGrants.id,
      expiresAt: supportGrants.expiresAt,
      operatorId: supportGrants.operatorId,
    })
    .from(supportGrants)
    .where(
      and(
        eq(supportGrants.tenantId, tenantId),
        isNull(supportGrants.revokedAt),
        gt(supportGrants.expiresAt, now),
      ),
    )
    .orderBy(asc(supportGrants.expiresAt));
  return rows.filter((r) => r.operatorId === null || r.operatorId === operatorId);
}
