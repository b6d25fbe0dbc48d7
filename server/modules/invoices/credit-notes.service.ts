/**
 * Credit notes: the only way to correct an issued invoice. A credit note is a draft of its own that
 * refers to the invoice's number and date and credits some or all of its lines (positive amounts
 * on a credit-note document). Credited quantities are tracked per line, so an invoice can never be
 * credited for more than it was, and it becomes `credited` when its issued credit notes cover it.
 */
import {
  add,
  compare,
  type Decimal,
  decimal,
  formatDecimal,
  normalize,
  parseDecimal,
  sub,
} from '../../../domain/decimal.ts';
import { AppError, type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import { lockInvoice } from './drafts.service.ts';
import { storedTotals, validateDraft } from './invoices.input.ts';
import type { DocumentAdjustment, Invoice, LineInput } from './invoices.model.ts';
import { assertAllowed, assertMayWrite, canMove } from './invoices.policy.ts';
import { creditNoteLines, findInvoice, insertInvoice, setStatus } from './invoices.repo.ts';
import { inInvoiceTx, type Step } from './invoices.tx.ts';

/** Which lines to credit: all of them (absent), or some, each in full or for a smaller quantity. */
export interface CreditNoteInput {
  lines?: { lineId: string; quantity?: string }[];
}

const ZERO = decimal('0');

/** Quantities already credited per original line id. */
async function creditedSoFar(
  step: Step,
  invoiceId: string,
  issuedOnly: boolean,
): Promise<Map<string, Decimal>> {
  const credited = new Map<string, Decimal>();
  for (const l of await creditNoteLines(step.tx, step.keys, invoiceId, issuedOnly)) {
    if (!l.creditedLineId) continue;
    credited.set(l.creditedLineId, add(credited.get(l.creditedLineId) ?? ZERO, decimal(l.quantity)));
  }
  return credited;
}

function selectLines(original: Invoice, credited: Map<string, Decimal>, input: CreditNoteInput) {
  const issues: FieldIssue[] = [];
  const remaining = (lineId: string, quantity: string) =>
    sub(decimal(quantity), credited.get(lineId) ?? ZERO);
  const wanted: { lineId: string; quantity?: string }[] =
    input.lines ??
    original.lines
      .filter((l) => compare(remaining(l.id, l.quantity), ZERO) > 0)
      .map((l) => ({ lineId: l.id }));
  const chosen = wanted.map((w, i) => {
    const line = original.lines.find((l) => l.id === w.lineId);
    if (!line) {
      issues.push({
        path: `lines.${i}.lineId`,
        code: 'line_not_found',
        message: 'Not a line of this invoice',
      });
      return undefined;
    }
    const left = remaining(line.id, line.quantity);
    const parsed = w.quantity === undefined ? undefined : parseDecimal(w.quantity, 4);
    if (parsed && (!parsed.ok || compare(parsed.value, ZERO) <= 0)) {
      issues.push({
        path: `lines.${i}.quantity`,
        code: 'quantity_not_positive',
        message: 'A positive quantity',
      });
      return undefined;
    }
    const quantity = parsed?.ok ? (w.quantity as string) : null;
    if (compare(quantity ? decimal(quantity) : left, left) > 0 || compare(left, ZERO) <= 0) {
      issues.push({
        path: `lines.${i}.quantity`,
        code: 'credit_exceeds_invoice',
        message: 'More than is left to credit',
      });
      return undefined;
    }
    // Without a quantity, what is left of the line is credited.
    const credit = quantity ?? formatDecimal(normalize(left));
    const partial = compare(decimal(credit), decimal(line.quantity)) !== 0;
    if (partial && line.discount && 'amount' in line.discount) {
      // A fixed discount has no share per unit that could be credited without rounding it twice.
      issues.push({
        path: `lines.${i}.quantity`,
        code: 'partial_credit_with_amount_discount',
        message: 'Credit this line in full',
      });
    }
    return { line, quantity: credit, partial };
  });
  if (wanted.length === 0)
    throw new AppError('conflict', 'invoice_already_credited', 'Nothing is left to credit');
  if (issues.length > 0) throw invalidInput(issues);
  return chosen.filter((c) => c !== undefined);
}

/**
 * Creates a draft credit note for an issued invoice, in full (no lines given) or in part, and records
 * `credit_note.created`. It refers to the invoice's number and date and is issued like any invoice.
 */
export async function createCreditNote(
  ctx: Ctx,
  invoiceId: string,
  input: CreditNoteInput = {},
): Promise<Invoice> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  return inInvoiceTx(ctx, async (step) => {
    const { tx, keys, at, record } = step;
    // Locking the invoice serialises credit notes for it, so two cannot both take the last quantity.
    const original = await lockInvoice(tx, keys, invoiceId);
    assertAllowed(original, 'credit');
    const earlier = await creditedSoFar(step, original.id, false);
    const chosen = selectLines(original, earlier, input);
    const full =
      earlier.size === 0 && chosen.length === original.lines.length && chosen.every((c) => !c.partial);
    // Percentages scale with what is credited; fixed amounts only belong on a full credit.
    const keep = (a: DocumentAdjustment) => full || 'percent' in a;
    const lines: LineInput[] = chosen.map(({ line, quantity }) => ({
      description: line.description,
      quantity,
      unit: line.unit,
      unitPrice: line.unitPrice,
      ...(line.priceBaseQuantity ? { priceBaseQuantity: line.priceBaseQuantity } : {}),
      discount: line.discount,
      vatCategory: line.vatCategory,
      vatRate: line.vatRate,
    }));
    const draft = validateDraft(
      {
        ...original,
        issueDate: null,
        dueDate: null,
        paymentTermDays: null,
        notes: null,
        lines,
        allowances: original.allowances.filter(keep),
        charges: original.charges.filter(keep),
      },
      chosen.map((c) => c.line.id),
    );
    const id = newId(at);
    const credited = { invoiceId: original.id, number: original.number, date: original.issueDate };
    await insertInvoice(
      tx,
      keys,
      { id, kind: 'credit_note', ...draft, totals: storedTotals(draft.totals) },
      credited,
      at,
    );
    await record('credit_note.created', 'invoice', id, { invoiceId: original.id, lines: lines.length, full });
    const created = await findInvoice(tx, keys, id);
    if (!created) throw new Error('credit note vanished inside its own transaction');
    return created;
  });
}

/**
 * After a credit note was issued: marks its invoice `credited` (and records `invoice.credited`) once
 * the issued credit notes cover every quantity of every line. Partly credited invoices keep their status.
 */
export async function markFullyCredited(step: Step, invoiceId: string): Promise<void> {
  const original = await findInvoice(step.tx, step.keys, invoiceId, { lock: true });
  if (!original || !canMove(original.kind, original.status, 'credited')) return;
  const credited = await creditedSoFar(step, invoiceId, true);
  const covered = original.lines.every((l) => compare(credited.get(l.id) ?? ZERO, decimal(l.quantity)) >= 0);
  if (!covered) return;
  await setStatus(step.tx, step.keys, invoiceId, 'credited', step.at);
  await step.record('invoice.credited', 'invoice', invoiceId);
}
