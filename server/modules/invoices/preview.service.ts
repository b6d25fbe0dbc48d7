/**
 * The PDF preview of a draft invoice or credit note (issue 7 point 5): the draft rendered exactly as
 * issuing would print it now — the business's current details and branding, the customer's current
 * details (for a credit note: the credited invoice's buyer), the same document mapping and writer —
 * but clearly not an invoice: the number reads "CONCEPT"/"DRAFT", "CONCEPT – geen factuur" runs
 * diagonally across every page, the payment box has no EPC QR code, and no Factur-X XML is embedded
 * (a draft must never travel as an e-invoice). Nothing is written: no number, no snapshot, no blob;
 * only the `invoice.viewed` audit event every read of one invoice records.
 *
 * The file still says it is PDF/A-3b in its XMP. That claim is true: it is the same writer with the
 * same embedded fonts and ICC output intent, and the watermark is an opaque fill (no transparency),
 * so the preview is as conformant as the real PDF; leaving the claim out would make it print
 * differently from the invoice it previews for no gain.
 */
import { AppError, notFound } from '../../../domain/errors.ts';
import { computeTotals, vatTotalInAccountingCurrency } from '../../../domain/totals.ts';
import type { Ctx } from '../../context.ts';
import { isUuid } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { renderInvoicePdf } from '../documents/pdf/render.ts';
import { subjectRequestFormUrl } from '../subject-requests/subject-requests.service.ts';
import { documentStyle } from './branding.service.ts';
import { buildInvoiceDocument, type IssuedInvoice } from './invoice-document.ts';
import { storedTotals, totalsInput } from './invoices.input.ts';
import type { BuyerParty } from './invoices.model.ts';
import { findInvoice } from './invoices.repo.ts';
import { inInvoiceTx } from './invoices.tx.ts';
import { draftSnapshot } from './issue.service.ts';
import { findSettings } from './settings.repo.ts';
import { settingsMissing } from './settings.service.ts';

/** What a draft's preview prints where the number goes, and across each page, per language. */
export const PREVIEW_TEXTS = {
  nl: { number: 'CONCEPT', watermark: 'CONCEPT – geen factuur' },
  en: { number: 'DRAFT', watermark: 'DRAFT – not an invoice' },
} as const;

/** A buyer with nothing known, for a draft whose customer has gone: the preview still shows the rest. */
const UNKNOWN_BUYER: BuyerParty = {
  name: '',
  contactPerson: null,
  street: null,
  postalCode: null,
  city: null,
  country: null,
  vatNumber: null,
  kvkNumber: null,
  email: null,
  peppolId: null,
};

/** Renders the preview PDF of a draft; an issued invoice is refused with 409 `invoice_issued` (its real PDF is at /pdf). */
export async function draftPreviewPdf(ctx: Ctx, invoiceId: string): Promise<Buffer> {
  requirePermission(ctx, 'invoices:read');
  return inInvoiceTx(ctx, async (step) => {
    const { tx, keys, at, record } = step;
    const draft = isUuid(invoiceId) ? await findInvoice(tx, keys, invoiceId) : undefined;
    if (!draft) throw notFound('invoice');
    if (draft.status !== 'draft') {
      throw new AppError(
        'conflict',
        'invoice_issued',
        `This invoice is issued; its PDF is at /api/v1/invoices/${draft.id}/pdf`,
      );
    }
    const settings = await findSettings(tx, keys);
    if (!settings) throw settingsMissing();
    const snap = await draftSnapshot(step, draft, settings, { lock: false });
    const totals = computeTotals(totalsInput(draft, draft.lines));
    const taxAccounting =
      draft.currency === 'EUR' || !draft.exchangeRate
        ? null
        : vatTotalInAccountingCurrency(totals.taxAmount, draft.currency, draft.exchangeRate);
    const texts = PREVIEW_TEXTS[snap.language];
    const asIssued: IssuedInvoice = {
      ...draft,
      number: texts.number,
      issueDate: snap.issueDate,
      dueDate: snap.dueDate,
      paymentTermDays: snap.paymentTermDays,
      buyer: snap.buyer ?? UNKNOWN_BUYER,
      seller: snap.seller,
      issuedAt: at,
      totals: storedTotals(totals, taxAccounting),
    };
    const doc = buildInvoiceDocument(asIssued, snap.language);
    const style = await documentStyle(ctx.services.blobs, keys, snap.branding);
    await record('invoice.viewed', 'invoice', draft.id, { document: 'preview' });
    const { publicUrl } = ctx.services;
    return renderInvoicePdf(
      { ...doc, style },
      {
        draft: { watermark: texts.watermark },
        ...(publicUrl ? { privacyUrl: subjectRequestFormUrl(publicUrl, keys.tenantId) } : {}),
      },
    );
  });
}
