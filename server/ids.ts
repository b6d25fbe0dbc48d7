/**
 * Row ids are UUIDv7, made by the application: the id must be known before the insert because
 * encrypted fields bind it as associated data, and time order keeps B-tree inserts local.
 */
import { randomBytes } from 'node:crypto';

/** Returns a new UUIDv7 (RFC 9562) for the given time. */
export function newId(at: Date = new Date()): string {
  const bytes = randomBytes(16);
  const ms = BigInt(at.getTime());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a syntactically valid UUID; ids from clients are checked before they reach SQL. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
