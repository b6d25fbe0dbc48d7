/**
 * Audit export for auditors (Foundation point 12, Privacy center point 6): one JSON object per
 * line in chain order, with each event's hashes so the chain can be recomputed independently
 * (see chain.ts for the canonical form), and a last line with Kluis's own verification result.
 * The export is itself recorded, because it discloses client addresses.
 */
import type { Writable } from 'node:stream';
import type { Actor, Services } from '../context.ts';
import { decryptOptional } from '../crypto/envelope.ts';
import { inTenant } from '../db/transactions.ts';
import { appendAudit, listAuditEvents } from './audit.repo.ts';
import { verifyAuditChain } from './verify.ts';

const PAGE = 1000;

function write(out: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Respect backpressure: a large log is never held in memory as a whole.
    if (out.write(`${line}\n`)) resolve();
    else out.once('drain', resolve).once('error', reject);
  });
}

/**
 * Writes the tenant's audit log as NDJSON to `out`, ending with the verification result. `request`
 * (an API export) is recorded on the `audit.exported` event like any other request's.
 */
export async function exportAuditLog(
  services: Services,
  actor: Actor,
  tenantId: string,
  out: Writable,
  request?: { requestId: string | null; ip: string | null },
): Promise<void> {
  const { db, keyring, clock } = services;
  await inTenant(db, tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, tenantId);
    await appendAudit(tx, keys, {
      action: 'audit.exported',
      actor,
      target: { type: 'tenant', id: tenantId },
      requestId: request?.requestId ?? null,
      ip: request?.ip ?? null,
      at: clock.now(),
    });
  });
  let after = 0;
  for (;;) {
    const page = await inTenant(db, tenantId, async (tx) => {
      const keys = await keyring.forTenant(tx, tenantId);
      const rows = await listAuditEvents(tx, tenantId, after, PAGE);
      return rows.map((e) => ({
        seq: e.seq,
        id: e.id,
        occurredAt: e.occurredAt.toISOString(),
        actor: { type: e.actorType, id: e.actorId },
        action: e.action,
        target: e.targetType ? { type: e.targetType, id: e.targetId } : null,
        requestId: e.requestId,
        ip: decryptOptional(
          keys.data,
          { tenantId, table: 'audit_events', column: 'ip_enc', rowId: e.id },
          e.ipEnc,
        ),
        ipEnc: e.ipEnc ? e.ipEnc.toString('base64') : null,
        data: e.data,
        prevHash: e.prevHash.toString('hex'),
        hash: e.hash.toString('hex'),
      }));
    });
    for (const line of page) await write(out, JSON.stringify(line));
    if (page.length < PAGE) break;
    after = page.at(-1)?.seq ?? after;
  }
  await write(out, JSON.stringify({ verification: await verifyAuditChain(services, tenantId) }));
}
