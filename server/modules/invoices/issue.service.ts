/**
 * Issuing: the one moment an invoice gets its number and its content freezes. Everything happens in
 * one transaction — validate the VAT, compute the totals, snapshot buyer and seller, take the next
 * number of the series, mark it issued, audit — so a failure or a crash anywhere leaves a draft and
 * an untouched series: no gap, no duplicate (docs/adr/0020-invoice-numbering-and-immutability.md).
 */
import { createHash } from 'node:crypto';
import { type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import { renderInvoiceNumber, seriesKey } from '../../../domain/numbering.ts';
import { computeTotals, vatTotalInAccountingCurrency } from '../../../domain/totals.ts';
import { checkVatConsistency } from '../../../domain/vat.ts';
import type { Ctx, Services } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { assertPrivacyContact } from '../legal/index.ts';
import { assertCustomerNotRestricted } from '../subject-requests/restrictions.ts';
import { subjectRequestFormUrl } from '../subject-requests/subject-requests.service.ts';
import { findBranding, freezeBranding } from './branding.repo.ts';
import { documentStyle } from './branding.service.ts';
import { markFullyCredited } from './credit-notes.service.ts';
import { pdfBlobKey, renderIssuedPdf } from './documents.service.ts';
import { lockInvoice } from './drafts.service.ts';
import { buildInvoiceDocument, isIssued } from './invoice-document.ts';
import { addDays, dutchDate, storedTotals, totalsInput } from './invoices.input.ts';
import type { BuyerParty, Invoice } from './invoices.model.ts';
import { assertAllowed, assertMayWrite } from './invoices.policy.ts';
import { findInvoice, markIssued } from './invoices.repo.ts';
import { inInvoiceTx, type Step, stepIn } from './invoices.tx.ts';
import { allocateNumber, findSettings } from './settings.repo.ts';
import { settingsMissing } from './settings.service.ts';

/** Issues a draft invoice or credit note and records `invoice.issued`; returns it with its number. */
export async function issueInvoice(ctx: Ctx, id: string): Promise<Invoice> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  return inInvoiceTx(ctx, (step) => issueInStep(step, id, ctx.services));
}

/** Issues inside a transaction the caller holds open (the crash test stops right after it). */
export async function issueInTransaction(ctx: Ctx, tx: Tx, keys: TenantKeys, id: string): Promise<Invoice> {
  return stepIn(ctx, tx, keys, ctx.services.clock.now(), (step) => issueInStep(step, id, ctx.services));
}

async function buyerOf(
  step: Step,
  draft: Invoice,
  lock: boolean,
): Promise<{ buyer: BuyerParty | null; termDays: number | null; language: 'nl' | 'en' }> {
  const { tx, keys } = step;
  if (draft.kind === 'credit_note' && draft.credited) {
    // A credit note goes to the party the invoice went to, as it was then. The invoice is locked
    // now, before the series and the audit head, the order every use case takes these locks in.
    const original = await findInvoice(tx, keys, draft.credited.invoiceId, { lock });
    const customer = await findCustomer(tx, keys, draft.customerId);
    return { buyer: original?.buyer ?? null, termDays: null, language: customer?.language ?? 'nl' };
  }
  // Read once: the snapshot, the payment term and the PDF's language all come from this row.
  const customer = await findCustomer(tx, keys, draft.customerId);
  if (!customer) return { buyer: null, termDays: null, language: 'nl' };
  const p = customer.personal;
  return {
    buyer: {
      name: p.name ?? '',
      contactPerson: p.contactPerson,
      street: p.street,
      postalCode: p.postalCode,
      city: p.city,
      country: customer.country,
      vatNumber: p.vatNumber,
      kvkNumber: p.kvkNumber,
      email: p.email,
      peppolId: p.peppolId,
    },
    termDays: customer.paymentTermDays,
    language: customer.language,
  };
}

/**
 * What issuing would freeze for `draft` now — the business's current branding and seller details,
 * the buyer snapshot, the document language and the dates — read without writing anything. Issuing
 * uses it (locking a credited invoice), and so does the draft's PDF preview (locking nothing).
 */
export async function draftSnapshot(
  step: Step,
  draft: Invoice,
  settings: NonNullable<Awaited<ReturnType<typeof findSettings>>>,
  options: { lock: boolean },
) {
  const branding = (await findBranding(step.tx, step.keys)) ?? { accentColor: null, logo: null };
  const { seller } = settings;
  const { buyer, termDays, language } = await buyerOf(step, draft, options.lock);
  const issueDate = draft.issueDate ?? dutchDate(step.at);
  const paymentTermDays = draft.paymentTermDays ?? termDays ?? settings.defaultPaymentTermDays;
  const dueDate = draft.dueDate ?? addDays(issueDate, paymentTermDays);
  return { branding, seller, buyer, language, issueDate, paymentTermDays, dueDate };
}

async function issueInStep(
  step: Step,
  id: string,
  { blobs, publicUrl }: Pick<Services, 'blobs' | 'publicUrl'>,
): Promise<Invoice> {
  const { tx, keys, at, record } = step;
  const draft = await lockInvoice(tx, keys, id);
  assertAllowed(draft, 'issue');
  const settings = await findSettings(tx, keys);
  if (!settings) throw settingsMissing();
  // The agreement requires a data-protection contact before the first invoice (Privacy center point 3).
  await assertPrivacyContact(tx, keys.tenantId);
  // A customer whose processing is restricted gets no new invoices (Privacy center point 7).
  if (draft.kind !== 'credit_note') await assertCustomerNotRestricted(tx, keys.tenantId, draft.customerId);
  const { branding, seller, buyer, language, issueDate, paymentTermDays, dueDate } = await draftSnapshot(
    step,
    draft,
    settings,
    { lock: true },
  );

  const issues: FieldIssue[] = [];
  const issue = (path: string, code: string, message: string) => issues.push({ path, code, message });
  if (!buyer) issue('customerId', 'customer_not_found', 'The customer of this draft no longer exists');
  else if (!buyer.street || !buyer.city || !buyer.country) {
    issue('buyer.address', 'buyer_address_required', "The buyer's address must be on the invoice");
  }
  if (!seller.street || !seller.city) {
    issue('seller.address', 'seller_address_required', "The seller's address must be on the invoice");
  }
  if (seller.country === 'NL' && !seller.kvkNumber) {
    issue('seller.kvkNumber', 'seller_kvk_number_required', 'A Dutch seller prints its KvK number');
  }
  if (dueDate < issueDate) issue('dueDate', 'due_before_issue', 'The due date is before the issue date');
  if (draft.currency !== 'EUR' && !draft.exchangeRate) {
    issue('exchangeRate', 'exchange_rate_required', 'A non-EUR invoice states its VAT in EUR too');
  }
  issues.push(
    ...checkVatConsistency({
      issueDate,
      ...(draft.supplyDate ? { supplyDate: draft.supplyDate } : {}),
      seller: { country: seller.country, vatNumber: seller.vatNumber ?? undefined, isKor: seller.isKor },
      buyer: { country: buyer?.country ?? seller.country, vatNumber: buyer?.vatNumber ?? undefined },
      ...(draft.deliveryCountry ? { deliveryCountry: draft.deliveryCountry } : {}),
      ...(draft.exemptionReason ? { exemptionReason: draft.exemptionReason } : {}),
      ...(draft.exemptionReasonCode ? { exemptionReasonCode: draft.exemptionReasonCode } : {}),
      lines: draft.lines,
      allowances: draft.allowances,
      charges: draft.charges,
    }),
  );
  if (issues.length > 0 || !buyer) throw invalidInput(issues, 'The invoice cannot be issued');

  const totals = computeTotals(totalsInput(draft, draft.lines));
  const taxAccounting =
    draft.currency === 'EUR' || !draft.exchangeRate
      ? null
      : vatTotalInAccountingCurrency(totals.taxAmount, draft.currency, draft.exchangeRate);
  // The number comes last: the series row stays locked for as short a time as possible.
  const series = seriesKey(settings.numberFormat, issueDate);
  const seq = await allocateNumber(tx, keys.tenantId, series);
  const number = renderInvoiceNumber(settings.numberFormat, issueDate, seq);
  const write = { series, seq, number, issueDate, dueDate, paymentTermDays, buyer, seller };
  await freezeBranding(tx, keys, id, branding);
  await markIssued(tx, keys, id, { ...write, totals: storedTotals(totals, taxAccounting) }, at);
  const issued = await findInvoice(tx, keys, id);
  if (!issued || !isIssued(issued)) throw new Error('invoice vanished inside its own transaction');
  // The PDF is rendered now, from the frozen document, and stored encrypted before the commit, so
  // an issued invoice always has it; its hash goes into the audit event that proves the issue.
  const doc = buildInvoiceDocument(issued, language);
  const pdf = renderIssuedPdf(
    { ...doc, style: await documentStyle(blobs, keys, branding) },
    publicUrl ? subjectRequestFormUrl(publicUrl, keys.tenantId) : undefined,
  );
  await blobs.put(keys, pdfBlobKey(id), pdf);
  const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
  await record('invoice.issued', 'invoice', id, { kind: draft.kind, number, series, seq, pdfSha256 });
  if (draft.kind === 'credit_note' && draft.credited) await markFullyCredited(step, draft.credited.invoiceId);
  return issued;
}
