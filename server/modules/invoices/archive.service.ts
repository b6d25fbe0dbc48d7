/**
 * The archive of a period (issue 5 point 6; docs/adr/0031-sending-and-archives.md): one ZIP with the
 * PDF and the UBL of every issued invoice and credit note dated in it. The list of ids is read and
 * the bulk read audited (`invoice.exported`) in one transaction before the first byte goes out;
 * then each invoice is loaded in its own short transaction and written as its entries, and the next
 * one is loaded only after yazl has consumed them, so memory holds the stream buffers, never the archive.
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { parseIsoDate } from '../../../domain/dates.ts';
import { AppError, type FieldIssue } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import { errorCode } from '../../jobs/scheduler.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { type ArchivedRef, listIssuedInPeriod } from './archive.repo.ts';
import { storedPdf } from './documents.service.ts';
import { buildInvoiceDocument, isIssued } from './invoice-document.ts';
import { chooseUbl, documentFileName } from './invoice-mail.ts';
import { findInvoice } from './invoices.repo.ts';
import { inInvoiceTx } from './invoices.tx.ts';

/** A period of issue dates, both inclusive. */
export interface ArchivePeriod {
  from: string;
  to: string;
}

/** 400 `date_range_invalid` unless both dates are valid and `from` is not after `to`. */
function checkPeriod(period: ArchivePeriod): void {
  const issues: FieldIssue[] = [];
  for (const path of ['from', 'to'] as const) {
    if (!parseIsoDate(period[path]).ok) {
      issues.push({ path, code: 'date_format', message: 'A date like 2026-11-20' });
    }
  }
  if (issues.length === 0 && period.from > period.to) {
    issues.push({ path: 'to', code: 'date_before_from', message: 'The period ends before it starts' });
  }
  if (issues.length > 0) throw new AppError('invalid', 'date_range_invalid', 'Not a valid period', issues);
}

/** One invoice's entries: the stored PDF, and the UBL when one can be written. */
async function entriesOf(ctx: Ctx, ref: ArchivedRef): Promise<{ name: string; data: Buffer }[]> {
  return inInvoiceTx(ctx, async ({ tx, keys }) => {
    const invoice = await findInvoice(tx, keys, ref.id);
    if (!invoice || !isIssued(invoice)) return [];
    const customer = await findCustomer(tx, keys, invoice.customerId);
    const doc = buildInvoiceDocument(invoice, customer?.language ?? 'nl');
    const entries = [
      {
        name: documentFileName(ref.number, 'pdf'),
        data: await storedPdf(tx, keys, ctx.services, invoice),
      },
    ];
    const ubl = chooseUbl(doc);
    if (ubl.format) {
      entries.push({
        name: documentFileName(`${ref.number}-${ubl.format}`, 'xml'),
        data: Buffer.from(ubl.xml),
      });
    }
    return entries;
  });
}

function* pieces(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += PIECE_BYTES) yield data.subarray(at, at + PIECE_BYTES);
}
const PIECE_BYTES = 16 * 1024;

/** Writes the entries one invoice at a time, each after yazl consumed the previous one's. */
async function fill(ctx: Ctx, zip: ZipFile, refs: readonly ArchivedRef[]): Promise<void> {
  const used = new Set<string>();
  // A client that goes away closes the output: stop loading instead of waiting for yazl forever.
  const gone = new AbortController();
  (zip.outputStream as Readable).once('close', () => gone.abort());
  for (const ref of refs) {
    if (gone.signal.aborted) return;
    const entries = await entriesOf(ctx, ref);
    let last: Readable | undefined;
    for (const entry of entries) {
      // Two numbers that differ only in characters unsafe in a file name keep distinct entries.
      const name = used.has(entry.name) ? `${ref.id}-${entry.name}` : entry.name;
      used.add(name);
      // In pieces of a stream buffer's size, so backpressure stops loading within an invoice or two.
      last = Readable.from(pieces(entry.data));
      // PDFs are deflated inside already; XML compresses well. The date is the issue date, so the
      // same period gives the same entries.
      zip.addReadStream(last, name, {
        compress: name.endsWith('.xml'),
        mtime: new Date(`${ref.issueDate}T12:00:00Z`),
      });
    }
    if (last) await once(last, 'end', { signal: gone.signal });
  }
  zip.end();
}

/**
 * Starts the archive of a period: validates it, lists and audits in one transaction, and returns the
 * ZIP as a stream that loads invoices as the client reads. A failure half-way aborts the stream
 * (the client sees a truncated download, never a partial archive that looks complete).
 */
export async function invoiceArchive(
  ctx: Ctx,
  period: ArchivePeriod,
): Promise<{ count: number; stream: NodeJS.ReadableStream }> {
  requirePermission(ctx, 'invoices:read');
  checkPeriod(period);
  const refs = await inInvoiceTx(ctx, async ({ tx, keys, at }) => {
    const found = await listIssuedInPeriod(tx, keys, period.from, period.to);
    await appendAudit(tx, keys, {
      action: 'invoice.exported',
      actor: ctx.actor,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { from: period.from, to: period.to, invoices: found.length },
      at,
    });
    return found;
  });
  const zip = new ZipFile();
  fill(ctx, zip, refs).catch((err: unknown) => {
    if ((err as Error).name === 'AbortError') return;
    ctx.services.log.error({ error: errorCode(err) }, 'invoice archive failed');
    (zip.outputStream as Readable).destroy(err instanceof Error ? err : new Error('archive failed'));
  });
  return { count: refs.length, stream: zip.outputStream };
}
