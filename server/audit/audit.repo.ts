/**
 * Appending to and reading the audit chain. `appendAudit` runs inside the caller's transaction,
 * so an event exists exactly when the change it records was committed. The head row is locked
 * FOR UPDATE, which orders concurrent appends of one tenant without blocking other tenants.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Actor } from '../context.ts';
import { encryptField } from '../crypto/envelope.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import type { Tx } from '../db/client.ts';
import { auditEvents, auditHeads } from '../db/platform.tables.ts';
import { newId } from '../ids.ts';
import type { AuditAction } from './catalogue.ts';
import { chainHash, chainMac, genesisHash } from './chain.ts';

/** What a use case records. `data` must hold no personal data: ids, counts, codes and hashes only. */
export interface AuditInput {
  action: AuditAction;
  actor: Actor;
  target?: { type: string; id: string };
  requestId?: string | null;
  ip?: string | null;
  data?: Record<string, string | number | boolean | null>;
  at: Date;
}

/** Starts a tenant's chain; called in the transaction that creates the tenant. */
export async function startAuditChain(tx: Tx, tenantId: string): Promise<void> {
  await tx.insert(auditHeads).values({ tenantId, seq: 0, hash: genesisHash(tenantId) });
}

/** Appends one event to the tenant's chain, in the caller's transaction. Returns its sequence number. */
export async function appendAudit(tx: Tx, keys: TenantKeys, input: AuditInput): Promise<number> {
  const tenantId = keys.tenantId;
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId)).for('update');
  if (!head) throw new Error('audit chain has no head for this tenant');
  const id = newId(input.at);
  const event = {
    tenantId,
    seq: head.seq + 1,
    id,
    occurredAt: input.at,
    actorType: input.actor.type,
    actorId: input.actor.id,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    requestId: input.requestId ?? null,
    ipEnc: input.ip
      ? encryptField(keys.data, { tenantId, table: 'audit_events', column: 'ip_enc', rowId: id }, input.ip)
      : null,
    data: input.data ?? {},
  };
  const hash = chainHash(head.hash, event);
  // The event and the new head in one statement (a data-modifying CTE always runs to completion):
  // one round trip less while the head row is locked, so concurrent appends wait less.
  const inserted = tx.$with('inserted').as(
    tx
      .insert(auditEvents)
      .values({ ...event, prevHash: head.hash, hash, mac: chainMac(keys.audit, hash) })
      .returning({ seq: auditEvents.seq }),
  );
  await tx
    .with(inserted)
    .update(auditHeads)
    .set({ seq: event.seq, hash })
    .where(eq(auditHeads.tenantId, tenantId));
  return event.seq;
}

export type AuditRow = typeof auditEvents.$inferSelect;

/** Reads a page of events in chain order, after `afterSeq`. */
export async function listAuditEvents(
  tx: Tx,
  tenantId: string,
  afterSeq: number,
  limit: number,
): Promise<AuditRow[]> {
  return tx
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, afterSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

/** The current head of the tenant's chain. */
export async function getAuditHead(
  tx: Tx,
  tenantId: string,
): Promise<{ seq: number; hash: Buffer } | undefined> {
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId));
  return head;
}
