/**
 * SQL for memberships. Inside a business, reads go through row-level security like any tenant
 * table; the one cross-tenant read (a person's businesses, at sign-in) goes through the narrow
 * SECURITY DEFINER function kluis_memberships_of (ADR 0010).
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Role } from '../../context.ts';
import { queryRows, sql, type Tx } from '../../db/client.ts';
import { memberships } from './identity.tables.ts';

/** The roles, most powerful first. */
export const ROLES: readonly Role[] = ['owner', 'admin', 'bookkeeper', 'viewer'];

/** True for a known role name. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The user's role in the transaction's tenant, or undefined when not a member. */
export async function findRole(tx: Tx, tenantId: string, userId: string): Promise<Role | undefined> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return row && isRole(row.role) ? row.role : undefined;
}

/** Adds a member to the transaction's tenant. */
export async function insertMembership(
  tx: Tx,
  tenantId: string,
  userId: string,
  role: Role,
  at: Date,
): Promise<void> {
  await tx.insert(memberships).values({ tenantId, userId, role, createdAt: at });
}

/** Every business of one person, oldest first: the only cross-tenant read of memberships. */
export async function listMembershipsOfUser(
  tx: Tx,
  userId: string,
): Promise<{ tenantId: string; role: Role }[]> {
  const rows = await queryRows<{ tenant_id: string; role: string }>(
    tx,
    sql`SELECT tenant_id, role FROM kluis_memberships_of(${userId}::uuid)`,
  );
  return rows.flatMap((r) => (isRole(r.role) ? [{ tenantId: r.tenant_id, role: r.role }] : []));
}

/** The members of the transaction's business, oldest first. */
export async function listMembers(
  tx: Tx,
  tenantId: string,
): Promise<{ userId: string; role: Role; createdAt: Date }[]> {
  const rows = await tx
    .select()
    .from(memberships)
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.createdAt));
  return rows.flatMap((r) =>
    isRole(r.role) ? [{ userId: r.userId, role: r.role, createdAt: r.createdAt }] : [],
  );
}

/** Changes a member's role. */
export async function updateRole(tx: Tx, tenantId: string, userId: string, role: Role): Promise<void> {
  await tx
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}

/** Removes a member from the business. */
export async function deleteMembership(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}
