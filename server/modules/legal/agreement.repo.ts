/** SQL for the acceptance records of the agreement; the client address is encrypted here. */
import { and, desc, eq } from 'drizzle-orm';
import { decryptOptional, encryptOptional } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { agreementAcceptances } from './legal.tables.ts';

/** The document code under which the agreement (terms plus processing agreement) is accepted. */
export const AGREEMENT_DOCUMENT = 'agreement';

/** One acceptance: who accepted which version, when and from where. */
export interface Acceptance {
  id: string;
  version: string;
  acceptedAt: Date;
  actor: { type: string; id: string | null };
  ip: string | null;
}

const place = (keys: TenantKeys, rowId: string) => ({
  tenantId: keys.tenantId,
  table: 'agreement_acceptances',
  column: 'ip_enc',
  rowId,
});

/** Appends an acceptance record. */
export async function insertAcceptance(tx: Tx, keys: TenantKeys, a: Acceptance): Promise<void> {
  await tx.insert(agreementAcceptances).values({
    tenantId: keys.tenantId,
    id: a.id,
    document: AGREEMENT_DOCUMENT,
    version: a.version,
    acceptedAt: a.acceptedAt,
    actorType: a.actor.type,
    actorId: a.actor.id,
    ipEnc: encryptOptional(keys.data, place(keys, a.id), a.ip),
  });
}

/** The latest acceptance of the agreement, optionally of one version. */
export async function findLatestAcceptance(
  tx: Tx,
  keys: TenantKeys,
  version?: string,
): Promise<Acceptance | undefined> {
  const [row] = await tx
    .select()
    .from(agreementAcceptances)
    .where(
      and(
        eq(agreementAcceptances.tenantId, keys.tenantId),
        eq(agreementAcceptances.document, AGREEMENT_DOCUMENT),
        version === undefined ? undefined : eq(agreementAcceptances.version, version),
      ),
    )
    .orderBy(desc(agreementAcceptances.acceptedAt), desc(agreementAcceptances.id))
    .limit(1);
  if (!row) return undefined;
  return {
    id: row.id,
    version: row.version,
    acceptedAt: row.acceptedAt,
    actor: { type: row.actorType, id: row.actorId },
    ip: decryptOptional(keys.data, place(keys, row.id), row.ipEnc),
  };
}
