/**
 * The audit chain's arithmetic (invariant 4), pure so that verification and auditors use the
 * same definition. hash_n = SHA-256(hash_{n-1} ‖ canonical(event_n)); mac_n = HMAC-SHA256(audit
 * key, hash_n). Anyone can recompute the hashes from an export; only Kluis, holding the tenant's
 * audit key, can produce the MACs, so rewriting a whole chain after an edit is still detected.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The fields of an event that the chain protects. */
export interface ChainedEvent {
  tenantId: string;
  seq: number;
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  ipEnc: Buffer | null;
  data: Record<string, unknown>;
}

/** The hash the chain of a new tenant starts from. */
export function genesisHash(tenantId: string): Buffer {
  return createHash('sha256').update(`kluis-audit-genesis\0${tenantId}`).digest();
}

/** JSON with object keys sorted at every depth, so the same event always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The canonical bytes of an event (version 1 of the format). */
export function canonicalEvent(e: ChainedEvent): string {
  return canonicalJson([
    1,
    e.tenantId,
    e.seq,
    e.id,
    e.occurredAt.toISOString(),
    e.actorType,
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    e.requestId,
    e.ipEnc ? e.ipEnc.toString('base64') : null,
    e.data,
  ]);
}

/** hash_n from the previous hash and the event. */
export function chainHash(prevHash: Buffer, e: ChainedEvent): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalEvent(e), 'utf8').digest();
}

/** The MAC that proves Kluis wrote this hash. */
export function chainMac(auditKey: Buffer, hash: Buffer): Buffer {
  return createHmac('sha256', auditKey).update(hash).digest();
}

/** Constant-time equality of two byte strings. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
