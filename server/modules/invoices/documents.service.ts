/**
 * The documents of an issued invoice (issue 5 point 6): the PDF (Factur-X, with its CII embedded),
 * UBL for Peppol or NLCIUS, and CII. Each is rendered from the frozen document, never from the
 * current customer or settings, so the same invoice always gives the same bytes. A draft has no
 * documents (409 `invoice_not_issued`); another business's invoice is as missing as an unknown id.
 */
import { AppError, isAppError, notFound } from '../../../domain/errors.ts';
import type { InvoiceDocument } from '../../../domain/invoice-document.ts';
import { isBlobNotFound } from '../../blobs/blob-store.ts';
import type { Ctx, Services } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { isUuid } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { type UblFormat, writeCii, writeUbl } from '../documents/einvoice/index.ts';
import { renderInvoicePdf } from '../documents/pdf/render.ts';
import { subjectRequestFormUrl } from '../subject-requests/subject-requests.service.ts';
import { findInvoiceBranding } from './branding.repo.ts';
import { documentStyle } from './branding.service.ts';
import { buildInvoiceDocument, type IssuedInvoice, isIssued } from './invoice-document.ts';
import { findInvoice } from './invoices.repo.ts';
import { inInvoiceTx } from './invoices.tx.ts';

/** Which document of an invoice was fetched, as the audit event records it. */
type DocumentFormat = 'pdf' | 'cii' | `ubl_${UblFormat}`;

async function documentOf(ctx: Ctx, invoiceId: string, format: DocumentFormat): Promise<InvoiceDocument> {
  requirePermission(ctx, 'invoices:read');
  return inInvoiceTx(ctx, async ({ tx, keys, record }) => {
    const invoice = isUuid(invoiceId) ? await findInvoice(tx, keys, invoiceId) : undefined;
    if (!invoice) throw notFound('invoice');
    if (!isIssued(invoice)) {
      throw new AppError('conflict', 'invoice_not_issued', 'A draft has no documents; issue it first');
    }
    // The language only picks the wording of the legal texts; the parties come from the snapshots.
    const customer = await findCustomer(tx, keys, invoice.customerId);
    await record('invoice.viewed', 'invoice', invoice.id, { document: format });
    return buildInvoiceDocument(invoice, customer?.language ?? 'nl');
  });
}

/** Turns a writer's refusal (an `invalid` AppError) into 422 with the same code: the invoice is fine, the format is not. */
function unprocessable<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (isAppError(err) && err.kind === 'invalid') {
      throw new AppError('unprocessable', err.code, err.message, err.issues);
    }
    throw err;
  }
}

/** The frozen document of an issued invoice or credit note; a draft is refused with 409. */
export async function invoiceDocument(ctx: Ctx, invoiceId: string): Promise<InvoiceDocument> {
  return documentOf(ctx, invoiceId, 'pdf');
}

/** Where an issued invoice's PDF is kept (ids only: blob keys never carry personal data). */
export function pdfBlobKey(invoiceId: string): string {
  return `invoices/${invoiceId}.pdf`;
}

/**
 * Renders the PDF/A-3 of a frozen document, a Factur-X invoice when its CII can be written, with the
 * business's data-subject request form in the footer when Kluis knows its public URL.
 */
export function renderIssuedPdf(doc: InvoiceDocument, privacyUrl?: string): Buffer {
  let cii: string | null = null;
  try {
    cii = writeCii(doc);
  } catch (err) {
    // A document no e-invoice can carry still gets its PDF, just without the embedded XML.
    if (!isAppError(err)) throw err;
  }
  return renderInvoicePdf(doc, {
    ...(cii ? { facturX: Buffer.from(cii, 'utf8') } : {}),
    ...(privacyUrl ? { privacyUrl } : {}),
  });
}

/**
 * The stored PDF of an issued invoice: the encrypted blob written when it was issued (its hash is in
 * the `invoice.issued` audit event). Should the blob be missing, it is rendered again from the
 * frozen document — the same bytes — and stored. Used by the download, the mail and the archive.
 */
export async function storedPdf(
  tx: Tx,
  keys: TenantKeys,
  { blobs, publicUrl }: Pick<Services, 'blobs' | 'publicUrl'>,
  invoice: IssuedInvoice,
): Promise<Buffer> {
  try {
    return await blobs.get(keys, pdfBlobKey(invoice.id));
  } catch (err) {
    if (!isBlobNotFound(err)) throw err;
  }
  const customer = await findCustomer(tx, keys, invoice.customerId);
  const doc = buildInvoiceDocument(invoice, customer?.language ?? 'nl');
  const style = await documentStyle(blobs, keys, await findInvoiceBranding(tx, keys, invoice.id));
  const pdf = renderIssuedPdf(
    { ...doc, style },
    publicUrl ? subjectRequestFormUrl(publicUrl, keys.tenantId) : undefined,
  );
  await blobs.put(keys, pdfBlobKey(invoice.id), pdf);
  return pdf;
}

/** The PDF of an issued invoice, served from its encrypted blob (see storedPdf). */
export async function invoicePdf(ctx: Ctx, invoiceId: string): Promise<{ number: string; pdf: Buffer }> {
  requirePermission(ctx, 'invoices:read');
  return inInvoiceTx(ctx, async ({ tx, keys, record }) => {
    const invoice = isUuid(invoiceId) ? await findInvoice(tx, keys, invoiceId) : undefined;
    if (!invoice) throw notFound('invoice');
    if (!isIssued(invoice)) {
      throw new AppError('conflict', 'invoice_not_issued', 'A draft has no documents; issue it first');
    }
    await record('invoice.viewed', 'invoice', invoice.id, { document: 'pdf' });
    return { number: invoice.number, pdf: await storedPdf(tx, keys, ctx.services, invoice) };
  });
}

/** The UBL 2.1 of an issued invoice in the Peppol BIS 3.0 or NLCIUS flavour; 422 when it cannot be one. */
export async function invoiceUbl(
  ctx: Ctx,
  invoiceId: string,
  format: UblFormat,
): Promise<{ number: string; xml: string }> {
  const doc = await documentOf(ctx, invoiceId, `ubl_${format}`);
  return { number: doc.number, xml: unprocessable(() => writeUbl(doc, format)) };
}

/** The UN/CEFACT CII D16B of an issued invoice; 422 when it cannot be one. */
export async function invoiceCii(ctx: Ctx, invoiceId: string): Promise<{ number: string; xml: string }> {
  const doc = await documentOf(ctx, invoiceId, 'cii');
  return { number: doc.number, xml: unprocessable(() => writeCii(doc)) };
}
