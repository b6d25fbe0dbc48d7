/**
 * The last step of an erasure (ADR 0059): once the seven-year retention period of an erased
 * customer's issued invoice has ended, its frozen buyer details are replaced by a pseudonym and its
 * stored PDF is removed. Erasure enqueues a durable job for the first invoice whose period ends;
 * each run pseudonymises every invoice of that customer whose period ended (on the injected clock)
 * and enqueues the next run for the next one. The change itself is made by the database function
 * `kluis_pseudonymise_invoice`, the only path past the immutability trigger, which checks the
 * retention end again on the database's own clock and refuses a second run on the same invoice.
 *
 * Only erased customers: for them the person asked for erasure, and the fiscal duty is the only
 * reason the details were kept. Other customers' old invoices are the business's records; deleting
 * or pseudonymising them after the period is the business's choice (the privacy center warns and
 * exports), not something Kluis does on its own.
 */
import { and, eq, ne, notExists, sql } from 'drizzle-orm';
import { type IsoDate, nextDay } from '../../../domain/dates.ts';
import { isRetentionOver, retentionEndDate } from '../../../domain/retention.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import { type Services, SYSTEM } from '../../context.ts';
import { encryptField } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { JobRunner } from '../../jobs/scheduler.ts';
import { pdfBlobKey } from '../invoices/documents.service.ts';
import { invoices } from '../invoices/invoices.tables.ts';
import { insertOutcome } from './subject-requests.repo.ts';
import { invoicePseudonymisations } from './subject-requests.tables.ts';

/** The job kind. */
export const PSEUDONYMISE_JOB = 'subject_request.pseudonymise';

/** The buyer name an issued invoice keeps: no personal data, the same for one customer's invoices. */
export function buyerPseudonym(customerId: string): string {
  return `Gepseudonimiseerd ${customerId.slice(0, 8)}`;
}

/** Midnight UTC after the last day an invoice of `issueDate` must be kept. */
export function pseudonymisableAt(issueDate: IsoDate): Date {
  return new Date(`${nextDay(retentionEndDate(issueDate))}T00:00:00.000Z`);
}

/** The customer's issued invoices and credit notes that still carry the buyer's details. */
async function pendingOf(tx: Tx, tenantId: string, customerId: string) {
  const rows = await tx
    .select({ id: invoices.id, issueDate: invoices.issueDate })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        eq(invoices.customerId, customerId),
        ne(invoices.status, 'draft'),
        notExists(
          tx
            .select({ one: invoicePseudonymisations.invoiceId })
            .from(invoicePseudonymisations)
            .where(
              and(
                eq(invoicePseudonymisations.tenantId, invoices.tenantId),
                eq(invoicePseudonymisations.invoiceId, invoices.id),
              ),
            ),
        ),
      ),
    );
  return rows.filter((r): r is { id: string; issueDate: string } => r.issueDate !== null);
}

/**
 * Enqueues, in the caller's transaction, the run for the customer's first issued invoice still to be
 * pseudonymised; nothing when there is none. Keyed by customer and moment, so enqueueing twice adds
 * one job.
 */
export async function enqueuePseudonymisation(
  tx: Tx,
  tenantId: string,
  customerId: string,
  requestId: string,
  now: Date,
): Promise<Date | null> {
  const pending = await pendingOf(tx, tenantId, customerId);
  if (pending.length === 0) return null;
  const runAt = new Date(Math.min(...pending.map((p) => pseudonymisableAt(p.issueDate).getTime())));
  await enqueueJob(tx, {
    kind: PSEUDONYMISE_JOB,
    key: `${PSEUDONYMISE_JOB}:${tenantId}:${customerId}:${runAt.toISOString()}`,
    payload: { tenantId, customerId, requestId },
    runAt,
    now,
  });
  return runAt;
}

async function pseudonymiseOne(
  tx: Tx,
  keys: TenantKeys,
  services: Services,
  invoiceId: string,
  customerId: string,
  requestId: string,
  at: Date,
): Promise<void> {
  const nameEnc = encryptField(
    keys.data,
    { tenantId: keys.tenantId, table: 'invoices', column: 'buyer_name_enc', rowId: invoiceId },
    buyerPseudonym(customerId),
  );
  await tx.execute(
    sql`SELECT kluis_pseudonymise_invoice(${invoiceId}::uuid, ${requestId}::uuid, ${nameEnc}::bytea, ${at.toISOString()}::timestamptz)`,
  );
  // The stored PDF shows the buyer as issued. Removed inside the transaction: should the commit
  // fail, the PDF is rendered again from the (unchanged) frozen document when next asked for, and
  // after the commit it is rendered from the pseudonymised one. UBL and CII are never stored.
  await services.blobs.delete(keys.tenantId, pdfBlobKey(invoiceId));
  await appendAudit(tx, keys, {
    action: 'invoice.pseudonymised',
    actor: SYSTEM,
    target: { type: 'invoice', id: invoiceId },
    data: { requestId, customerId },
    at,
  });
}

/**
 * Pseudonymises the customer's issued invoices whose retention ended by the injected clock, records
 * the outcome on the request, and enqueues the run for the next one. Returns how many it changed.
 */
export async function pseudonymiseDueInvoices(
  services: Services,
  payload: { tenantId: string; customerId: string; requestId: string },
): Promise<number> {
  const { tenantId, customerId, requestId } = payload;
  const at = services.clock.now();
  const today = at.toISOString().slice(0, 10);
  return inTenant(services.db, tenantId, async (tx) => {
    const keys = await services.keyring.forTenant(tx, tenantId);
    const pending = await pendingOf(tx, tenantId, customerId);
    const due = pending.filter((p) => isRetentionOver(p.issueDate, today));
    for (const p of due) await pseudonymiseOne(tx, keys, services, p.id, customerId, requestId, at);
    if (due.length > 0) {
      await insertOutcome(tx, keys, requestId, {
        id: newId(at),
        outcome: 'pseudonymised',
        reason: `${due.length} issued invoice(s) past their retention period: buyer details pseudonymised, stored PDF removed`,
        deadlineAt: null,
        decidedAt: at,
        actor: SYSTEM,
      });
    }
    await enqueuePseudonymisation(tx, tenantId, customerId, requestId, at);
    return due.length;
  });
}

/** Registers the pseudonymisation handler (through registerSubjectRequestJobs). */
export function registerPseudonymisationJob(runner: JobRunner): JobRunner {
  return runner.register(PSEUDONYMISE_JOB, async (job, services) => {
    const { tenantId, customerId, requestId } = job.payload;
    if (typeof tenantId !== 'string' || typeof customerId !== 'string' || typeof requestId !== 'string') {
      throw new Error('bad pseudonymisation payload');
    }
    await pseudonymiseDueInvoices(services, { tenantId, customerId, requestId });
  });
}
