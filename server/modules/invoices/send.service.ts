/**
 * Sending an issued invoice (issue 5 point 7; docs/adr/0031-sending-and-archives.md). The request
 * marks the invoice sent, records `invoice.sent` and enqueues an `invoice.mail` job in ONE
 * transaction: the invoice is never marked sent without its mail durably queued, and a mail is never
 * queued for a change that rolled back. The job builds the mail (stored PDF, UBL, text in the
 * customer's language) and hands it to the mailer — SMTP, or the encrypted outbox — after which it
 * records `mail.sent`. Jobs run at least once: the `mail.sent` event is checked first, so only a
 * crash between the mailer's acceptance and that commit can send a mail twice.
 */
import { AppError, notFound } from '../../../domain/errors.ts';
import { type Ctx, type Services, SYSTEM } from '../../context.ts';
import { isUuid, newId } from '../../ids.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { JobInput, JobRunner } from '../../jobs/scheduler.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { assertCustomerNotRestricted } from '../subject-requests/restrictions.ts';
import { subjectRequestFormUrl } from '../subject-requests/subject-requests.service.ts';
import { storedPdf } from './documents.service.ts';
import { buildInvoiceDocument, type IssuedInvoice, isIssued } from './invoice-document.ts';
import { chooseUbl, composeInvoiceMail } from './invoice-mail.ts';
import type { Invoice } from './invoices.model.ts';
import { assertMayWrite } from './invoices.policy.ts';
import { findInvoice } from './invoices.repo.ts';
import { inInvoiceTx, type Step } from './invoices.tx.ts';
import { isMailDelivered, markSent } from './send.repo.ts';

/** The job kind that mails one issued invoice. */
export const INVOICE_MAIL_JOB = 'invoice.mail';

/** How an invoice reached its buyer: mailed by Kluis, or sent some other way (marked by hand). */
type Channel = 'mail' | 'manual';

/** Locks an issued invoice of this tenant; 404 for an unknown or foreign id, 409 for a draft. */
async function lockIssued(step: Step, id: string): Promise<IssuedInvoice> {
  const invoice = isUuid(id) ? await findInvoice(step.tx, step.keys, id, { lock: true }) : undefined;
  if (!invoice) throw notFound('invoice');
  if (!isIssued(invoice)) {
    throw new AppError('conflict', 'invoice_not_issued', 'A draft cannot be sent; issue it first');
  }
  return invoice;
}

/**
 * Marks the invoice sent: `issued` becomes `sent`; an invoice already further along (paid, credited)
 * keeps its status, since the trigger lets it only move forward. `sentAt` is the first sending.
 */
async function markInStep(
  step: Step,
  invoice: IssuedInvoice,
  channel: Channel,
  mailId?: string,
): Promise<Invoice> {
  const status = invoice.status === 'issued' ? 'sent' : invoice.status;
  const sentAt = invoice.sentAt ?? step.at;
  await markSent(step.tx, step.keys, invoice.id, { status, sentAt }, step.at);
  await step.record('invoice.sent', 'invoice', invoice.id, {
    channel,
    status,
    ...(mailId ? { mailId } : {}),
  });
  return { ...invoice, status, sentAt, updatedAt: step.at };
}

/**
 * Mails an issued invoice or credit note to the buyer's e-mail address as frozen on it, marks it
 * sent and records `invoice.sent`; the mail itself leaves from the `invoice.mail` job.
 */
export async function sendInvoice(ctx: Ctx, id: string): Promise<Invoice> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  return inInvoiceTx(ctx, async (step) => {
    const invoice = await lockIssued(step, id);
    // No invoice mails to a customer whose processing is restricted (Privacy center point 7).
    await assertCustomerNotRestricted(step.tx, ctx.tenantId, invoice.customerId);
    if (!invoice.buyer.email?.trim()) {
      throw new AppError(
        'unprocessable',
        'invoice_recipient_missing',
        'The invoice has no buyer e-mail address; send it yourself and mark it sent',
      );
    }
    const mailId = newId(step.at);
    // Ids only in the payload: the jobs table is not encrypted (server/jobs/jobs.repo.ts).
    await enqueueJob(step.tx, {
      kind: INVOICE_MAIL_JOB,
      key: `${INVOICE_MAIL_JOB}:${mailId}`,
      payload: { tenantId: ctx.tenantId, invoiceId: invoice.id, mailId },
      runAt: step.at,
      now: step.at,
    });
    return markInStep(step, invoice, 'mail', mailId);
  });
}

/** Marks an issued invoice sent without mailing it (it went by post, or from another system). */
export async function markInvoiceSent(ctx: Ctx, id: string): Promise<Invoice> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  return inInvoiceTx(ctx, async (step) => markInStep(step, await lockIssued(step, id), 'manual'));
}

function payloadOf(job: JobInput): { tenantId: string; invoiceId: string; mailId: string } {
  const { tenantId, invoiceId, mailId } = job.payload;
  if (![tenantId, invoiceId, mailId].every((v) => typeof v === 'string' && isUuid(v))) {
    throw new AppError(
      'invalid',
      'job_payload_invalid',
      'An invoice.mail job names a tenant, invoice and mail',
    );
  }
  return { tenantId: tenantId as string, invoiceId: invoiceId as string, mailId: mailId as string };
}

/**
 * The `invoice.mail` job: builds the mail from the issued invoice (the stored PDF, the UBL chosen by
 * chooseUbl, the text in the customer's language), sends it, and records `mail.sent`.
 */
export async function deliverInvoiceMail(
  job: JobInput,
  services: Services,
  /** The deployment's public URL: the mail links the business's form for data-subject requests. */
  publicUrl?: string,
): Promise<void> {
  const { tenantId, invoiceId, mailId } = payloadOf(job);
  const ctx: Ctx = { tenantId, actor: SYSTEM, requestId: null, ip: null, services };
  const prepared = await inInvoiceTx(ctx, async ({ tx, keys }) => {
    if (await isMailDelivered(tx, keys, mailId)) return null;
    const invoice = await findInvoice(tx, keys, invoiceId);
    const to = invoice && isIssued(invoice) ? invoice.buyer.email?.trim() : undefined;
    if (!invoice || !isIssued(invoice) || !to) return null;
    const customer = await findCustomer(tx, keys, invoice.customerId);
    const doc = buildInvoiceDocument(invoice, customer?.language ?? 'nl');
    const pdf = await storedPdf(tx, keys, services, invoice);
    const ubl = chooseUbl(doc);
    return {
      keys,
      ubl: ubl.format ?? 'none',
      message: composeInvoiceMail(
        doc,
        to,
        pdf,
        ubl,
        publicUrl ? subjectRequestFormUrl(publicUrl, tenantId) : undefined,
      ),
    };
  });
  if (!prepared) {
    services.log.warn({ jobId: job.jobId }, 'invoice mail skipped: already sent, or nothing to send');
    return;
  }
  const sent = await services.mailer.send(prepared.keys, prepared.message);
  await inInvoiceTx(ctx, ({ record }) =>
    record('mail.sent', 'invoice', invoiceId, { mailId, transport: sent.transport, ubl: prepared.ubl }),
  );
}

/** Registers the invoices module's job handlers with a runner (main.ts). */
export function registerInvoiceJobs(runner: JobRunner, options: { publicUrl?: string } = {}): JobRunner {
  return runner.register(INVOICE_MAIL_JOB, (job, services) =>
    deliverInvoiceMail(job, services, options.publicUrl),
  );
}
