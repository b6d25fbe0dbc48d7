/**
 * Which business a person works in (Identity point 2): the businesses they belong to, with names
 * for the chooser, and binding a sign-in's grant to the one chosen. Membership is checked when the
 * grant is bound, and again by the API on every request (role from the memberships table).
 */
import type { Role, Services } from '../../context.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { decryptTenantName, findTenantRow } from '../tenants/tenants.repo.ts';
import { findGrantBusiness, insertGrantBusiness } from './grant-businesses.repo.ts';
import { listMembershipsOfUser } from './memberships.repo.ts';
import type { IdentityRuntime } from './runtime.ts';

/** One business of a person, as the chooser and /api/v1/me show it. */
export interface BusinessOfUser {
  id: string;
  name: string | null;
  role: Role;
}

/** The person's businesses, oldest membership first; a shredded business has no name. */
export async function listBusinessesOfUser(services: Services, userId: string): Promise<BusinessOfUser[]> {
  const list = await inSystem(services.db, (tx) => listMembershipsOfUser(tx, userId));
  const out: BusinessOfUser[] = [];
  for (const m of list) {
    const name = await inTenant(services.db, m.tenantId, async (tx) => {
      const row = await findTenantRow(tx, m.tenantId);
      if (row?.status !== 'active') return null;
      return decryptTenantName(await services.keyring.forTenant(tx, m.tenantId), row.nameEnc);
    }).catch(() => null);
    out.push({ id: m.tenantId, name, role: m.role });
  }
  return out;
}

/**
 * The business a sign-in is for without asking: the requested one when the person belongs to it,
 * else their only one. Undefined means the person must choose (or has no business at all).
 */
export function pickBusiness(list: readonly BusinessOfUser[], requested: unknown): string | undefined {
  if (typeof requested === 'string' && list.some((b) => b.id === requested)) return requested;
  return list.length === 1 ? list[0]?.id : undefined;
}

/** Binds a grant to a business the person belongs to; refuses any other. */
export async function bindGrantToBusiness(
  rt: IdentityRuntime,
  input: { grantId: string; userId: string; businessId: string },
): Promise<boolean> {
  const list = await inSystem(rt.services.db, (tx) => listMembershipsOfUser(tx, input.userId));
  if (!list.some((m) => m.tenantId === input.businessId)) return false;
  await inSystem(rt.services.db, (tx) => insertGrantBusiness(tx, { ...input, at: rt.services.clock.now() }));
  return true;
}

/** The business of a grant, or undefined when none was bound. */
export async function businessOfGrant(services: Services, grantId: string): Promise<string | undefined> {
  return inSystem(services.db, (tx) => findGrantBusiness(tx, grantId));
}
