/**
 * `kluis restore FILE` (Privacy center point 13; ADR 0050) into an empty database and blob store.
 *
 * 1. Verify: the whole file is decrypted once and every entry's SHA-256 compared with the manifest
 *    (the blob cipher already refuses an edited, truncated or reordered byte). Nothing is written
 *    before this passed.
 * 2. Check the target: same migrations as the backup, no rows in any table, no blobs.
 * 3. Apply in one owner transaction: rows through `json_populate_recordset` (the database parses
 *    what it rendered), blobs as the ciphertext they were, user triggers off for the load only
 *    (the lines of an issued invoice may not be inserted otherwise); then every table is read back
 *    and hashed, and every blob too, and only if all match the manifest are the keys taken from the
 *    vault and the transaction committed. A business without keys in the vault was shredded after
 *    the backup: its rows stay as unreadable ciphertext and it is marked shredded.
 * 4. Every restored business's audit chain is verified with its restored keys.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AppError } from '../../../domain/errors.ts';
import { verifyAuditChain } from '../../audit/verify.ts';
import type { Services } from '../../context.ts';
import { KEY_VAULT_SPACE, readVaultEntry } from '../../crypto/key-vault.ts';
import type { OwnerQuery } from '../../db/client.ts';
import { appliedMigrations, KEYS_TABLE, requireAllRows, tableLines, tablesInOrder } from './backup.ts';
import {
  type EntrySum,
  MANIFEST,
  type Manifest,
  openBackupKey,
  readEntries,
  readHeader,
} from './backup-format.ts';

const BATCH_BYTES = 1 << 20;

/** What a restore reports. */
export interface RestoreSummary {
  id: string;
  createdAt: string;
  tables: number;
  rows: number;
  blobs: number;
  tenants: number;
  /** Businesses in the backup whose keys are no longer in the vault: restored unreadable. */
  shredded: string[];
  auditChainsVerified: number;
}

function hashOf(chunks: Buffer[]): EntrySum {
  const h = createHash('sha256');
  let bytes = 0;
  for (const c of chunks) {
    h.update(c);
    bytes += c.length;
  }
  return { bytes, sha256: h.digest('hex') };
}

function mismatch(what: string): AppError {
  return new AppError('invalid', 'backup_checksum_mismatch', `Checksum mismatch: ${what}`);
}

/** Opens the file and returns its entries, decrypted. */
async function open(services: Services, file: string) {
  const { header, rest } = await readHeader(createReadStream(file));
  const key = openBackupKey(services.keyring, header);
  return { header, entries: readEntries(rest, key, header.id) };
}

/** Pass 1: reads everything, compares every checksum; returns the manifest. */
export async function verifyBackup(services: Services, file: string): Promise<Manifest> {
  const { header, entries } = await open(services, file);
  const sums = new Map<string, EntrySum>();
  let manifest: Manifest | undefined;
  for await (const entry of entries) {
    if (manifest) throw mismatch('data after the manifest');
    const h = createHash('sha256');
    let bytes = 0;
    const parts: Buffer[] = [];
    for await (const c of entry.chunks) {
      h.update(c);
      bytes += c.length;
      if (entry.name === MANIFEST) parts.push(c);
    }
    if (entry.name === MANIFEST) manifest = JSON.parse(Buffer.concat(parts).toString('utf8')) as Manifest;
    else sums.set(entry.name, { bytes, sha256: h.digest('hex') });
  }
  if (!manifest || manifest.id !== header.id) throw mismatch('the manifest is missing');
  const expected = new Map<string, EntrySum>([
    ...Object.entries(manifest.tables).map(([t, s]) => [`db/${t}.ndjson`, s] as const),
    ...Object.entries(manifest.blobs).map(([b, s]) => [`blobs/${b}`, s] as const),
  ]);
  if (expected.size !== sums.size) throw mismatch('entries missing or added');
  for (const [name, want] of expected) {
    const got = sums.get(name);
    if (!got || got.sha256 !== want.sha256 || got.bytes !== want.bytes) throw mismatch(name);
  }
  return manifest;
}

async function requireEmptyTarget(services: Services, q: OwnerQuery, manifest: Manifest): Promise<void> {
  const migrations = await appliedMigrations(q);
  if (migrations.join() !== manifest.migrations.join()) {
    throw new AppError(
      'conflict',
      'backup_schema_differs',
      `The backup has ${manifest.migrations.length} migrations, this Kluis ${migrations.length}: restore with the version that made it`,
    );
  }
  for (const table of await tablesInOrder(q)) {
    const [r] = await q<{ some: boolean }>(`SELECT EXISTS (SELECT 1 FROM "${table}") AS some`);
    if (r?.some) throw notEmpty(`table ${table} has rows`);
  }
  const spaces = (await services.blobs.listTenants()).filter((s) => s !== KEY_VAULT_SPACE);
  for (const s of spaces) {
    if ((await services.blobs.list(s, '')).length > 0) throw notEmpty('the blob store has files');
  }
}

function notEmpty(why: string): AppError {
  return new AppError(
    'conflict',
    'restore_target_not_empty',
    `Restore needs an empty database and blob store: ${why}`,
  );
}

async function insertBatch(q: OwnerQuery, table: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  await q(`INSERT INTO "${table}" SELECT * FROM json_populate_recordset(NULL::"${table}", $1::json)`, [
    `[${lines.join(',')}]`,
  ]);
}

/** Inserts one table's NDJSON entry in batches, never holding more than about a megabyte. */
async function loadTable(q: OwnerQuery, table: string, chunks: AsyncIterable<Buffer>): Promise<void> {
  let carry = '';
  let batch: string[] = [];
  let size = 0;
  for await (const c of chunks) {
    const text = carry + c.toString('utf8');
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const l of lines) {
      if (l.length === 0) continue;
      batch.push(l);
      size += l.length;
      if (size >= BATCH_BYTES) {
        await insertBatch(q, table, batch);
        batch = [];
        size = 0;
      }
    }
  }
  if (carry.length > 0) batch.push(carry);
  await insertBatch(q, table, batch);
}

/** Verifies `file`, then restores it into the (empty) database and blob store of `services`. */
export async function restoreBackup(services: Services, file: string): Promise<RestoreSummary> {
  const manifest = await verifyBackup(services, file);
  const { db, blobs } = services;
  const written: [string, string][] = [];
  const shredded: string[] = [];
  try {
    await db.ownerTransaction(async (q) => {
      await requireAllRows(q);
      await requireEmptyTarget(services, q, manifest);
      await q(`SET LOCAL TimeZone = 'UTC'`);
      const tables = await tablesInOrder(q);
      for (const t of tables) await q(`ALTER TABLE "${t}" DISABLE TRIGGER USER`);
      const { entries } = await open(services, file);
      for await (const entry of entries) {
        if (entry.name.startsWith('db/')) {
          const table = entry.name.slice(3, -'.ndjson'.length);
          if (!tables.includes(table) || table === KEYS_TABLE) throw mismatch(`unknown table ${table}`);
          await loadTable(q, table, entry.chunks);
        } else if (entry.name.startsWith('blobs/')) {
          const [space, ...rest] = entry.name.slice(6).split('/');
          const parts: Buffer[] = [];
          for await (const c of entry.chunks) parts.push(c);
          if (!space || space === KEY_VAULT_SPACE) throw mismatch(entry.name);
          await blobs.putSealed(space, rest.join('/'), Buffer.concat(parts));
          written.push([space, rest.join('/')]);
        } else {
          for await (const _ of entry.chunks) {
            // the manifest, already read in pass 1
          }
        }
      }
      for (const t of tables) await q(`ALTER TABLE "${t}" ENABLE TRIGGER USER`);

      // Read everything back: what is in the database and the store is what the backup held.
      for (const [table, want] of Object.entries(manifest.tables)) {
        const lines: Buffer[] = [];
        for await (const l of tableLines(q, table)) lines.push(Buffer.from(l, 'utf8'));
        const got = hashOf(lines);
        if (got.sha256 !== want.sha256) throw mismatch(`table ${table} after restore`);
      }
      for (const [name, want] of Object.entries(manifest.blobs)) {
        const [space, ...rest] = name.split('/');
        const got = hashOf([await blobs.getSealed(space ?? '', rest.join('/'))]);
        if (got.sha256 !== want.sha256) throw mismatch(`blob ${name} after restore`);
      }

      // The keys come from the vault, never from the backup.
      for (const t of manifest.tenants) {
        const rows = await readVaultEntry(blobs, t.id);
        if (rows && rows.length > 0) {
          await insertBatch(q, KEYS_TABLE, rows);
        } else if (t.status !== 'shredded') {
          shredded.push(t.id);
          await q(`UPDATE tenants SET status = 'shredded', shredded_at = $2::timestamptz WHERE id = $1`, [
            t.id,
            services.clock.now().toISOString(),
          ]);
        }
      }
    });
  } catch (err) {
    for (const [space, key] of written) await blobs.delete(space, key).catch(() => {});
    throw err;
  }

  let verified = 0;
  for (const t of manifest.tenants) {
    if (t.status === 'shredded' || shredded.includes(t.id)) continue;
    const result = await verifyAuditChain(services, t.id);
    if (!result.ok)
      throw new AppError('conflict', 'restore_audit_chain_broken', `Audit chain of ${t.id} does not verify`);
    verified += 1;
  }
  return {
    id: manifest.id,
    createdAt: manifest.createdAt,
    tables: Object.keys(manifest.tables).length,
    rows: Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0),
    blobs: Object.keys(manifest.blobs).length,
    tenants: manifest.tenants.length,
    shredded,
    auditChainsVerified: verified,
  };
}
