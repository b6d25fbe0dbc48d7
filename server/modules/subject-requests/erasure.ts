/**
 * Erasure of a customer on a data-subject request (Art. 17), as far as the fiscal record allows.
 * In one transaction: the customer's draft invoices are deleted; the customer record keeps only a
 * pseudonym as its name, every other personal field is emptied (with its blind index); and the
 * customer is restricted (ADR 0055), so the issued invoices — whose frozen buyer details the
 * seven-year retention duty (domain/retention.ts) keeps — are no longer used for new invoices or
 * mails. When their retention period ends, a durable job pseudonymises those frozen details and
 * removes the stored PDFs (pseudonymisation.ts, ADR 0059). The erasure is recorded on the request.
 */
import { and, eq } from 'drizzle-orm';
import { notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { isUuid, newId } from '../../ids.ts';
import {
  type CustomerPersonal,
  type CustomerPlain,
  findCustomer,
  updateCustomerRow,
} from '../customers/customers.repo.ts';
import { invoices } from '../invoices/invoices.tables.ts';
import { inLegalTx, requireManager } from '../legal/legal.tx.ts';
import { enqueuePseudonymisation } from './pseudonymisation.ts';
import { findSubjectRequest, insertOutcome } from './subject-requests.repo.ts';
import { customerRestrictions } from './subject-requests.tables.ts';

/** What erasure did. */
export interface ErasureResult {
  customerId: string;
  draftsDeleted: number;
  /** Issued invoices and credit notes kept for the fiscal retention duty, now restricted. */
  issuedKept: number;
  /** When the first kept invoice's retention ends and its buyer details are pseudonymised; null without any. */
  pseudonymiseFrom: Date | null;
}

/** The name an erased customer keeps: no personal data, recognisable in lists. */
export const ERASED_NAME = 'Verwijderd op verzoek';

/** Erases a customer's personal data on a request; audited as `customer.erased` with the counts. */
export async function eraseCustomer(ctx: Ctx, requestId: string, customerId: string): Promise<ErasureResult> {
  requireManager(ctx, "erase a customer's data");
  if (!isUuid(requestId)) throw notFound('subject_request');
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    if (!(await findSubjectRequest(tx, keys, requestId))) throw notFound('subject_request');
    const customer = isUuid(customerId) ? await findCustomer(tx, keys, customerId) : undefined;
    if (!customer) throw notFound('customer');
    const mine = and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.customerId, customer.id));
    const deleted = await tx
      .delete(invoices)
      .where(and(mine, eq(invoices.status, 'draft')))
      .returning({ id: invoices.id });
    const kept = await tx.select({ id: invoices.id }).from(invoices).where(mine);

    const personal = Object.fromEntries(
      Object.keys(customer.personal).map((k) => [k, k === 'name' ? ERASED_NAME : null]),
    ) as CustomerPersonal;
    const plain: CustomerPlain = {
      kind: customer.kind,
      country: customer.country,
      bic: null,
      language: customer.language,
      paymentTermDays: customer.paymentTermDays,
      defaultVatCategory: customer.defaultVatCategory,
    };
    await updateCustomerRow(tx, keys, customer.id, customer.version, plain, personal, at);
    await tx
      .insert(customerRestrictions)
      .values({ tenantId: ctx.tenantId, customerId: customer.id, kind: 'restriction', requestId, since: at })
      .onConflictDoUpdate({
        target: [customerRestrictions.tenantId, customerRestrictions.customerId, customerRestrictions.kind],
        set: { requestId, since: at, liftedAt: null },
      });
    const pseudonymiseFrom = await enqueuePseudonymisation(tx, ctx.tenantId, customer.id, requestId, at);
    await insertOutcome(tx, keys, requestId, {
      id: newId(at),
      outcome: 'erased',
      reason: `Customer ${customer.id}: ${deleted.length} draft(s) deleted, ${kept.length} issued invoice(s) kept and restricted`,
      deadlineAt: null,
      decidedAt: at,
      actor: ctx.actor,
    });
    await record(
      'customer.erased',
      { type: 'customer', id: customer.id },
      { requestId, draftsDeleted: deleted.length, issuedKept: kept.length },
    );
    return {
      customerId: customer.id,
      draftsDeleted: deleted.length,
      issuedKept: kept.length,
      pseudonymiseFrom,
    };
  });
}
