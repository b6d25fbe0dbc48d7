/**
 * The two ways application code opens a transaction. `inTenant` scopes every statement to one
 * tenant through `app.tenant_id`, set with set_config(..., true) so it ends with the transaction
 * and never leaks to the next user of a pooled connection. `inSystem` sets no tenant: tenant-owned
 * tables then show nothing and refuse writes, which is what cross-tenant platform work should see.
 */
import { AppError } from '../../domain/errors.ts';
import { isUuid } from '../ids.ts';
import { type Database, type Orm, sql, type Tx } from './client.ts';

/** Runs `fn` in one transaction as the app role, scoped to `tenantId`. */
export async function inTenant<T>(db: Database, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // Ids reach this point from tokens and URLs; a malformed one is a missing tenant, not a SQL error.
  if (!isUuid(tenantId)) throw new AppError('not_found', 'tenant_not_found', 'No such tenant');
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.tenant_id', ${tenantId}, true)`);
    return fn(tx);
  });
}

/** Runs `fn` in one transaction as the app role with no tenant set. */
export async function inSystem<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.orm.transaction(fn);
}

/**
 * Runs `fn`, which must send exactly ONE statement, as the app role with no tenant set and no
 * explicit transaction: a single statement is its own transaction, so this sees what `inSystem`
 * sees in one round trip instead of three (BEGIN, the statement, COMMIT). For the lookups every
 * authenticated request makes (is this API client still active?), which must read the current
 * state on every request and so cannot be cached.
 */
export async function inSystemStatement<T>(db: Database, fn: (q: Orm) => Promise<T>): Promise<T> {
  return fn(db.orm);
}

/** Switches an open transaction to another tenant (used when a system transaction creates one). */
export async function setTenant(tx: Tx, tenantId: string): Promise<void> {
  if (!isUuid(tenantId)) throw new AppError('not_found', 'tenant_not_found', 'No such tenant');
  await tx.execute(sql`SELECT set_config('app.tenant_id', ${tenantId}, true)`);
}
