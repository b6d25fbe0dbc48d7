/**
 * SQL for payments. Every function takes the tenant's keys: the free-text reference is sealed and
 * opened here, bound to its row. Payments are only inserted and read (the app role has no UPDATE or
 * DELETE on them); the invoice's paid amount and status move in the same transaction.
 */
import { and, asc, eq, ne, sql, sum } from 'drizzle-orm';
import { openFields, type SealedField, sealFields } from '../../crypto/fields.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import type { InvoiceKind, InvoiceStatus } from './invoices.model.ts';
import { invoices } from './invoices.tables.ts';
import { invoicePayments } from './payments.tables.ts';

/** How a payment was made. */
export const PAYMENT_METHODS = ['bank_transfer', 'direct_debit', 'card', 'cash', 'ideal', 'other'] as const;
/** How a payment was made. */
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A recorded payment, in minor units of its invoice's currency. */
export interface Payment {
  id: string;
  invoiceId: string;
  amountMinor: bigint;
  currency: string;
  date: string;
  method: PaymentMethod | null;
  reference: string | null;
  createdAt: Date;
}

/** What a payment decision needs of its invoice, read under the invoice's row lock. */
export interface PayableInvoice {
  id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  currency: string;
  payableMinor: bigint;
  paidMinor: bigint;
}

const TABLE = 'invoice_payments';
const FIELDS: readonly SealedField<'reference'>[] = [{ prop: 'reference', column: 'reference_enc' }];

/**
 * Reads an invoice's payment state; `lock` holds its row until the transaction ends, so concurrent
 * payments of one invoice queue here and each sees the amount the previous one left.
 */
export async function findPayableInvoice(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  options: { lock: boolean },
): Promise<PayableInvoice | undefined> {
  const query = tx
    .select({
      id: invoices.id,
      kind: invoices.kind,
      status: invoices.status,
      currency: invoices.currency,
      payableMinor: invoices.payableMinor,
      paidMinor: invoices.paidMinor,
    })
    .from(invoices)
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ? { ...row, kind: row.kind as InvoiceKind, status: row.status as InvoiceStatus } : undefined;
}

/** The payable total of the issued credit notes of an invoice: what no longer has to be paid. */
export async function creditedMinor(tx: Tx, keys: TenantKeys, invoiceId: string): Promise<bigint> {
  const [row] = await tx
    .select({ total: sum(invoices.payableMinor) })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, keys.tenantId),
        eq(invoices.creditedInvoiceId, invoiceId),
        ne(invoices.status, 'draft'),
      ),
    );
  return BigInt(row?.total ?? 0);
}

/** Inserts a payment. */
export async function insertPayment(tx: Tx, keys: TenantKeys, p: Payment): Promise<void> {
  const sealed = sealFields(keys, TABLE, p.id, FIELDS, { reference: p.reference });
  await tx.insert(invoicePayments).values({
    tenantId: keys.tenantId,
    id: p.id,
    invoiceId: p.invoiceId,
    amountMinor: p.amountMinor,
    currency: p.currency,
    paidOn: p.date,
    method: p.method,
    referenceEnc: sealed.reference_enc ?? null,
    createdAt: p.createdAt,
  });
}

/** Adds a payment's amount to its invoice and moves the status (the trigger lets only these change). */
export async function addPaidAmount(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  change: { amountMinor: bigint; status: InvoiceStatus; paidAt: Date | null },
  at: Date,
): Promise<void> {
  await tx
    .update(invoices)
    .set({
      paidMinor: sql`${invoices.paidMinor} + ${change.amountMinor}`,
      status: change.status,
      ...(change.paidAt ? { paidAt: change.paidAt } : {}),
      version: sql`${invoices.version} + 1`,
      updatedAt: at,
    })
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id)));
}

/** The payments of an invoice, oldest first. */
export async function listInvoicePayments(tx: Tx, keys: TenantKeys, invoiceId: string): Promise<Payment[]> {
  const rows = await tx
    .select()
    .from(invoicePayments)
    .where(and(eq(invoicePayments.tenantId, keys.tenantId), eq(invoicePayments.invoiceId, invoiceId)))
    .orderBy(asc(invoicePayments.createdAt), asc(invoicePayments.id));
  return rows.map((r) => ({
    id: r.id,
    invoiceId: r.invoiceId,
    amountMinor: r.amountMinor,
    currency: r.currency,
    date: r.paidOn,
    method: r.method as PaymentMethod | null,
    reference: openFields(keys, TABLE, r.id, FIELDS, { reference_enc: r.referenceEnc }).reference,
    createdAt: r.createdAt,
  }));
}
