/**
 * Restriction (Art. 18) and objection (Art. 21) for one customer, set by an owner or admin on a
 * data-subject request and lifted by them later. A restricted customer gets no new invoices
 * (credit notes, which correct the fiscal record, stay possible) and no invoice mails: issuing and
 * sending refuse with 422 `customer_restricted`. An objection is recorded for the reminders and
 * mailings that honour it (Kluis sends no payment reminders or mailings yet). Both are audited.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { isUuid } from '../../ids.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { inLegalTx, requireManager } from '../legal/legal.tx.ts';
import { findSubjectRequest } from './subject-requests.repo.ts';
import { customerRestrictions } from './subject-requests.tables.ts';

export type RestrictionKind = 'restriction' | 'objection';

/** A customer's restrictions in force. */
export interface CustomerRestrictions {
  customerId: string;
  restriction: { since: Date; requestId: string } | null;
  objection: { since: Date; requestId: string } | null;
}

async function activeOf(tx: Tx, tenantId: string, customerId: string): Promise<CustomerRestrictions> {
  const rows = await tx
    .select()
    .from(customerRestrictions)
    .where(
      and(
        eq(customerRestrictions.tenantId, tenantId),
        eq(customerRestrictions.customerId, customerId),
        isNull(customerRestrictions.liftedAt),
      ),
    );
  const of = (kind: RestrictionKind) => {
    const r = rows.find((x) => x.kind === kind);
    return r ? { since: r.since, requestId: r.requestId } : null;
  };
  return { customerId, restriction: of('restriction'), objection: of('objection') };
}

/** True when the customer has a restriction or objection of `kind` in force (inside the caller's transaction). */
export async function isCustomerRestricted(
  tx: Tx,
  tenantId: string,
  customerId: string,
  kind: RestrictionKind = 'restriction',
): Promise<boolean> {
  return (await activeOf(tx, tenantId, customerId))[kind] !== null;
}

/** Throws 422 `customer_restricted` when processing of the customer is restricted. */
export async function assertCustomerNotRestricted(
  tx: Tx,
  tenantId: string,
  customerId: string,
): Promise<void> {
  if (await isCustomerRestricted(tx, tenantId, customerId)) {
    throw new AppError(
      'unprocessable',
      'customer_restricted',
      'Processing of this customer is restricted on a data-subject request: no new invoices or invoice mails',
    );
  }
}

/**
 * Sets (`active`) or lifts a restriction or objection for a customer on a request. Setting one that
 * is in force, or lifting one that is not, changes nothing and records nothing.
 */
export async function setCustomerRestriction(
  ctx: Ctx,
  requestId: string,
  input: { customerId: string; kind: RestrictionKind; active: boolean },
): Promise<CustomerRestrictions> {
  requireManager(ctx, 'restrict processing of a customer');
  if (!isUuid(requestId)) throw notFound('subject_request');
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    if (!(await findSubjectRequest(tx, keys, requestId))) throw notFound('subject_request');
    const customer = isUuid(input.customerId) ? await findCustomer(tx, keys, input.customerId) : undefined;
    if (!customer) throw notFound('customer');
    const current = await activeOf(tx, ctx.tenantId, customer.id);
    const inForce = current[input.kind] !== null;
    if (input.active === inForce) return current;
    if (input.active) {
      await tx
        .insert(customerRestrictions)
        .values({ tenantId: ctx.tenantId, customerId: customer.id, kind: input.kind, requestId, since: at })
        .onConflictDoUpdate({
          target: [customerRestrictions.tenantId, customerRestrictions.customerId, customerRestrictions.kind],
          set: { requestId, since: at, liftedAt: null },
        });
    } else {
      await tx
        .update(customerRestrictions)
        .set({ liftedAt: at })
        .where(
          and(
            eq(customerRestrictions.tenantId, ctx.tenantId),
            eq(customerRestrictions.customerId, customer.id),
            eq(customerRestrictions.kind, input.kind),
          ),
        );
    }
    await record(
      input.active ? 'customer.restricted' : 'customer.restriction_lifted',
      { type: 'customer', id: customer.id },
      { kind: input.kind, requestId },
    );
    return activeOf(tx, ctx.tenantId, customer.id);
  });
}
