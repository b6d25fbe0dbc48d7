/**
 * CSV import and export of customers (Invoicing core point 4).
 *
 * Import: every row is checked with the API's own two steps — the create body's schema, then the
 * customer rules of domain/ — and every problem is reported with its row, field and code, beside a
 * preview of the first rows as Kluis read them. A dry run stops there and changes nothing. A real
 * import happens only if no row has a problem — or, when the person chose to skip the rows with
 * problems, for the valid rows only — all in one transaction, each customer with its own
 * `customer.created` event and the file with one `customer.imported`, so a customer's history
 * starts the same way however it was made.
 *
 * Export: a bulk read of personal data, so `customer.exported` is recorded (with the count) before
 * the first row leaves; the rows are then read page by page, so memory stays flat however many
 * customers there are.
 */
import { Value } from 'typebox/value';
import { AppError, invalidInput, isAppError } from '../../../domain/errors.ts';
import { appendAuditMany } from '../../audit/append-many.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { parseCustomersCsv, type RowIssue, rowToInput } from './customers.csv.ts';
import { type CustomerRecord, insertCustomers, listCustomerRows } from './customers.repo.ts';
import { CreateCustomerBody } from './customers.schemas.ts';
import { type CustomerInput, validateCustomer } from './customers.service.ts';

/** The most data rows one import takes. */
export const MAX_IMPORT_ROWS = 10_000;
/** The most problems a report lists; `errorCount` has them all. */
const MAX_REPORTED = 500;
/** Rows the preview shows. */
const PREVIEW_ROWS = 20;
/** Customers read per transaction while exporting. */
const EXPORT_PAGE = 500;

/** What an import says about a file. */
export interface ImportReport {
  dryRun: boolean;
  /** Data rows in the file (empty lines not counted). */
  rows: number;
  /** Rows without any problem. */
  valid: number;
  /** Customers created: 0 for a dry run. */
  created: number;
  errorCount: number;
  /** The first problems, by row. */
  errors: RowIssue[];
  /** Rows left out because they have problems (only when the import skipped them). */
  skipped: number;
  /** The first rows as Kluis read them, for the person to check the columns before importing. */
  preview: PreviewRow[];
}

/** One row of the preview: the identifying columns as read, and whether the row has a problem. */
export interface PreviewRow {
  row: number;
  kind: string;
  name: string;
  email: string | null;
  city: string | null;
  country: string | null;
  valid: boolean;
}

/** The problems the API's schema finds in a create body, one per field, as the API names them. */
function schemaIssues(input: unknown): { path: string; code: string; message: string }[] {
  const byPath = new Map<string, { path: string; code: string; message: string }>();
  for (const e of Value.Errors(CreateCustomerBody, input)) {
    if (e.keyword === 'boolean') continue; // repeated by additionalProperties
    const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'body';
    byPath.set(path, { path, code: `schema_${e.keyword}`, message: e.message ?? 'Not valid' });
  }
  return [...byPath.values()];
}

type Checked = ReturnType<typeof validateCustomer>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The preview line of a row as read (before normalisation). */
function previewOf(row: number, input: Record<string, unknown>, valid: boolean): PreviewRow {
  const address = (input.address ?? {}) as Record<string, unknown>;
  return {
    row,
    kind: text(input.kind) ?? '',
    name: text(input.name) ?? '',
    email: text(input.email),
    city: text(address.city),
    country: text(address.country),
    valid,
  };
}

/** Checks every row; returns the valid customers, every problem and the preview. */
function checkRows(csv: string): {
  rows: number;
  valid: Checked[];
  issues: RowIssue[];
  preview: PreviewRow[];
} {
  const parsed = parseCustomersCsv(csv, MAX_IMPORT_ROWS);
  if (parsed.headerIssues.length > 0) {
    return { rows: parsed.rows.length, valid: [], issues: parsed.headerIssues, preview: [] };
  }
  const valid: Checked[] = [];
  const issues: RowIssue[] = [];
  const preview: PreviewRow[] = [];
  for (const { row, cells } of parsed.rows) {
    const input = rowToInput(cells);
    const before = issues.length;
    const schema = schemaIssues(input);
    if (schema.length > 0) {
      for (const i of schema) issues.push({ row, field: i.path, code: i.code, message: i.message });
    } else {
      try {
        valid.push(validateCustomer(input as unknown as CustomerInput));
      } catch (e) {
        if (!isAppError(e) || e.code !== 'validation_failed') throw e;
        for (const i of e.issues) issues.push({ row, field: i.path, code: i.code, message: i.message });
      }
    }
    if (preview.length < PREVIEW_ROWS) preview.push(previewOf(row, input, issues.length === before));
  }
  return { rows: parsed.rows.length, valid, issues, preview };
}

/**
 * Imports customers from CSV text. With `dryRun` it only reports; otherwise a file with any
 * problem is refused whole (400 validation_failed, issues at `rows.<row>.<field>`) unless
 * `skipInvalid` asks to import the valid rows and leave out the rest (a header problem still
 * refuses the file: then no row can be trusted), and the rows are imported in one transaction.
 */
export async function importCustomers(
  ctx: Ctx,
  csv: string,
  options: { dryRun: boolean; skipInvalid?: boolean },
): Promise<ImportReport> {
  requirePermission(ctx, 'customers:write');
  const { rows, valid, issues, preview } = checkRows(csv);
  const headerBroken = issues.some((i) => i.row === 1);
  const skipping = options.skipInvalid === true && !headerBroken && issues.length > 0;
  const report: ImportReport = {
    dryRun: options.dryRun,
    rows,
    valid: valid.length,
    created: 0,
    errorCount: issues.length,
    errors: issues.slice(0, MAX_REPORTED),
    skipped: 0,
    preview,
  };
  if (options.dryRun) return report;
  if (issues.length > 0 && !skipping) {
    throw invalidInput(
      report.errors.map((i) => ({ path: `rows.${i.row}.${i.field}`, code: i.code, message: i.message })),
      `${issues.length} problem(s) in the file; nothing was imported`,
    );
  }
  if (valid.length === 0) throw new AppError('invalid', 'csv_no_rows', 'The file has no customer rows');
  const { db, keyring, clock } = ctx.services;
  await inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const at = clock.now();
    const audit = { actor: ctx.actor, requestId: ctx.requestId, ip: ctx.ip, at };
    const rows = valid.map((v) => ({ ...v, id: newId(at) }));
    await insertCustomers(tx, keys, rows, at);
    await appendAuditMany(tx, keys, [
      ...rows.map(({ id }) => ({
        ...audit,
        action: 'customer.created' as const,
        target: { type: 'customer', id },
        data: { source: 'import' },
      })),
      {
        ...audit,
        action: 'customer.imported' as const,
        data: { created: rows.length, skipped: report.rows - rows.length },
      },
    ]);
  });
  return { ...report, created: valid.length, skipped: report.rows - valid.length };
}

/**
 * Starts an export: checks the permission and records `customer.exported` before anything is
 * read, then returns the customers as an iterable that reads one page per transaction.
 */
export async function exportCustomers(ctx: Ctx): Promise<AsyncIterable<CustomerRecord>> {
  requirePermission(ctx, 'customers:read');
  const { db, keyring, clock } = ctx.services;
  await inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const [count] = await queryRows<{ n: string }>(
      tx,
      sql`SELECT count(*) AS n FROM customers WHERE tenant_id = ${ctx.tenantId}`,
    );
    await appendAudit(tx, keys, {
      action: 'customer.exported',
      actor: ctx.actor,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { format: 'csv', results: Number(count?.n ?? 0) },
      at: clock.now(),
    });
  });
  return (async function* pages() {
    let after: string | null = null;
    for (;;) {
      const page: CustomerRecord[] = await inTenant(db, ctx.tenantId, async (tx) =>
        listCustomerRows(tx, await keyring.forTenant(tx, ctx.tenantId), after, EXPORT_PAGE),
      );
      yield* page;
      const last = page.at(-1);
      if (page.length < EXPORT_PAGE || !last) return;
      after = last.id;
    }
  })();
}
