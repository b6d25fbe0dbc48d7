/**
 * Rectification (Art. 16) and completion of a customer's personal data on a data-subject request.
 * The change goes through the customers module's validation (every problem at once, answered as
 * 422 with the same issues: the request was well formed, the record cannot become what was asked)
 * and applies to the customer record and so to future invoices. Issued invoices keep the buyer
 * details they were issued with: they are the fiscal record and frozen (ADR 0020); a wrong detail
 * on one is corrected with a credit note and a new invoice. Recorded on the request and audited as
 * `customer.rectified` with the field names only.
 */
import { and, eq, ne } from 'drizzle-orm';
import { AppError, isAppError, notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { isUuid, newId } from '../../ids.ts';
import { findCustomer, updateCustomerRow } from '../customers/customers.repo.ts';
import {
  type Customer,
  type CustomerInput,
  customerFields,
  validateCustomer,
} from '../customers/customers.service.ts';
import { invoices } from '../invoices/invoices.tables.ts';
import { inLegalTx, requireManager } from '../legal/legal.tx.ts';
import { findSubjectRequest, insertOutcome } from './subject-requests.repo.ts';

/** What the business corrects (rectification) or adds (completion). */
export interface RectificationInput {
  customerId: string;
  kind: 'rectification' | 'completion';
  changes: Partial<CustomerInput>;
  /** The customer's version the business saw; a concurrent change answers 409. */
  version?: number;
}

/** The corrected customer, and how many issued invoices keep their frozen buyer details. */
export interface RectificationResult {
  customer: Customer;
  issuedKept: number;
}

const changed = (o: object) => Object.keys(o).sort();

/** Rectifies or completes a customer's personal data on a request (owners and admins). */
export async function rectifyCustomer(
  ctx: Ctx,
  requestId: string,
  input: RectificationInput,
): Promise<RectificationResult> {
  requireManager(ctx, "rectify a customer's data");
  if (!isUuid(requestId)) throw notFound('subject_request');
  const fields = changed(input.changes);
  if (fields.length === 0) {
    throw new AppError(
      'unprocessable',
      'nothing_to_change',
      'Give at least one field to correct or complete',
    );
  }
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    if (!(await findSubjectRequest(tx, keys, requestId))) throw notFound('subject_request');
    const current = isUuid(input.customerId) ? await findCustomer(tx, keys, input.customerId) : undefined;
    if (!current) throw notFound('customer');
    const conflict = () =>
      new AppError('conflict', 'customer_changed', 'The customer was changed by someone else; reload it');
    if (input.version !== undefined && input.version !== current.version) throw conflict();
    const before = customerFields(current);
    const merged: CustomerInput = {
      ...before,
      ...input.changes,
      address: { ...before.address, ...input.changes.address },
    };
    let valid: ReturnType<typeof validateCustomer>;
    try {
      valid = validateCustomer(merged);
    } catch (err) {
      if (isAppError(err) && err.kind === 'invalid') {
        throw new AppError('unprocessable', err.code, err.message, err.issues);
      }
      throw err;
    }
    if (!(await updateCustomerRow(tx, keys, current.id, current.version, valid.plain, valid.personal, at))) {
      throw conflict();
    }
    const issued = await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, ctx.tenantId),
          eq(invoices.customerId, current.id),
          ne(invoices.status, 'draft'),
        ),
      );
    await insertOutcome(tx, keys, requestId, {
      id: newId(at),
      outcome: input.kind === 'completion' ? 'supplemented' : 'rectified',
      reason: `Customer ${current.id}: ${fields.join(', ')} changed; ${issued.length} issued invoice(s) keep the details they were issued with`,
      deadlineAt: null,
      decidedAt: at,
      actor: ctx.actor,
    });
    await record(
      'customer.rectified',
      { type: 'customer', id: current.id },
      { requestId, kind: input.kind, fields: fields.join(',') },
    );
    const customer = await findCustomer(tx, keys, current.id);
    if (!customer) throw new Error('customer vanished inside its own transaction');
    return { customer, issuedKept: issued.length };
  });
}
