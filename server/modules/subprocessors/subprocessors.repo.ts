/**
 * SQL for subprocessors: the operator's registry (a platform table without tenant, read in any
 * transaction) and each business's decisions (tenant rows; the reason is encrypted here).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { decryptOptional, encryptOptional } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { subprocessorDecisions, subprocessors } from './subprocessors.tables.ts';

/** A subprocessor in the registry. */
export interface Subprocessor {
  id: string;
  name: string;
  purpose: string;
  dataCategories: string[];
  country: string;
  parentJurisdiction: string;
  agreementReference: string;
  addedAt: Date;
  effectiveFrom: Date;
}

/** A business's objection or consent. */
export interface Decision {
  id: string;
  subprocessorId: string;
  kind: 'objection' | 'consent';
  reason: string | null;
  actor: { type: string; id: string | null };
  decidedAt: Date;
}

/** Adds a subprocessor to the registry. */
export async function insertSubprocessor(tx: Tx, s: Subprocessor): Promise<void> {
  await tx.insert(subprocessors).values(s);
}

/** The subprocessors not removed, oldest first. */
export async function listSubprocessorRows(tx: Tx): Promise<Subprocessor[]> {
  const rows = await tx
    .select()
    .from(subprocessors)
    .where(isNull(subprocessors.removedAt))
    .orderBy(asc(subprocessors.effectiveFrom), asc(subprocessors.id));
  return rows.map(({ removedAt: _r, ...s }) => s);
}

/** One subprocessor that is not removed. */
export async function findSubprocessor(tx: Tx, id: string): Promise<Subprocessor | undefined> {
  const [row] = await tx
    .select()
    .from(subprocessors)
    .where(and(eq(subprocessors.id, id), isNull(subprocessors.removedAt)));
  if (!row) return undefined;
  const { removedAt: _r, ...s } = row;
  return s;
}

const place = (keys: TenantKeys, rowId: string) => ({
  tenantId: keys.tenantId,
  table: 'subprocessor_decisions',
  column: 'reason_enc',
  rowId,
});

/** Appends a decision of the business. */
export async function insertDecision(tx: Tx, keys: TenantKeys, d: Decision): Promise<void> {
  await tx.insert(subprocessorDecisions).values({
    tenantId: keys.tenantId,
    id: d.id,
    subprocessorId: d.subprocessorId,
    kind: d.kind,
    reasonEnc: encryptOptional(keys.data, place(keys, d.id), d.reason),
    actorType: d.actor.type,
    actorId: d.actor.id,
    decidedAt: d.decidedAt,
  });
}

/** Every decision of the business, oldest first. */
export async function listDecisions(tx: Tx, keys: TenantKeys): Promise<Decision[]> {
  const rows = await tx
    .select()
    .from(subprocessorDecisions)
    .where(eq(subprocessorDecisions.tenantId, keys.tenantId))
    .orderBy(asc(subprocessorDecisions.decidedAt), asc(subprocessorDecisions.id));
  return rows.map((r) => ({
    id: r.id,
    subprocessorId: r.subprocessorId,
    kind: r.kind === 'consent' ? 'consent' : 'objection',
    reason: decryptOptional(keys.data, place(keys, r.id), r.reasonEnc),
    actor: { type: r.actorType, id: r.actorId },
    decidedAt: r.decidedAt,
  }));
}
