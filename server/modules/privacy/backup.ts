/**
 * `kluis backup` (Privacy center point 13; ADR 0050): a consistent, encrypted backup of the
 * database and the blobs while Kluis keeps serving.
 *
 * - Consistency: every table is read in ONE owner transaction, REPEATABLE READ READ ONLY on a
 *   PostgreSQL server (writers carry on; the backup sees one snapshot), and on embedded PGlite one
 *   transaction on its single connection (other queries wait for the read, then continue). Rows are
 *   rendered by the database itself (`row_to_json`, in UTC) and streamed through a cursor, so a
 *   restore writes back exactly what was read, on either database.
 * - Blobs are copied after the snapshot as the ciphertext they are (never decrypted): invoice PDFs
 *   are written before the transaction that references them commits and are never replaced, so every
 *   blob the snapshot refers to exists. Export archives (temporary) are left out.
 * - `tenant_keys` is NOT in the backup: the keys go to the key vault (crypto/key-vault.ts), which
 *   shredding empties, so old backups cannot bring a shredded business back.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { AppError } from '../../../domain/errors.ts';
import type { Services } from '../../context.ts';
import { dropVaultEntry, KEY_VAULT_SPACE, listVaultTenants, putVaultEntry } from '../../crypto/key-vault.ts';
import type { OwnerQuery } from '../../db/client.ts';
import { newId } from '../../ids.ts';
import { BackupWriter, type Manifest } from './backup-format.ts';

/** Tables whose rows are not in a backup: the keys live in the vault instead. */
export const KEYS_TABLE = 'tenant_keys';
const FETCH = 500;

/** Blob keys that are not backed up: temporary export archives, re-made on request. */
export function isBackedUpBlob(key: string): boolean {
  return !key.startsWith('exports/');
}

/** The public tables in an order where every table comes after the tables it references. */
export async function tablesInOrder(q: OwnerQuery): Promise<string[]> {
  const tables = (
    await q<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    )
  ).map((r) => r.relname);
  const edges = await q<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public'`,
  );
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (seen.has(t) || path.has(t)) return;
    path.add(t);
    for (const e of edges) if (e.child === t && e.parent !== t) visit(e.parent, path);
    seen.add(t);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** The primary key columns of a table, for a stable order. */
async function orderOf(q: OwnerQuery, table: string): Promise<string> {
  const cols = await q<{ attname: string }>(
    `SELECT a.attname FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attnum`,
    [table],
  );
  return cols.length > 0 ? cols.map((c) => `"${c.attname}"`).join(', ') : 'ctid';
}

/** Streams a table's rows as NDJSON (row_to_json text, one per line) through a cursor. */
export async function* tableLines(
  q: OwnerQuery,
  table: string,
  counter?: { rows: number },
): AsyncGenerator<string> {
  const cursor = `kluis_backup_${table}`;
  await q(`DECLARE "${cursor}" NO SCROLL CURSOR FOR
             SELECT row_to_json(t)::text AS j FROM "${table}" t ORDER BY ${await orderOf(q, table)}`);
  for (;;) {
    const rows = await q<{ j: string }>(`FETCH ${FETCH} FROM "${cursor}"`);
    if (rows.length === 0) break;
    if (counter) counter.rows += rows.length;
    yield `${rows.map((r) => r.j).join('\n')}\n`;
  }
  await q(`CLOSE "${cursor}"`);
}

/** The hashes of the applied migrations, in order. */
export async function appliedMigrations(q: OwnerQuery): Promise<string[]> {
  const rows = await q<{ hash: string }>('SELECT hash FROM drizzle.__drizzle_migrations ORDER BY id');
  return rows.map((r) => r.hash);
}

/** Refuses a role that would see only part of the rows (forced row-level security). */
export async function requireAllRows(q: OwnerQuery): Promise<void> {
  const [r] = await q<{ ok: boolean }>(
    'SELECT (rolsuper OR rolbypassrls) AS ok FROM pg_roles WHERE rolname = current_user',
  );
  if (!r?.ok) {
    throw new AppError(
      'forbidden',
      'backup_role_sees_too_little',
      'The database role of DATABASE_URL needs BYPASSRLS (or superuser) to read every business for a backup',
    );
  }
}

/** What a finished backup reports. */
export interface BackupSummary {
  id: string;
  file: string;
  tables: number;
  rows: number;
  blobs: number;
  tenants: number;
}

/**
 * Copies the current tenant keys into the vault and removes entries of tenants whose keys are
 * gone. Reads the live keys (not the snapshot) and checks again after writing, so a business
 * shredded during the backup does not get its keys back into the vault.
 */
export async function syncKeyVault(services: Services): Promise<number> {
  const { db, blobs } = services;
  const liveKeys = async () => {
    const rows = await db.asOwner<{ tenant_id: string; j: string }>(
      `SELECT tenant_id::text AS tenant_id, row_to_json(k)::text AS j FROM ${KEYS_TABLE} k
        ORDER BY tenant_id, purpose, key_id`,
    );
    const byTenant = new Map<string, string[]>();
    for (const r of rows) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.j]);
    return byTenant;
  };
  const keys = await liveKeys();
  for (const [tenantId, lines] of keys) await putVaultEntry(blobs, tenantId, lines);
  const still = await liveKeys();
  for (const tenantId of await listVaultTenants(blobs)) {
    if (!still.has(tenantId)) await dropVaultEntry(blobs, tenantId);
  }
  return still.size;
}

/** Writes a backup to `file` (via `file.partial`, renamed when complete). */
export async function writeBackup(services: Services, file: string): Promise<BackupSummary> {
  const { db, blobs, keyring, clock } = services;
  const at = clock.now();
  const id = newId(at);
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  const writer = BackupWriter.start(out, keyring, id, at);
  try {
    const snapshot = await db.ownerTransaction(
      async (q) => {
        await requireAllRows(q);
        await q(`SET LOCAL TimeZone = 'UTC'`);
        const migrations = await appliedMigrations(q);
        const tables: Manifest['tables'] = {};
        for (const table of await tablesInOrder(q)) {
          if (table === KEYS_TABLE) continue;
          const counter = { rows: 0 };
          const sum = await writer.entry(`db/${table}.ndjson`, tableLines(q, table, counter));
          tables[table] = { ...sum, rows: counter.rows };
        }
        const tenants = await q<{ id: string; status: string }>(
          'SELECT id::text AS id, status FROM tenants ORDER BY id',
        );
        return { migrations, tables, tenants };
      },
      { snapshot: true },
    );
    const blobSums: Manifest['blobs'] = {};
    for (const space of await blobs.listTenants()) {
      if (space === KEY_VAULT_SPACE) continue;
      for (const key of await blobs.list(space, '')) {
        if (!isBackedUpBlob(key)) continue;
        let sealed: Buffer;
        try {
          sealed = await blobs.getSealed(space, key);
        } catch (err) {
          if ((err as { code?: string }).code === 'blob_not_found') continue; // deleted meanwhile
          throw err;
        }
        blobSums[`${space}/${key}`] = await writer.entry(`blobs/${space}/${key}`, [sealed]);
      }
    }
    await writer.finish({
      format: 'kluis-backup/1',
      id,
      createdAt: at.toISOString(),
      database: db.kind,
      migrations: snapshot.migrations,
      tables: snapshot.tables,
      blobs: blobSums,
      tenants: snapshot.tenants,
    });
    await syncKeyVault(services);
    await rename(partial, file);
    return {
      id,
      file,
      tables: Object.keys(snapshot.tables).length,
      rows: Object.values(snapshot.tables).reduce((n, t) => n + t.rows, 0),
      blobs: Object.keys(blobSums).length,
      tenants: snapshot.tenants.length,
    };
  } catch (err) {
    out.destroy();
    await rm(partial, { force: true });
    throw err;
  }
}
