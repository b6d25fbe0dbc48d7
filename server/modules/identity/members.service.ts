/**
 * Managing the people of a business: list, change a role, remove. The business always keeps at
 * least one owner. Role changes and removals apply to the member's next API request, because the
 * API reads the role from the memberships table on every request. Each change is audited in the
 * same transaction.
 */
import { AppError, notFound } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx, Role } from '../../context.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { isUuid } from '../../ids.ts';
import { deleteMembership, findRole, listMembers, updateRole } from './memberships.repo.ts';
import { canAssignRole, canManageBusiness } from './policy.ts';
import type { IdentityRuntime } from './runtime.ts';
import { findUserById } from './users.repo.ts';

/** A member as the business's managers see them. */
export interface Member {
  userId: string;
  email: string | null;
  role: Role;
  since: string;
}

const forbidden = () =>
  new AppError('forbidden', 'not_allowed', 'You may not manage the members of this business');

/** Lists the members with their e-mail addresses (owners and admins only). */
export async function listBusinessMembers(rt: IdentityRuntime, ctx: Ctx): Promise<Member[]> {
  if (!canManageBusiness(ctx)) throw forbidden();
  const keys = await rt.userKeys();
  const members = await inTenant(ctx.services.db, ctx.tenantId, (tx) => listMembers(tx, ctx.tenantId));
  return inSystem(ctx.services.db, async (tx) => {
    const out: Member[] = [];
    for (const m of members) {
      const user = await findUserById(tx, keys, m.userId);
      out.push({
        userId: m.userId,
        email: user?.email ?? null,
        role: m.role,
        since: m.createdAt.toISOString(),
      });
    }
    return out;
  });
}

/** Changes a member's role, or removes them (`role` null); never leaves the business without an owner. */
export async function changeMembership(ctx: Ctx, userId: string, role: Role | null): Promise<void> {
  if (!canManageBusiness(ctx)) throw forbidden();
  if (!isUuid(userId)) throw notFound('member');
  const { db, keyring, clock } = ctx.services;
  await inTenant(db, ctx.tenantId, async (tx) => {
    const current = await findRole(tx, ctx.tenantId, userId);
    if (!current) throw notFound('member');
    if (!canAssignRole(ctx, current, role ?? current)) throw forbidden();
    if (current === 'owner' && role !== 'owner') {
      const owners = (await listMembers(tx, ctx.tenantId)).filter((m) => m.role === 'owner');
      if (owners.length <= 1) {
        throw new AppError('conflict', 'last_owner', 'A business keeps at least one owner');
      }
    }
    if (role === null) await deleteMembership(tx, ctx.tenantId, userId);
    else await updateRole(tx, ctx.tenantId, userId, role);
    await appendAudit(tx, await keyring.forTenant(tx, ctx.tenantId), {
      action: role === null ? 'membership.removed' : 'membership.role_changed',
      actor: ctx.actor,
      target: { type: 'user', id: userId },
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: role === null ? { from: current } : { from: current, to: role },
      at: clock.now(),
    });
  });
}
