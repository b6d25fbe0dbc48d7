/**
 * What a caller may do with a business's records: a pure policy that denies by default (STYLE
 * rule 5). People act through their role in the business; API clients only through the scopes
 * their token carries; the system (CLI, jobs) acts for the operator; the operator's staff under a
 * support grant only read. A record of another business never reaches this point: it is simply
 * not found.
 */
import { AppError } from '../domain/errors.ts';
import type { Ctx, Role } from './context.ts';

/** A permission on one kind of record; the same strings are the API client scopes. */
export type Permission =
  | 'customers:read'
  | 'customers:write'
  | 'products:read'
  | 'products:write'
  | 'invoices:read'
  | 'invoices:write'
  | 'quotes:read'
  | 'quotes:write';

const READ: Permission[] = ['customers:read', 'products:read', 'invoices:read', 'quotes:read'];
const WRITE: Permission[] = ['customers:write', 'products:write', 'invoices:write', 'quotes:write'];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: [...READ, ...WRITE],
  admin: [...READ, ...WRITE],
  // The bookkeeper keeps the administration: customers, products, invoices and quotes.
  bookkeeper: [...READ, ...WRITE],
  viewer: READ,
};

/** True when the caller holds `permission` in its business. */
export function can(ctx: Pick<Ctx, 'actor' | 'access'>, permission: Permission): boolean {
  switch (ctx.actor.type) {
    case 'system':
      return true;
    case 'user': {
      const role = ctx.access?.role;
      return role !== null && role !== undefined && ROLE_PERMISSIONS[role].includes(permission);
    }
    case 'client':
      return ctx.access?.scopes.includes(permission) ?? false;
    // The operator's staff under the owner's support grant (ADR 0057): reading only, whatever else.
    case 'support':
      return READ.includes(permission);
    default:
      return false;
  }
}

/** Throws 403 `insufficient_permission` unless the caller holds `permission`. */
export function requirePermission(ctx: Pick<Ctx, 'actor' | 'access'>, permission: Permission): void {
  if (!can(ctx, permission)) {
    throw new AppError('forbidden', 'insufficient_permission', `This needs the ${permission} permission`);
  }
}
