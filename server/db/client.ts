/**
 * The database: embedded PGlite by default, a PostgreSQL server when DATABASE_URL is set. Both
 * run the same migrations and the same queries. Migrations run as the owning role; every
 * application query runs as `kluis_app`, which owns nothing and cannot bypass row-level security
 * (on PGlite through SET ROLE on its single connection, on a server as the start-up option
 * `role` of every pooled connection). See docs/adr/0001-query-layer.md and 0002-tenancy-and-rls.md.
 */
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

/** Drizzle over either driver, always as the app role. */
export type Orm = PgDatabase<PgQueryResultHKT>;
/** A transaction handle, the only way repositories reach the database. */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

export const APP_ROLE = 'kluis_app';
const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_LOCK = 72_616_351; // arbitrary constant: the advisory lock that serialises migrations

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Queries as the app role. Use inTenant/inSystem for transactions. */
  readonly orm: Orm;
  /** Applies pending migrations as the owning role; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** True when this process has migrated and the database answers. */
  isReady(): Promise<boolean>;
  /**
   * Runs SQL as the owning role. For migrations, the RLS meta-test and tamper tests only:
   * application code never calls it (it would bypass row-level security).
   */
  asOwner<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `fn` in one transaction as the owning role; `snapshot` makes it REPEATABLE READ READ
   * ONLY, one consistent view while others keep writing. For backup and restore only (they must
   * see every tenant's rows); application code never calls it.
   */
  ownerTransaction<T>(fn: (query: OwnerQuery) => Promise<T>, options?: { snapshot?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** A query inside an owner transaction. */
export type OwnerQuery = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** Options for opening a database: a server URL, or a PGlite directory (undefined: in memory). */
export type DatabaseOptions = { url: string; poolSize?: number } | { pgliteDir: string | undefined };

/** Opens the database without migrating it. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return 'url' in options ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options.pgliteDir);
}

async function openPglite(dir: string | undefined): Promise<Database> {
  const client = await PGlite.create(dir);
  const orm = drizzlePglite(client) as unknown as Orm;
  let migrated = false;
  const roleExists = async () =>
    (await client.query(`SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}'`)).rows.length > 0;
  // Until the first migration created the role, the connection stays the owner; nothing else runs then.
  if (await roleExists()) await client.exec(`SET ROLE ${APP_ROLE}`);

  return {
    kind: 'pglite',
    orm,
    async migrate() {
      await client.exec('RESET ROLE');
      try {
        await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS });
      } finally {
        if (await roleExists()) await client.exec(`SET ROLE ${APP_ROLE}`);
      }
      migrated = true;
    },
    async isReady() {
      if (!migrated || client.closed) return false;
      try {
        await client.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async asOwner<T>(text: string, params: unknown[] = []) {
      // PGlite has one connection: run as owner inside a transaction so no app query interleaves.
      return client.transaction(async (tx) => {
        // LOCAL: the owner role ends with this transaction, committed or rolled back.
        await tx.exec('SET LOCAL ROLE NONE');
        return (await tx.query<T>(text, params)).rows;
      });
    },
    async ownerTransaction(fn) {
      // One connection: while this runs no other query interleaves, so every read is one snapshot.
      return client.transaction(async (tx) => {
        await tx.exec('SET LOCAL ROLE NONE');
        return fn(async <T>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows);
      });
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const owner = new pg.Pool({ connectionString: url, max: 2 });
  // The role is part of the connection's start-up options: a connection that cannot take the
  // app role fails instead of silently running as the owner.
  const app = new pg.Pool({ connectionString: url, max: poolSize, options: `-c role=${APP_ROLE}` });
  owner.on('error', () => {});
  app.on('error', () => {});
  const orm = drizzlePg(app) as unknown as Orm;
  let migrated = false;

  return {
    kind: 'postgres',
    orm,
    async migrate() {
      const c = await owner.connect();
      try {
        await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(c), { migrationsFolder: MIGRATIONS });
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        c.release();
      }
      migrated = true;
    },
    async isReady() {
      if (!migrated) return false;
      try {
        await app.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async asOwner<T>(text: string, params: unknown[] = []) {
      return (await owner.query(text, params)).rows as T[];
    },
    async ownerTransaction(fn, options) {
      const c = await owner.connect();
      try {
        await c.query(options?.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        const result = await fn(
          async <T>(text: string, params: unknown[] = []) => (await c.query(text, params)).rows as T[],
        );
        await c.query('COMMIT');
        return result;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    async close() {
      await Promise.all([app.end(), owner.end()]);
    },
  };
}

/** Runs a raw query in a transaction and returns its rows (both drivers return `{ rows }`). */
export async function queryRows<T>(tx: Tx | Orm, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export { sql };
