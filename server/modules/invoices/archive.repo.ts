/** SQL for the archive of a period: which issued invoices and credit notes it holds (ids and numbers only). */
import { and, asc, between, eq, ne } from 'drizzle-orm';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { invoices } from './invoices.tables.ts';

/** One issued document of the period: enough to name its entries and load it later. */
export interface ArchivedRef {
  id: string;
  number: string;
  issueDate: string;
}

/** The tenant's issued invoices and credit notes with an issue date from `from` to `to` (inclusive), in date and number order. */
export async function listIssuedInPeriod(
  tx: Tx,
  keys: TenantKeys,
  from: string,
  to: string,
): Promise<ArchivedRef[]> {
  const rows = await tx
    .select({ id: invoices.id, number: invoices.number, issueDate: invoices.issueDate })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, keys.tenantId),
        ne(invoices.status, 'draft'),
        between(invoices.issueDate, from, to),
      ),
    )
    .orderBy(asc(invoices.issueDate), asc(invoices.series), asc(invoices.seq));
  return rows.flatMap((r) =>
    r.number && r.issueDate ? [{ id: r.id, number: r.number, issueDate: r.issueDate }] : [],
  );
}
