/**
 * Encrypts and decrypts the personal fields of one row at the repository boundary, so services
 * only ever see plain values. A row's field list names each property, its `_enc` column and, for
 * searchable fields, its `_bidx` column and normalisation.
 */
import { blindIndex } from './blind-index.ts';
import { decryptOptional, encryptOptional } from './envelope.ts';
import type { TenantKeys } from './keyring.ts';

/** One encrypted field of a table. */
export interface SealedField<P extends string> {
  prop: P;
  column: string;
  search?: { column: string; normalise: (v: string) => string };
}

/** Envelopes (by column) and blind indexes (by column) for the given plain values. */
export function sealFields<P extends string>(
  keys: TenantKeys,
  table: string,
  rowId: string,
  fields: readonly SealedField<P>[],
  values: Partial<Record<P, string | null>>,
): Record<string, Buffer | null> {
  const out: Record<string, Buffer | null> = {};
  for (const f of fields) {
    if (!(f.prop in values)) continue;
    const v = values[f.prop] ?? null;
    out[f.column] = encryptOptional(
      keys.data,
      { tenantId: keys.tenantId, table, column: f.column, rowId },
      v,
    );
    if (f.search) out[f.search.column] = v === null ? null : searchIndex(keys, table, f.search, v);
  }
  return out;
}

/** The plain values of a row's envelopes (by column). */
export function openFields<P extends string>(
  keys: TenantKeys,
  table: string,
  rowId: string,
  fields: readonly SealedField<P>[],
  columns: Record<string, Buffer | Uint8Array | null>,
): Record<P, string | null> {
  const out = {} as Record<P, string | null>;
  for (const f of fields) {
    const env = columns[f.column] ?? null;
    out[f.prop] = decryptOptional(
      keys.data,
      { tenantId: keys.tenantId, table, column: f.column, rowId },
      env,
    );
  }
  return out;
}

/** The blind index of a search value for a field. */
export function searchIndex(
  keys: TenantKeys,
  table: string,
  search: { column: string; normalise: (v: string) => string },
  value: string,
): Buffer {
  return blindIndex(keys.index, table, search.column, search.normalise(value));
}
