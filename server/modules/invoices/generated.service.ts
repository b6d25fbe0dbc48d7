/**
 * Invoices that Kluis makes itself (recurring schedules): the same issuing as the API's, inside a
 * transaction the caller holds open, so the caller's own record (an occurrence of a schedule)
 * commits with the invoice or not at all. Drafts are made with `createInvoiceIn`.
 */
import { and, eq } from 'drizzle-orm';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import type { InvoiceStatus } from './invoices.model.ts';
import { invoices } from './invoices.tables.ts';

export { issueInTransaction } from './issue.service.ts';

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
