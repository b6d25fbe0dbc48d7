/**
 * Invoices that Kluis makes itself (recurring schedules): the same drafts and the same issuing as
 * the API's, but inside a transaction the caller holds open, so the caller's own record (an
 * occurrence of a schedule) commits with the invoice or not at all.
 */
import { and, eq } from 'drizzle-orm';
import { invalidInput } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { findCustomer } from '../customers/customers.repo.ts';
import { storedTotals, validateDraft } from './invoices.input.ts';
import type { DraftInput, InvoiceStatus } from './invoices.model.ts';
import { insertInvoice } from './invoices.repo.ts';
import { invoices } from './invoices.tables.ts';
import { stepIn } from './invoices.tx.ts';

export { issueInTransaction } from './issue.service.ts';

/** Checks draft input without storing anything; throws 400 with every problem (a template's check). */
export function checkDraftInput(input: DraftInput): void {
  validateDraft(input);
}

/**
 * Creates draft `id` in the caller's tenant transaction and records `invoice.created` with `data`
 * (ids and codes only). A customer that no longer exists is refused like the API refuses it.
 */
export async function createDraftInTransaction(
  ctx: Ctx,
  tx: Tx,
  keys: TenantKeys,
  at: Date,
  id: string,
  input: DraftInput,
  data: Record<string, string | number | boolean | null>,
): Promise<void> {
  const draft = validateDraft(input);
  if (!(await findCustomer(tx, keys, draft.content.customerId))) {
    throw invalidInput([{ path: 'customerId', code: 'customer_not_found', message: 'No such customer' }]);
  }
  await insertInvoice(
    tx,
    keys,
    { id, kind: 'invoice', ...draft, totals: storedTotals(draft.totals) },
    null,
    at,
  );
  await stepIn(ctx, tx, keys, at, (step) =>
    step.record('invoice.created', 'invoice', id, { lines: draft.lines.length, ...data }),
  );
}

/** The status of one of the tenant's invoices, or undefined when there is none (deleted draft). */
export async function findInvoiceStatus(
  tx: Tx,
  keys: TenantKeys,
  id: string,
): Promise<InvoiceStatus | undefined> {
  const [row] = await tx
    .select({ status: invoices.status })
    .from(invoices)
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, id)));
  return row?.status as InvoiceStatus | undefined;
}
