/**
 * Payments on issued invoices (issue 4, point 6): issued or sent → partially paid → paid. Recording a
 * payment is one transaction that locks the invoice row, checks the amount against what is still
 * due, appends the payment, adds it to the invoice's paid amount, moves the status and records
 * `invoice.payment_recorded`. Payments are append-only and never reversed; credit notes are not
 * paid (docs/adr/0022-payments-and-recurring-invoices.md).
 */
import { parseMoney } from '../../../domain/currency.ts';
import { parseIsoDate } from '../../../domain/dates.ts';
import { AppError, type FieldIssue, invalidInput, notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { isUuid, newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { dutchDate } from './invoices.input.ts';
import type { InvoiceStatus } from './invoices.model.ts';
import { assertMayWrite, canMove } from './invoices.policy.ts';
import { inInvoiceTx } from './invoices.tx.ts';
import {
  addPaidAmount,
  creditedMinor,
  findPayableInvoice,
  insertPayment,
  listInvoicePayments,
  type PayableInvoice,
  type Payment,
  type PaymentMethod,
} from './payments.repo.ts';

/** What a client sends to record a payment: the amount in the invoice's currency, as a decimal string. */
export interface PaymentInput {
  amount: string;
  date: string;
  method?: PaymentMethod | null;
  reference?: string | null;
}

/** Where an invoice stands after its payments, in minor units of its currency. */
export interface PaymentState {
  invoiceId: string;
  status: InvoiceStatus;
  currency: string;
  payableMinor: bigint;
  creditedMinor: bigint;
  paidMinor: bigint;
  /** What is still due: payable − credited − paid, never below zero. */
  outstandingMinor: bigint;
}

const MAX_REFERENCE = 200;

function stateOf(invoice: PayableInvoice, credited: bigint): PaymentState {
  const due = invoice.payableMinor - credited - invoice.paidMinor;
  return {
    invoiceId: invoice.id,
    status: invoice.status,
    currency: invoice.currency,
    payableMinor: invoice.payableMinor,
    creditedMinor: credited,
    paidMinor: invoice.paidMinor,
    outstandingMinor: due > 0n ? due : 0n,
  };
}

/** Refuses payments on what cannot be paid, each with its own stable 409 code. */
function assertPayable(invoice: PayableInvoice): void {
  const refuse = (code: string, message: string) => new AppError('conflict', code, message);
  if (invoice.kind !== 'invoice') throw refuse('credit_note_not_payable', 'A credit note is not paid');
  if (invoice.status === 'draft')
    throw refuse('invoice_not_issued', 'Issue the invoice before recording a payment');
  if (invoice.status === 'credited')
    throw refuse('invoice_already_credited', 'A fully credited invoice is not paid');
  if (invoice.status === 'paid') throw refuse('invoice_already_paid', 'This invoice is already paid in full');
}

function validate(input: PaymentInput, currency: string, today: string) {
  const issues: FieldIssue[] = [];
  const amount = parseMoney(typeof input.amount === 'string' ? input.amount.trim() : '', currency);
  if (!amount.ok)
    issues.push({ path: 'amount', code: amount.code, message: `An amount in ${currency}, like 12.50` });
  else if (amount.value.minor <= 0n)
    issues.push({ path: 'amount', code: 'amount_not_positive', message: 'A payment is more than zero' });
  const date = parseIsoDate(input.date);
  if (!date.ok) issues.push({ path: 'date', code: date.code, message: 'A date like 2026-11-20' });
  else if (date.value > today)
    issues.push({
      path: 'date',
      code: 'payment_date_in_future',
      message: 'A payment cannot be dated after today',
    });
  const reference = input.reference?.trim() || null;
  if (reference && reference.length > MAX_REFERENCE)
    issues.push({ path: 'reference', code: 'too_long', message: `At most ${MAX_REFERENCE} characters` });
  if (issues.length > 0 || !amount.ok || !date.ok) throw invalidInput(issues);
  return { amountMinor: amount.value.minor, date: date.value, reference };
}

/**
 * Records a payment on an issued invoice and returns it with the invoice's new state. More than is
 * still due is refused with 422 `payment_exceeds_outstanding`; the whole amount due makes it `paid`.
 */
export async function recordPayment(
  ctx: Ctx,
  invoiceId: string,
  input: PaymentInput,
): Promise<{ payment: Payment; state: PaymentState }> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  return inInvoiceTx(ctx, async ({ tx, keys, at, record }) => {
    // The row lock orders concurrent payments of this invoice: none can lose another's amount.
    const invoice = isUuid(invoiceId)
      ? await findPayableInvoice(tx, keys, invoiceId, { lock: true })
      : undefined;
    if (!invoice) throw notFound('invoice');
    assertPayable(invoice);
    const { amountMinor, date, reference } = validate(input, invoice.currency, dutchDate(at));
    const credited = await creditedMinor(tx, keys, invoice.id);
    const before = stateOf(invoice, credited);
    if (amountMinor > before.outstandingMinor) {
      throw new AppError(
        'unprocessable',
        'payment_exceeds_outstanding',
        'The payment is more than is still due on this invoice',
        [{ path: 'amount', code: 'payment_exceeds_outstanding', message: 'More than is still due' }],
      );
    }
    const full = amountMinor === before.outstandingMinor;
    const status: InvoiceStatus = full ? 'paid' : 'partially_paid';
    if (!canMove(invoice.kind, invoice.status, status)) {
      throw new AppError('conflict', 'invoice_action_not_allowed', 'Not allowed in the current state');
    }
    const payment: Payment = {
      id: newId(at),
      invoiceId: invoice.id,
      amountMinor,
      currency: invoice.currency,
      date,
      method: input.method ?? null,
      reference,
      createdAt: at,
    };
    await insertPayment(tx, keys, payment);
    await addPaidAmount(tx, keys, invoice.id, { amountMinor, status, paidAt: full ? at : null }, at);
    await record('invoice.payment_recorded', 'invoice', invoice.id, { paymentId: payment.id, status });
    const after = stateOf({ ...invoice, status, paidMinor: invoice.paidMinor + amountMinor }, credited);
    return { payment, state: after };
  });
}

/** The payments of an invoice with its payment state; records the read (`invoice.payments_viewed`). */
export async function listPayments(
  ctx: Ctx,
  invoiceId: string,
): Promise<{ payments: Payment[]; state: PaymentState }> {
  requirePermission(ctx, 'invoices:read');
  return inInvoiceTx(ctx, async ({ tx, keys, record }) => {
    const invoice = isUuid(invoiceId)
      ? await findPayableInvoice(tx, keys, invoiceId, { lock: false })
      : undefined;
    if (!invoice) throw notFound('invoice');
    const payments = await listInvoicePayments(tx, keys, invoice.id);
    await record('invoice.payments_viewed', 'invoice', invoice.id, { payments: payments.length });
    return { payments, state: stateOf(invoice, await creditedMinor(tx, keys, invoice.id)) };
  });
}
