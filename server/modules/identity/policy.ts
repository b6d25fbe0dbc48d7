/**
 * Who may manage a business's people and integrations. Pure, and deny by default: only owners and
 * admins (or the operator's CLI, acting as the system) manage members and API clients; only an
 * owner hands out or takes away the owner role.
 */
import type { Ctx, Role } from '../../context.ts';

/** True when the caller may manage members and API clients of the business. */
export function canManageBusiness(ctx: Pick<Ctx, 'actor' | 'access'>): boolean {
  if (ctx.actor.type === 'system') return true;
  if (ctx.actor.type !== 'user') return false;
  return ctx.access?.role === 'owner' || ctx.access?.role === 'admin';
}

/** True when the caller may give `to` to, or take `from` from, a member. */
export function canAssignRole(ctx: Pick<Ctx, 'actor' | 'access'>, from: Role, to: Role): boolean {
  if (!canManageBusiness(ctx)) return false;
  const touchesOwner = from === 'owner' || to === 'owner';
  return !touchesOwner || ctx.actor.type === 'system' || ctx.access?.role === 'owner';
}
