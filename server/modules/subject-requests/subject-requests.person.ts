/**
 * The tools for one data-subject request (Privacy center point 7): find the person among the
 * business's customers through the blind indexes (e-mail and name from the request, an IBAN the
 * business adds), and export everything about one customer as a ZIP: the customer record and their
 * invoices as JSON, and each issued invoice's stored PDF and its UBL. Both are reads of personal
 * data by an owner or admin and are audited. The ZIP streams: the lists are read and the export
 * audited in one transaction before the first byte, then each invoice is loaded after yazl consumed
 * the previous one's entries.
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { isUuid } from '../../ids.ts';
import { errorCode } from '../../jobs/scheduler.ts';
import { type CustomerRecord, findCustomer, findCustomersBy } from '../customers/customers.repo.ts';
import { storedPdf } from '../invoices/documents.service.ts';
import { buildInvoiceDocument, isIssued } from '../invoices/invoice-document.ts';
import { chooseUbl, documentFileName } from '../invoices/invoice-mail.ts';
import type { Invoice } from '../invoices/invoices.model.ts';
import { findInvoice, listInvoiceRows } from '../invoices/invoices.repo.ts';
import { presentInvoice } from '../invoices/invoices.schemas.ts';
import { inLegalTx, requireManager } from '../legal/legal.tx.ts';
import { findSubjectRequest } from './subject-requests.repo.ts';

/** A customer that may be the person of a request, and on which fields it matched. */
export interface PersonMatch {
  customerId: string;
  name: string | null;
  email: string | null;
  matchedOn: ('email' | 'name' | 'iban')[];
}

/**
 * The customers whose e-mail or name equals the request's (after normalisation), or whose IBAN
 * equals `iban` when given. Audited as `subject_request.matched` with the count.
 */
export async function matchSubjectRequest(
  ctx: Ctx,
  id: string,
  extra: { iban?: string | undefined } = {},
): Promise<PersonMatch[]> {
  requireManager(ctx, 'search for the person of a data-subject request');
  if (!isUuid(id)) throw notFound('subject_request');
  return inLegalTx(ctx, async ({ tx, keys, record }) => {
    const request = await findSubjectRequest(tx, keys, id);
    if (!request) throw notFound('subject_request');
    const found = new Map<string, PersonMatch>();
    const add = (customers: CustomerRecord[], on: PersonMatch['matchedOn'][number]) => {
      for (const c of customers) {
        const m = found.get(c.id) ?? {
          customerId: c.id,
          name: c.personal.name,
          email: c.personal.email,
          matchedOn: [],
        };
        m.matchedOn.push(on);
        found.set(c.id, m);
      }
    };
    add(await findCustomersBy(tx, keys, 'email', request.email), 'email');
    add(await findCustomersBy(tx, keys, 'name', request.name), 'name');
    const iban = extra.iban?.trim();
    if (iban) add(await findCustomersBy(tx, keys, 'iban', iban), 'iban');
    const matches = [...found.values()];
    await record(
      'subject_request.matched',
      { type: 'subject_request', id },
      { matches: matches.length, byIban: Boolean(iban) },
    );
    return matches;
  });
}

/** Every invoice (drafts, issued, credit notes) of one customer, in creation order. */
async function invoicesOf(
  tx: Parameters<typeof listInvoiceRows>[0],
  keys: Parameters<typeof listInvoiceRows>[1],
  customerId: string,
): Promise<Invoice[]> {
  const all: Invoice[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listInvoiceRows(tx, keys, { customerId }, after, 200);
    all.push(...page);
    if (page.length < 200) return all;
    after = page[page.length - 1]?.id ?? null;
  }
}

const json = (value: unknown) =>
  Buffer.from(
    `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );

function customerJson(c: CustomerRecord) {
  const { personal, ...rest } = c;
  return { ...rest, ...personal, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}

/**
 * Starts the ZIP of one customer's data for a request: `request.json` (what the person asked),
 * `customer.json`, `invoices.json`, and per issued invoice its PDF and UBL under `invoices/`.
 * 404 for an unknown request or customer (or another business's).
 */
export async function exportSubjectData(
  ctx: Ctx,
  id: string,
  customerId: string,
): Promise<{ invoices: number; stream: NodeJS.ReadableStream }> {
  requireManager(ctx, "export a person's data");
  if (!isUuid(id)) throw notFound('subject_request');
  const head = await inLegalTx(ctx, async ({ tx, keys, record, at }) => {
    const request = await findSubjectRequest(tx, keys, id);
    if (!request) throw notFound('subject_request');
    const customer = isUuid(customerId) ? await findCustomer(tx, keys, customerId) : undefined;
    if (!customer) throw notFound('customer');
    const invoices = await invoicesOf(tx, keys, customer.id);
    await record(
      'subject_request.exported',
      { type: 'subject_request', id },
      { customerId: customer.id, invoices: invoices.length },
    );
    return {
      entries: [
        {
          name: 'request.json',
          data: json({
            id: request.id,
            kind: request.kind,
            name: request.name,
            email: request.email,
            description: request.description,
            receivedAt: request.receivedAt.toISOString(),
            exportedAt: at.toISOString(),
          }),
        },
        { name: 'customer.json', data: json(customerJson(customer)) },
        { name: 'invoices.json', data: json(invoices.map(presentInvoice)) },
      ],
      issued: invoices.filter(isIssued).map((i) => ({ id: i.id, number: i.number })),
    };
  });
  const zip = new ZipFile();
  const mtime = ctx.services.clock.now();
  for (const e of head.entries) zip.addBuffer(e.data, e.name, { mtime });
  fill(ctx, zip, head.issued, mtime).catch((err: unknown) => {
    if ((err as Error).name === 'AbortError') return;
    ctx.services.log.error({ error: errorCode(err) }, 'subject data export failed');
    (zip.outputStream as Readable).destroy(err instanceof Error ? err : new Error('export failed'));
  });
  return { invoices: head.issued.length, stream: zip.outputStream };
}

async function fill(
  ctx: Ctx,
  zip: ZipFile,
  issued: readonly { id: string; number: string }[],
  mtime: Date,
): Promise<void> {
  const gone = new AbortController();
  (zip.outputStream as Readable).once('close', () => gone.abort());
  const used = new Set<string>();
  for (const ref of issued) {
    if (gone.signal.aborted) return;
    const entries = await inLegalTx(ctx, async ({ tx, keys }) => {
      const invoice = await findInvoice(tx, keys, ref.id);
      if (!invoice || !isIssued(invoice)) return [];
      const customer = await findCustomer(tx, keys, invoice.customerId);
      const out = [
        {
          name: documentFileName(ref.number, 'pdf'),
          data: await storedPdf(tx, keys, ctx.services, invoice),
        },
      ];
      const ubl = chooseUbl(buildInvoiceDocument(invoice, customer?.language ?? 'nl'));
      if (ubl.format) {
        out.push({
          name: documentFileName(`${ref.number}-${ubl.format}`, 'xml'),
          data: Buffer.from(ubl.xml),
        });
      }
      return out;
    });
    let last: Readable | undefined;
    for (const e of entries) {
      const name = `invoices/${used.has(e.name) ? `${ref.id}-${e.name}` : e.name}`;
      used.add(e.name);
      last = Readable.from([e.data]);
      zip.addReadStream(last, name, { compress: name.endsWith('.xml'), mtime });
    }
    if (last) await once(last, 'end', { signal: gone.signal });
  }
  zip.end();
}
