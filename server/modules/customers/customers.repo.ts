/**
 * SQL for customers. Every function takes the tenant's keys (and so the tenant): fields are
 * encrypted and blind-indexed here, and filtered by tenant_id on top of row-level security.
 */
import { and, asc, eq, getTableColumns, gt, inArray, sql } from 'drizzle-orm';
import { normalise } from '../../crypto/blind-index.ts';
import { openFields, type SealedField, sealFields, searchIndex } from '../../crypto/fields.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { customers } from './customers.tables.ts';

const TABLE = 'customers';

/** The personal fields of a customer, as services see them. */
export type CustomerPersonal = Record<SealedProp, string | null>;
type SealedProp =
  | 'name'
  | 'contactPerson'
  | 'email'
  | 'otherEmails'
  | 'phone'
  | 'street'
  | 'postalCode'
  | 'city'
  | 'iban'
  | 'accountHolder'
  | 'vatNumber'
  | 'kvkNumber'
  | 'salutation'
  | 'peppolId'
  | 'reference'
  | 'notes';

const FIELDS: readonly SealedField<SealedProp>[] = [
  { prop: 'name', column: 'name_enc', search: { column: 'name_bidx', normalise: normalise.text } },
  { prop: 'contactPerson', column: 'contact_person_enc' },
  { prop: 'email', column: 'email_enc', search: { column: 'email_bidx', normalise: normalise.text } },
  { prop: 'otherEmails', column: 'other_emails_enc' },
  { prop: 'phone', column: 'phone_enc' },
  { prop: 'street', column: 'street_enc' },
  { prop: 'postalCode', column: 'postal_code_enc' },
  { prop: 'city', column: 'city_enc' },
  { prop: 'iban', column: 'iban_enc', search: { column: 'iban_bidx', normalise: normalise.code } },
  { prop: 'accountHolder', column: 'account_holder_enc' },
  {
    prop: 'vatNumber',
    column: 'vat_number_enc',
    search: { column: 'vat_number_bidx', normalise: normalise.code },
  },
  {
    prop: 'kvkNumber',
    column: 'kvk_number_enc',
    search: { column: 'kvk_number_bidx', normalise: normalise.code },
  },
  { prop: 'salutation', column: 'salutation_enc' },
  { prop: 'peppolId', column: 'peppol_id_enc' },
  { prop: 'reference', column: 'reference_enc' },
  { prop: 'notes', column: 'notes_enc' },
];

/** Which identifiers can be searched. */
export type SearchField = 'name' | 'email' | 'iban' | 'vatNumber' | 'kvkNumber';

/** The non-personal fields of a customer. */
export interface CustomerPlain {
  kind: 'person' | 'company';
  country: string | null;
  bic: string | null;
  language: 'nl' | 'en';
  paymentTermDays: number;
  defaultVatCategory: string | null;
}

export interface CustomerRecord extends CustomerPlain {
  id: string;
  personal: CustomerPersonal;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

type Row = typeof customers.$inferSelect;
const COLUMNS = getTableColumns(customers);
/** SQL column name → Drizzle property, to turn sealed columns into an insert object. */
const PROP_OF: Record<string, keyof Row> = Object.fromEntries(
  Object.entries(COLUMNS).map(([prop, col]) => [col.name, prop as keyof Row]),
);

function byProp(sealed: Record<string, Buffer | null>): Partial<Row> {
  const out: Record<string, Buffer | null> = {};
  for (const [column, value] of Object.entries(sealed)) out[PROP_OF[column] as string] = value;
  return out as Partial<Row>;
}

function toRecord(keys: TenantKeys, row: Row): CustomerRecord {
  const byColumn: Record<string, Buffer | null> = {};
  for (const f of FIELDS) byColumn[f.column] = row[PROP_OF[f.column] as keyof Row] as Buffer | null;
  return {
    id: row.id,
    kind: row.kind as CustomerPlain['kind'],
    country: row.country,
    bic: row.bic,
    language: row.language as CustomerPlain['language'],
    paymentTermDays: row.paymentTermDays,
    defaultVatCategory: row.defaultVatCategory,
    personal: openFields(keys, TABLE, row.id, FIELDS, byColumn),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function newRow(
  keys: TenantKeys,
  id: string,
  plain: CustomerPlain,
  personalValues: CustomerPersonal,
  at: Date,
): typeof customers.$inferInsert {
  const sealed = byProp(sealFields(keys, TABLE, id, FIELDS, personalValues));
  return {
    ...sealed,
    nameEnc: sealed.nameEnc as Buffer,
    nameBidx: sealed.nameBidx as Buffer,
    ...plain,
    tenantId: keys.tenantId,
    id,
    createdAt: at,
    updatedAt: at,
  };
}

/** Inserts a customer. */
export async function insertCustomer(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  plain: CustomerPlain,
  personalValues: CustomerPersonal,
  at: Date,
): Promise<void> {
  await tx.insert(customers).values(newRow(keys, id, plain, personalValues, at));
}

/** Rows per INSERT statement when inserting many: about 8,000 parameters, well under the limit. */
const INSERT_CHUNK = 250;

/** Inserts many customers (an import), a few hundred per statement. */
export async function insertCustomers(
  tx: Tx,
  keys: TenantKeys,
  rows: readonly { id: string; plain: CustomerPlain; personal: CustomerPersonal }[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await tx.insert(customers).values(chunk.map((r) => newRow(keys, r.id, r.plain, r.personal, at)));
  }
}

/** Finds a customer of this tenant by id. */
export async function findCustomer(
  tx: Tx,
  keys: TenantKeys,
  id: string,
): Promise<CustomerRecord | undefined> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, keys.tenantId), eq(customers.id, id)));
  return row ? toRecord(keys, row) : undefined;
}

const NAME_ONLY = FIELDS.filter((f) => f.prop === 'name');

/** The names of some customers of this tenant by id, for lists that show who; only names are decrypted. */
export async function findCustomerNames(
  tx: Tx,
  keys: TenantKeys,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: customers.id, nameEnc: customers.nameEnc })
    .from(customers)
    .where(and(eq(customers.tenantId, keys.tenantId), inArray(customers.id, [...ids])));
  return new Map(
    rows.map((r) => [r.id, openFields(keys, TABLE, r.id, NAME_ONLY, { name_enc: r.nameEnc }).name ?? '']),
  );
}

/**
 * Finds customers whose field equals `value` after normalisation. The blind index narrows the
 * rows; the decrypted value is compared again because truncated indexes may collide.
 */
export async function findCustomersBy(
  tx: Tx,
  keys: TenantKeys,
  field: SearchField,
  value: string,
): Promise<CustomerRecord[]> {
  const spec = FIELDS.find((f) => f.prop === field)?.search;
  if (!spec) throw new Error(`${field} is not searchable`);
  const column = COLUMNS[PROP_OF[spec.column] as keyof typeof COLUMNS];
  const rows = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, keys.tenantId), eq(column, searchIndex(keys, TABLE, spec, value))));
  const wanted = spec.normalise(value);
  return rows
    .map((r) => toRecord(keys, r))
    .filter((c) => {
      const v = c.personal[field];
      return v !== null && spec.normalise(v) === wanted;
    });
}

/** Replaces a customer's fields (all of them, already merged and validated) if `version` still matches. */
export async function updateCustomerRow(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  version: number,
  plain: CustomerPlain,
  personalValues: CustomerPersonal,
  at: Date,
): Promise<boolean> {
  const sealed = byProp(sealFields(keys, TABLE, id, FIELDS, personalValues));
  const updated = await tx
    .update(customers)
    .set({ ...sealed, ...plain, version: sql`${customers.version} + 1`, updatedAt: at })
    .where(and(eq(customers.tenantId, keys.tenantId), eq(customers.id, id), eq(customers.version, version)))
    .returning({ id: customers.id });
  return updated.length === 1;
}

/** A page of customers in creation order (ids are UUIDv7), after the cursor id. */
export async function listCustomerRows(
  tx: Tx,
  keys: TenantKeys,
  after: string | null,
  limit: number,
): Promise<CustomerRecord[]> {
  const rows = await tx
    .select()
    .from(customers)
    .where(
      after
        ? and(eq(customers.tenantId, keys.tenantId), gt(customers.id, after))
        : eq(customers.tenantId, keys.tenantId),
    )
    .orderBy(asc(customers.id))
    .limit(limit);
  return rows.map((r) => toRecord(keys, r));
}
