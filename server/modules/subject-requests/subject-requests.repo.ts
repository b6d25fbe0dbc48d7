/**
 * SQL for data-subject requests and their outcomes. The person's name, e-mail and description and
 * every outcome's reason are encrypted here, at the repository boundary; rows are filtered by
 * tenant on top of row-level security.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import { decryptField, decryptOptional, encryptField, encryptOptional } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { subjectRequestOutcomes, subjectRequests } from './subject-requests.tables.ts';

/** The rights a person can invoke through the form (GDPR Art. 15-18 and 21). */
export const REQUEST_KINDS = [
  'access',
  'rectification',
  'completion',
  'erasure',
  'restriction',
  'objection',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Where a request stands: open until the business records a final outcome. */
export type RequestStatus = 'open' | 'extended' | 'completed' | 'refused';
export type OutcomeKind = 'completed' | 'refused' | 'extended';
/** What a tool did on a request, recorded beside the decisions; never changes the request's status. */
export type ActionKind = 'rectified' | 'supplemented' | 'erased' | 'pseudonymised';

/** A request, decrypted. */
export interface SubjectRequestRecord {
  id: string;
  kind: RequestKind;
  name: string;
  email: string;
  description: string;
  lang: 'nl' | 'en';
  receivedAt: Date;
  deadlineAt: Date;
  status: RequestStatus;
}

/** One recorded decision, decrypted. */
export interface OutcomeRecord {
  id: string;
  outcome: OutcomeKind | ActionKind;
  reason: string | null;
  deadlineAt: Date | null;
  decidedAt: Date;
  actor: { type: string; id: string | null };
}

const place = (keys: TenantKeys, table: string, column: string, rowId: string) => ({
  tenantId: keys.tenantId,
  table,
  column,
  rowId,
});

/** Stores a new request. */
export async function insertSubjectRequest(
  tx: Tx,
  keys: TenantKeys,
  r: SubjectRequestRecord,
  at: Date,
): Promise<void> {
  const p = (column: string) => place(keys, 'subject_requests', column, r.id);
  await tx.insert(subjectRequests).values({
    tenantId: keys.tenantId,
    id: r.id,
    kind: r.kind,
    nameEnc: encryptField(keys.data, p('name_enc'), r.name),
    emailEnc: encryptField(keys.data, p('email_enc'), r.email),
    descriptionEnc: encryptField(keys.data, p('description_enc'), r.description),
    lang: r.lang,
    receivedAt: r.receivedAt,
    deadlineAt: r.deadlineAt,
    status: r.status,
    updatedAt: at,
  });
}

function toRecord(keys: TenantKeys, row: typeof subjectRequests.$inferSelect): SubjectRequestRecord {
  const p = (column: string) => place(keys, 'subject_requests', column, row.id);
  return {
    id: row.id,
    kind: row.kind as RequestKind,
    name: decryptField(keys.data, p('name_enc'), row.nameEnc),
    email: decryptField(keys.data, p('email_enc'), row.emailEnc),
    description: decryptField(keys.data, p('description_enc'), row.descriptionEnc),
    lang: row.lang === 'en' ? 'en' : 'nl',
    receivedAt: row.receivedAt,
    deadlineAt: row.deadlineAt,
    status: row.status as RequestStatus,
  };
}

/** Every request of the business, newest first. */
export async function listSubjectRequestRows(tx: Tx, keys: TenantKeys): Promise<SubjectRequestRecord[]> {
  const rows = await tx
    .select()
    .from(subjectRequests)
    .where(eq(subjectRequests.tenantId, keys.tenantId))
    .orderBy(desc(subjectRequests.receivedAt), desc(subjectRequests.id));
  return rows.map((r) => toRecord(keys, r));
}

/** One request; undefined when it is not this business's. `lock` takes a row lock for an update. */
export async function findSubjectRequest(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  lock = false,
): Promise<SubjectRequestRecord | undefined> {
  const q = tx
    .select()
    .from(subjectRequests)
    .where(and(eq(subjectRequests.tenantId, keys.tenantId), eq(subjectRequests.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ? toRecord(keys, row) : undefined;
}

/** Sets a request's status and deadline. */
export async function updateSubjectRequestStatus(
  tx: Tx,
  tenantId: string,
  id: string,
  status: RequestStatus,
  deadlineAt: Date,
  at: Date,
): Promise<void> {
  await tx
    .update(subjectRequests)
    .set({ status, deadlineAt, updatedAt: at })
    .where(and(eq(subjectRequests.tenantId, tenantId), eq(subjectRequests.id, id)));
}

/** Appends an outcome. */
export async function insertOutcome(
  tx: Tx,
  keys: TenantKeys,
  requestId: string,
  o: OutcomeRecord,
): Promise<void> {
  await tx.insert(subjectRequestOutcomes).values({
    tenantId: keys.tenantId,
    id: o.id,
    requestId,
    outcome: o.outcome,
    reasonEnc: encryptOptional(
      keys.data,
      place(keys, 'subject_request_outcomes', 'reason_enc', o.id),
      o.reason,
    ),
    deadlineAt: o.deadlineAt,
    decidedAt: o.decidedAt,
    actorType: o.actor.type,
    actorId: o.actor.id,
  });
}

/** A request's outcomes, oldest first. */
export async function listOutcomes(tx: Tx, keys: TenantKeys, requestId: string): Promise<OutcomeRecord[]> {
  const rows = await tx
    .select()
    .from(subjectRequestOutcomes)
    .where(
      and(
        eq(subjectRequestOutcomes.tenantId, keys.tenantId),
        eq(subjectRequestOutcomes.requestId, requestId),
      ),
    )
    .orderBy(asc(subjectRequestOutcomes.decidedAt), asc(subjectRequestOutcomes.id));
  return rows.map((r) => ({
    id: r.id,
    outcome: r.outcome as OutcomeKind | ActionKind,
    reason: decryptOptional(
      keys.data,
      place(keys, 'subject_request_outcomes', 'reason_enc', r.id),
      r.reasonEnc,
    ),
    deadlineAt: r.deadlineAt,
    decidedAt: r.decidedAt,
    actor: { type: r.actorType, id: r.actorId },
  }));
}
