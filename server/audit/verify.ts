/**
 * Verifies a tenant's audit chain from the first event to the head. It reports the first event
 * where the chain breaks: a missing sequence number (deleted), a previous-hash mismatch
 * (inserted or reordered), a hash mismatch (edited), a MAC mismatch (forged, even with a
 * recomputed hash), or a head that does not match the last event (removed from the end).
 */
import type { Services } from '../context.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { inTenant } from '../db/transactions.ts';
import { getAuditHead, listAuditEvents } from './audit.repo.ts';
import { chainHash, chainMac, genesisHash, sameBytes } from './chain.ts';

export type BreakReason =
  | 'missing'
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'mac_mismatch'
  | 'head_mismatch';

/** The outcome of a verification. */
export interface VerifyResult {
  tenantId: string;
  ok: boolean;
  events: number;
  headSeq: number;
  firstBroken?: { seq: number; reason: BreakReason };
}

const PAGE = 1000;

/**
 * Verifies one tenant's chain, reading it page by page in tenant transactions. `chainKeys` are
 * given for a chain that is not a business's (the platform chain); else the tenant's keys apply.
 */
export async function verifyAuditChain(
  services: Services,
  tenantId: string,
  chainKeys?: TenantKeys,
): Promise<VerifyResult> {
  const { db, keyring } = services;
  return inTenant(db, tenantId, async (tx) => {
    const keys = chainKeys ?? (await keyring.forTenant(tx, tenantId));
    const head = await getAuditHead(tx, tenantId);
    let prevHash = genesisHash(tenantId);
    let expected = 1;
    let count = 0;
    const broken = (seq: number, reason: BreakReason): VerifyResult => ({
      tenantId,
      ok: false,
      events: count,
      headSeq: head?.seq ?? 0,
      firstBroken: { seq, reason },
    });
    for (;;) {
      const page = await listAuditEvents(tx, tenantId, expected - 1, PAGE);
      for (const e of page) {
        if (e.seq !== expected) return broken(expected, 'missing');
        if (!sameBytes(e.prevHash, prevHash)) return broken(e.seq, 'prev_hash_mismatch');
        const hash = chainHash(prevHash, {
          ...e,
          data: e.data as Record<string, unknown>,
        });
        if (!sameBytes(hash, e.hash)) return broken(e.seq, 'hash_mismatch');
        if (!sameBytes(chainMac(keys.audit, e.hash), e.mac)) return broken(e.seq, 'mac_mismatch');
        prevHash = e.hash;
        expected++;
        count++;
      }
      if (page.length < PAGE) break;
    }
    if (!head || head.seq !== expected - 1 || !sameBytes(head.hash, prevHash)) {
      return broken(expected, 'head_mismatch');
    }
    return { tenantId, ok: true, events: count, headSeq: head.seq };
  });
}
