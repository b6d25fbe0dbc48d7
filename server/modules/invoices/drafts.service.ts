/**
 * Draft invoices: create, change, delete, and read. A draft holds a customer id, its lines and its
 * totals; the buyer and seller are copied into it only when it is issued. Every use case is one
 * tenant transaction with its audit event; another tenant's id answers exactly like a missing one.
 */
import { invalidInput, notFound } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { isUuid, newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { storedTotals, type ValidDraft, validateDraft } from './invoices.input.ts';
import type { DraftInput, DraftPatch, Invoice } from './invoices.model.ts';
import { assertAllowed, assertMayWrite } from './invoices.policy.ts';
import { deleteDraft, findInvoice, insertInvoice, updateDraft } from './invoices.repo.ts';
import { inInvoiceTx, type Step, stepIn } from './invoices.tx.ts';

async function assertCustomer(tx: Tx, keys: TenantKeys, customerId: string): Promise<void> {
  // A customer of another business is as unknown as one that never existed.
  if (!(await findCustomer(tx, keys, customerId))) {
    throw invalidInput([{ path: 'customerId', code: 'customer_not_found', message: 'No such customer' }]);
  }
}

/** Reads an invoice inside a use case, locked for change; missing and foreign ids are both 404. */
export async function lockInvoice(tx: Tx, keys: TenantKeys, id: string): Promise<Invoice> {
  const invoice = isUuid(id) ? await findInvoice(tx, keys, id, { lock: true }) : undefined;
  if (!invoice) throw notFound('invoice');
  return invoice;
}

async function reread(tx: Tx, keys: TenantKeys, id: string): Promise<Invoice> {
  const invoice = await findInvoice(tx, keys, id);
  if (!invoice) throw new Error('invoice vanished inside its own transaction');
  return invoice;
}

/** Creates a draft invoice with its totals and records `invoice.created`. */
export async function createInvoice(ctx: Ctx, input: DraftInput): Promise<Invoice> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  const draft = validateDraft(input);
  return inInvoiceTx(ctx, (step) => insertDraft(step, draft));
}

/** What a composite use case may add to a draft it creates: its id, and ids for the audit event. */
export interface DraftOrigin {
  id?: string;
  audit?: Record<string, string | number | boolean | null>;
}

/**
 * Creates a draft invoice inside a transaction another use case already holds (accepting a quote,
 * a recurring schedule's occurrence), so both commit or neither does. Same checks and audit event
 * as `createInvoice`.
 */
export async function createInvoiceIn(
  ctx: Ctx,
  open: { tx: Tx; keys: TenantKeys; at: Date },
  input: DraftInput,
  origin: DraftOrigin = {},
): Promise<Invoice> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  const draft = validateDraft(input);
  return stepIn(ctx, open.tx, open.keys, open.at, (step) => insertDraft(step, draft, origin));
}

async function insertDraft(
  { tx, keys, at, record }: Step,
  draft: ValidDraft,
  origin: DraftOrigin = {},
): Promise<Invoice> {
  await assertCustomer(tx, keys, draft.content.customerId);
  const id = origin.id ?? newId(at);
  await insertInvoice(
    tx,
    keys,
    { id, kind: 'invoice', ...draft, totals: storedTotals(draft.totals) },
    null,
    at,
  );
  await record('invoice.created', 'invoice', id, { lines: draft.lines.length, ...origin.audit });
  return reread(tx, keys, id);
}

/** The input a stored draft was made from, so a patch can be applied and validated as a whole. */
function asInput(invoice: Invoice): DraftInput {
  const { lines, allowances, charges } = invoice;
  return {
    ...invoice,
    allowances,
    charges,
    lines: lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      ...(l.priceBaseQuantity ? { priceBaseQuantity: l.priceBaseQuantity } : {}),
      discount: l.discount,
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    })),
  };
}

/** Fields a credit note takes from its invoice; changing them would break the reference. */
const CREDIT_NOTE_FIXED = ['customerId', 'currency', 'lines'] as const;

/**
 * Changes a draft (any subset of fields; `lines` replaces all lines) and records `invoice.updated`.
 * An issued invoice is refused with 409 `invoice_already_issued` before the trigger would refuse it.
 */
export async function updateInvoice(ctx: Ctx, id: string, patch: DraftPatch): Promise<Invoice> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  return inInvoiceTx(ctx, async ({ tx, keys, at, record }) => {
    const current = await lockInvoice(tx, keys, id);
    assertAllowed(current, 'edit');
    if (current.kind === 'credit_note') {
      const fixed = CREDIT_NOTE_FIXED.filter((f) => patch[f] !== undefined);
      if (fixed.length > 0) {
        throw invalidInput(
          fixed.map((f) => ({
            path: f,
            code: 'credit_note_field_fixed',
            message: 'Taken from the credited invoice',
          })),
        );
      }
    }
    const draft = validateDraft(
      { ...asInput(current), ...patch },
      current.lines.map((l) => l.creditedLineId),
    );
    if (draft.content.customerId !== current.customerId)
      await assertCustomer(tx, keys, draft.content.customerId);
    await updateDraft(tx, keys, id, { ...draft, totals: storedTotals(draft.totals) }, current.version, at);
    await record('invoice.updated', 'invoice', id, { lines: draft.lines.length });
    return reread(tx, keys, id);
  });
}

/** Deletes a draft and records `invoice.deleted`; an issued invoice is never deleted (409). */
export async function deleteInvoice(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  await inInvoiceTx(ctx, async ({ tx, keys, record }) => {
    const current = await lockInvoice(tx, keys, id);
    assertAllowed(current, 'delete');
    await deleteDraft(tx, keys, id);
    await record('invoice.deleted', 'invoice', id, { kind: current.kind });
  });
}

/** Returns one invoice with its lines and parties, and records the read (`invoice.viewed`). */
export async function getInvoice(ctx: Ctx, id: string): Promise<Invoice> {
  requirePermission(ctx, 'invoices:read');
  return inInvoiceTx(ctx, async ({ tx, keys, record }) => {
    const invoice = isUuid(id) ? await findInvoice(tx, keys, id) : undefined;
    if (!invoice) throw notFound('invoice');
    await record('invoice.viewed', 'invoice', id);
    return invoice;
  });
}
