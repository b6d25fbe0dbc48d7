/**
 * The archive of all of a business's data (Privacy center point 9): one ZIP, written as a stream so
 * no part of it is ever held whole in memory. It is generic over the data catalogue: every table
 * with a `tenant_id` (and the business's own `tenants` row) becomes `data/<table>.json` and
 * `data/<table>.csv`, its `_enc` columns decrypted under the business's keys and named without the
 * suffix. Secrets and search aids never leave: blind indexes (`_bidx`), hashes of secrets (`_hash`),
 * key material and technical tables are left out for the reason given in OMITTED_TABLES. Beside the
 * data: the members with their e-mail addresses, every issued invoice's PDF and UBL, the audit log as
 * NDJSON ending in its verification result, `schema.json` describing every file and column, and
 * `README.txt`. Reads run in short tenant transactions page by page, so the embedded database keeps
 * serving requests between pages.
 */
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import yazl from 'yazl';
import { AppError, isAppError } from '../../../domain/errors.ts';
import { exportAuditLog } from '../../audit/export.ts';
import { type Ctx, type Services, SYSTEM } from '../../context.ts';
import { decryptOptional } from '../../crypto/envelope.ts';
import type { FieldClass, TableCatalogue } from '../../db/catalogue.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { DATA_CATALOGUE } from '../catalogue.ts';
import { listBusinessMembers } from '../identity/members.service.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { invoicePdf, invoiceUbl } from '../invoices/index.ts';

/** Tables that are not exported as data, with the reason (written into schema.json). */
export const OMITTED_TABLES: Readonly<Record<string, string>> = {
  tenant_keys: 'key material; never leaves Kluis',
  audit_events: 'exported as audit/audit-log.ndjson with the chain verification',
  audit_heads: 'the head of the audit chain; included in audit/audit-log.ndjson',
  idempotency_keys: 'short-lived replay protection of API requests; no business data',
};

/** Columns that never leave, whatever their table: search aids and hashes of secrets. */
function isOmittedColumn(column: string): boolean {
  return (
    column.endsWith('_bidx') ||
    column.endsWith('_hash') ||
    column === 'hashes' ||
    column === 'password_hash' ||
    column === 'secret_enc' ||
    column === 'wrapped' ||
    column === 'mac'
  );
}

const PAGE = 500;

/** One exported table: its name, the columns that leave (by SQL name) and how rows are found. */
interface TablePlan {
  table: string;
  columns: string[];
  filterColumn: 'tenant_id' | 'id';
  order: string[];
  /** SQL type by column, from information_schema. */
  types: Record<string, string>;
}

/** What progress the archive reports: units of work done out of the total. */
export type ProgressFn = (done: number, total: number) => Promise<void>;

/** The exported name of a column: `name_enc` is exported decrypted as `name`. */
function outName(column: string): string {
  return column.endsWith('_enc') ? column.slice(0, -4) : column;
}

function plans(): TablePlan[] {
  const out: TablePlan[] = [];
  for (const [table, columns] of Object.entries(DATA_CATALOGUE).sort(([a], [b]) => a.localeCompare(b))) {
    if (table in OMITTED_TABLES) continue;
    const names = Object.keys(columns);
    const filterColumn = table === 'tenants' ? 'id' : names.includes('tenant_id') ? 'tenant_id' : null;
    if (!filterColumn) continue; // a platform table: not the business's data
    out.push({
      table,
      columns: names.filter((c) => !isOmittedColumn(c)),
      filterColumn,
      order: [],
      types: {},
    });
  }
  return out;
}

async function columnTypes(ctx: Ctx, table: string): Promise<Record<string, string>> {
  const rows = await inTenant(ctx.services.db, ctx.tenantId, (tx) =>
    queryRows<{ column_name: string; data_type: string }>(
      tx,
      sql`SELECT column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = ${table}`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
}

async function primaryKey(ctx: Ctx, table: string): Promise<string[]> {
  const rows = await inTenant(ctx.services.db, ctx.tenantId, (tx) =>
    queryRows<{ attname: string }>(
      tx,
      sql`SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
           WHERE i.indrelid = ${table}::regclass AND i.indisprimary
           ORDER BY a.attnum`,
    ),
  );
  return rows.map((r) => r.attname);
}

/**
 * Turns one database value into JSON the same way on both drivers: dates as ISO text, bytes as
 * base64, bigints as numbers (the PostgreSQL driver gives text); numeric stays text (exact).
 */
function plain(value: unknown, type: string | undefined): unknown {
  if (type === 'bigint' && typeof value === 'string' && Number.isSafeInteger(Number(value)))
    return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** Reads one page of a table and returns its rows as exported objects (decrypted). */
async function readPage(ctx: Ctx, plan: TablePlan, offset: number): Promise<Record<string, unknown>[]> {
  const { db, keyring } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const cols = sql.join(
      plan.columns.map((c) => sql.identifier(c)),
      sql`, `,
    );
    const order = sql.join(
      plan.order.map((c) => sql.identifier(c)),
      sql`, `,
    );
    const rows = await queryRows<Record<string, unknown>>(
      tx,
      sql`SELECT ${cols} FROM ${sql.identifier(plan.table)}
           WHERE ${sql.identifier(plan.filterColumn)} = ${ctx.tenantId}
           ORDER BY ${order} LIMIT ${PAGE} OFFSET ${offset}`,
    );
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of plan.columns) {
        const v = row[c] ?? null;
        if (!c.endsWith('_enc')) {
          out[outName(c)] = plain(v, plan.types[c]);
          continue;
        }
        // Envelopes bind their row: the row id, or the tenant for one-row-per-business tables.
        const rowIds = [row.id, row.tenant_id, ctx.tenantId].filter(
          (x): x is string => typeof x === 'string',
        );
        out[outName(c)] = openEnvelope(ctx, keys, plan.table, c, rowIds, v as Uint8Array | null);
      }
      return out;
    });
  });
}

function openEnvelope(
  ctx: Ctx,
  keys: Awaited<ReturnType<Services['keyring']['forTenant']>>,
  table: string,
  column: string,
  rowIds: string[],
  env: Uint8Array | null,
): string | null {
  for (const rowId of rowIds) {
    try {
      return decryptOptional(keys.data, { tenantId: ctx.tenantId, table, column, rowId }, env);
    } catch {
      // try the next candidate row id
    }
  }
  // Names only (no values): the export must be complete, so an unreadable field stops it loudly.
  throw new AppError(
    'conflict',
    'export_field_unreadable',
    `Cannot decrypt ${table}.${column} for the export`,
  );
}

async function* tableRows(ctx: Ctx, plan: TablePlan): AsyncGenerator<Record<string, unknown>> {
  for (let offset = 0; ; offset += PAGE) {
    const page = await readPage(ctx, plan, offset);
    yield* page;
    if (page.length < PAGE) return;
  }
}

async function* jsonLines(ctx: Ctx, plan: TablePlan, done: () => Promise<void>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const row of tableRows(ctx, plan)) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
    first = false;
  }
  yield '\n]\n';
  await done();
}

function csvCell(v: unknown): string | number | boolean | null {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

async function* csvLines(ctx: Ctx, plan: TablePlan, done: () => Promise<void>): AsyncGenerator<string> {
  const header = plan.columns.map(outName);
  yield stringify([header]);
  for await (const row of tableRows(ctx, plan)) {
    yield stringify([header.map((h) => csvCell(row[h]))]);
  }
  await done();
}

/** The description of one column in schema.json. */
function describe(c: string, type: string | undefined, cls: FieldClass | undefined) {
  const base = { name: outName(c), column: c, type, encryptedAtRest: c.endsWith('_enc') };
  if (!cls) return base;
  return cls.personal
    ? {
        ...base,
        personal: true,
        category: cls.category,
        subject: cls.subject,
        purpose: cls.purpose,
        retention: cls.retention,
      }
    : { ...base, personal: false, note: cls.why };
}

function schemaOf(tables: TablePlan[], skipped: { invoiceId: string; format: string; code: string }[]) {
  const catalogue = DATA_CATALOGUE as Record<string, TableCatalogue>;
  return {
    format: 'kluis-export/1',
    files: {
      'README.txt': 'what this archive is',
      'schema.json': 'this file',
      'members.json':
        'the people of the business: user id, e-mail address, role, member since (no passwords or second factors)',
      'audit/audit-log.ndjson':
        'the audit log, one event per line in chain order with its hashes; the last line is {"verification": …}',
      'documents/<invoice id>.pdf':
        'the stored PDF (PDF/A-3, Factur-X) of every issued invoice and credit note',
      'documents/<invoice id>.ubl.xml': 'the UBL 2.1 (NLCIUS) of every issued invoice and credit note',
      ...Object.fromEntries(
        tables.flatMap((t) => [
          [`data/${t.table}.json`, `every row of ${t.table}, as a JSON array of objects`],
          [`data/${t.table}.csv`, `the same rows as CSV with a header line`],
        ]),
      ),
    },
    tables: Object.fromEntries(
      tables.map((t) => [
        t.table,
        {
          columns: t.columns.map((c) =>
            describe(c, c.endsWith('_enc') ? 'text' : t.types[c], catalogue[t.table]?.[c]),
          ),
          leftOut: Object.keys(catalogue[t.table] ?? {})
            .filter((c) => isOmittedColumn(c))
            .map((c) => ({ column: c, why: 'a search aid, hash of a secret or key material' })),
        },
      ]),
    ),
    tablesLeftOut: OMITTED_TABLES,
    documentsNotWritten: skipped,
  };
}

const README = `Kluis export
============

All of one business's data at the moment of the export.

- data/<table>.json and data/<table>.csv: every row of every table of the business. Encrypted
  fields are decrypted (a column "name_enc" appears as "name"). schema.json says, per column,
  whether it is personal data, of whom, for which purpose and how long it is kept.
- members.json: who has access to the business, with their role.
- documents/: the PDF and the UBL XML of every issued invoice and credit note (file name: the
  invoice id; data/invoices.json maps ids to numbers).
- audit/audit-log.ndjson: the audit log with its hash chain; the last line holds the verification.
- schema.json: a description of every file and column; "documentsNotWritten" lists documents a
  format could not carry.
`;

/**
 * Writes the archive of `tenantId` and returns its output stream; reading it drives the work.
 * `progress` is called after each finished part with (done, total).
 */
export async function createExportArchive(
  services: Services,
  tenantId: string,
  progress: ProgressFn = async () => {},
): Promise<Readable> {
  const ctx: Ctx = { tenantId, actor: SYSTEM, requestId: null, ip: null, services };
  const tables = plans();
  for (const t of tables) {
    t.order = await primaryKey(ctx, t.table);
    t.types = await columnTypes(ctx, t.table);
    if (t.order.length === 0) t.order = t.columns.slice(0, 1);
  }
  const issued = await inTenant(services.db, tenantId, (tx) =>
    queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM invoices WHERE tenant_id = ${tenantId} AND issued_at IS NOT NULL ORDER BY issued_at, id`,
    ),
  );
  const total = tables.length * 2 + issued.length * 2 + 4;
  let done = 0;
  const step = async () => {
    done += 1;
    await progress(done, total);
  };
  await progress(0, total);

  const zip = new yazl.ZipFile();
  const opts = { mtime: services.clock.now() };
  const lazy = (name: string, make: () => Readable) =>
    zip.addReadStreamLazy(name, opts, (cb) => {
      try {
        cb(null, make());
      } catch (err) {
        cb(err as Error, undefined as unknown as NodeJS.ReadableStream);
      }
    });
  const skipped: { invoiceId: string; format: string; code: string }[] = [];

  zip.addBuffer(Buffer.from(README, 'utf8'), 'README.txt', opts);
  for (const t of tables) {
    lazy(`data/${t.table}.json`, () => Readable.from(jsonLines(ctx, t, step)));
    lazy(`data/${t.table}.csv`, () => Readable.from(csvLines(ctx, t, step)));
  }
  lazy('members.json', () =>
    Readable.from(
      (async function* () {
        const members = await listBusinessMembers(createIdentityRuntime(services), ctx);
        yield `${JSON.stringify(members, null, 1)}\n`;
        await step();
      })(),
    ),
  );
  for (const { id } of issued) {
    lazy(`documents/${id}.pdf`, () =>
      Readable.from(
        (async function* () {
          yield (await invoicePdf(ctx, id)).pdf;
          await step();
        })(),
      ),
    );
    lazy(`documents/${id}.ubl.xml`, () =>
      Readable.from(
        (async function* () {
          try {
            yield (await invoiceUbl(ctx, id, 'nlcius')).xml;
          } catch (err) {
            // A document that the format cannot carry is listed in schema.json, not a failed export.
            if (!isAppError(err) || err.kind !== 'unprocessable') throw err;
            skipped.push({ invoiceId: id, format: 'ubl_nlcius', code: err.code });
            yield `<!-- this invoice cannot be written as NLCIUS UBL: ${err.code} -->\n`;
          }
          await step();
        })(),
      ),
    );
  }
  lazy('audit/audit-log.ndjson', () => {
    const out = new PassThrough();
    exportAuditLog(services, SYSTEM, tenantId, out)
      .then(step)
      .then(
        () => out.end(),
        (err: Error) => out.destroy(err),
      );
    return out;
  });
  // Written last, so it can list what the documents could not carry.
  lazy('schema.json', () =>
    Readable.from(
      (async function* () {
        await step();
        yield `${JSON.stringify(schemaOf(tables, skipped), null, 1)}\n`;
        await step();
      })(),
    ),
  );
  zip.end();
  return zip.outputStream as Readable;
}
