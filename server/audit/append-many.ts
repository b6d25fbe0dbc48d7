/**
 * Appends many events at once, for bulk changes such as a CSV import of thousands of customers:
 * one lock of the head, the events in a few multi-row INSERTs, one update of the head. The chain
 * is exactly the one appendAudit builds event by event (same fields, hashes and MACs), so
 * `kluis audit verify` cannot tell them apart; it only saves two round trips per event.
 */
import { eq } from 'drizzle-orm';
import { encryptField } from '../crypto/envelope.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import type { Tx } from '../db/client.ts';
import { auditEvents, auditHeads } from '../db/platform.tables.ts';
import { newId } from '../ids.ts';
import type { AuditInput } from './audit.repo.ts';
import { type ChainedEvent, chainHash, chainMac } from './chain.ts';

/** Events per INSERT statement: 16 columns, well under the parameter limit. */
const CHUNK = 500;

/** Appends `inputs` in order to the tenant's chain, in the caller's transaction. */
export async function appendAuditMany(
  tx: Tx,
  keys: TenantKeys,
  inputs: readonly AuditInput[],
): Promise<void> {
  if (inputs.length === 0) return;
  const tenantId = keys.tenantId;
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId)).for('update');
  if (!head) throw new Error('audit chain has no head for this tenant');
  let prevHash = head.hash;
  let seq = head.seq;
  const rows = inputs.map((input) => {
    seq += 1;
    const id = newId(input.at);
    const event: ChainedEvent = {
      tenantId,
      seq,
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
    const hash = chainHash(prevHash, event);
    const row = { ...event, data: input.data ?? {}, prevHash, hash, mac: chainMac(keys.audit, hash) };
    prevHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.insert(auditEvents).values(rows.slice(i, i + CHUNK));
  }
  await tx.update(auditHeads).set({ seq, hash: prevHash }).where(eq(auditHeads.tenantId, tenantId));
}
