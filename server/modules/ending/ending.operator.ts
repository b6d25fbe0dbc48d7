/**
 * The operator's view of ended subscriptions (Privacy center points 10 and 12): each business's
 * lifecycle (end, deadline, deletion status) and its kept deletion certificate. No personal data.
 */
import { asc, eq } from 'drizzle-orm';
import type { Services } from '../../context.ts';
import { inSystem } from '../../db/transactions.ts';
import { subscriptionEndings } from './ending.tables.ts';
import { verifyCertificate } from './ending-job.ts';

export interface EndingSummary {
  businessId: string;
  status: string;
  endedAt: string;
  deadlineAt: string;
  resumedAt: string | null;
  certifiedAt: string | null;
  rowsPurged: number;
}

/** Every ending, oldest first. */
export async function listEndings(services: Services): Promise<EndingSummary[]> {
  const rows = await inSystem(services.db, (tx) =>
    tx.select().from(subscriptionEndings).orderBy(asc(subscriptionEndings.endedAt)),
  );
  return rows.map((r) => ({
    businessId: r.businessId,
    status: r.status,
    endedAt: r.endedAt.toISOString(),
    deadlineAt: r.deadlineAt.toISOString(),
    resumedAt: r.resumedAt?.toISOString() ?? null,
    certifiedAt: r.certifiedAt?.toISOString() ?? null,
    rowsPurged: Object.values(r.purged).reduce((a, b) => a + b, 0),
  }));
}

/** A kept certificate with its signature and whether it verifies; undefined when there is none. */
export async function getCertificate(
  services: Services,
  businessId: string,
): Promise<{ pdf: Buffer; sha256: string; signature: string; kid: string; verified: boolean } | undefined> {
  const [r] = await inSystem(services.db, (tx) =>
    tx.select().from(subscriptionEndings).where(eq(subscriptionEndings.businessId, businessId)),
  );
  if (!r?.certificatePdf || !r.certificateSha256 || !r.certificateSignature || !r.certificateKeyId)
    return undefined;
  return {
    pdf: r.certificatePdf,
    sha256: r.certificateSha256,
    signature: r.certificateSignature,
    kid: r.certificateKeyId,
    verified: await verifyCertificate(services, businessId),
  };
}
