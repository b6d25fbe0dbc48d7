/**
 * SQL for the seller's invoice settings and for the number series. Seller fields are encrypted here;
 * numbers are allocated in the caller's (issuing) transaction, so a rollback or a crash returns them.
 */
import { eq } from 'drizzle-orm';
import { openFields, type SealedField, sealFields } from '../../crypto/fields.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import { queryRows, sql, type Tx } from '../../db/client.ts';
import type { SellerParty } from './invoices.model.ts';
import { invoiceSettings } from './invoices.tables.ts';

const TABLE = 'invoice_settings';

/** The seller details and numbering of a business, as services see them. */
export interface InvoiceSettings {
  seller: SellerParty;
  phone: string | null;
  /** Who represents the business (e.g. "J. de Vries, directeur"), named in its copy of the DPA. */
  representative: string | null;
  numberFormat: string;
  defaultPaymentTermDays: number;
  updatedAt: Date;
}

type SellerProp =
  | 'name'
  | 'street'
  | 'postalCode'
  | 'city'
  | 'vatNumber'
  | 'kvkNumber'
  | 'iban'
  | 'email'
  | 'phone';

/** The encrypted seller columns, shared with the invoice snapshot (same names with a seller_ prefix). */
export const SELLER_PROPS: readonly SellerProp[] = [
  'name',
  'street',
  'postalCode',
  'city',
  'vatNumber',
  'kvkNumber',
  'iban',
  'email',
  'phone',
];

const snake = (prop: string) => prop.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const FIELDS: readonly SealedField<SellerProp>[] = SELLER_PROPS.map((prop) => ({
  prop,
  column: `seller_${snake(prop)}_enc`,
}));
// Not a seller_ column: the representative is never copied into an invoice's seller snapshot.
const REPRESENTATIVE: readonly SealedField<'representative'>[] = [
  { prop: 'representative', column: 'representative_enc' },
];
const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Inserts or replaces the settings of the business. */
export async function saveSettings(
  tx: Tx,
  keys: TenantKeys,
  settings: Omit<InvoiceSettings, 'updatedAt'>,
  at: Date,
): Promise<void> {
  const { seller } = settings;
  // The settings row's id is the tenant id: there is one per business.
  const sealed = sealFields(keys, TABLE, keys.tenantId, FIELDS, { ...seller, phone: settings.phone });
  const rep = sealFields(keys, TABLE, keys.tenantId, REPRESENTATIVE, settings);
  const values = {
    ...Object.fromEntries(Object.entries(sealed).map(([column, v]) => [camel(column), v])),
    representativeEnc: rep.representative_enc ?? null,
    sellerNameEnc: sealed.seller_name_enc as Buffer,
    sellerCountry: seller.country,
    sellerBic: seller.bic,
    isKor: seller.isKor,
    numberFormat: settings.numberFormat,
    defaultPaymentTermDays: settings.defaultPaymentTermDays,
    updatedAt: at,
  };
  await tx
    .insert(invoiceSettings)
    .values({ tenantId: keys.tenantId, ...values })
    .onConflictDoUpdate({ target: invoiceSettings.tenantId, set: values });
}

/** The settings of the business, or undefined before they were first saved. */
export async function findSettings(tx: Tx, keys: TenantKeys): Promise<InvoiceSettings | undefined> {
  const [row] = await tx.select().from(invoiceSettings).where(eq(invoiceSettings.tenantId, keys.tenantId));
  if (!row) return undefined;
  const byColumn = Object.fromEntries(
    FIELDS.map((f) => [f.column, row[camel(f.column) as keyof typeof row] as Buffer | null]),
  );
  const p = openFields(keys, TABLE, keys.tenantId, FIELDS, byColumn);
  const r = openFields(keys, TABLE, keys.tenantId, REPRESENTATIVE, {
    representative_enc: row.representativeEnc,
  });
  return {
    seller: {
      name: p.name ?? '',
      street: p.street,
      postalCode: p.postalCode,
      city: p.city,
      country: row.sellerCountry,
      vatNumber: p.vatNumber,
      kvkNumber: p.kvkNumber,
      iban: p.iban,
      bic: row.sellerBic,
      email: p.email,
      isKor: row.isKor,
    },
    phone: p.phone,
    representative: r.representative,
    numberFormat: row.numberFormat,
    defaultPaymentTermDays: row.defaultPaymentTermDays,
    updatedAt: row.updatedAt,
  };
}

/**
 * Takes the next number of a series, in the caller's transaction. The upsert locks the series row
 * until commit, so concurrent issuers queue here and each sees the previous one's increment; if the
 * transaction rolls back or its process dies, the increment is undone with it. Gap-free and unique.
 */
export async function allocateNumber(tx: Tx, tenantId: string, series: string): Promise<number> {
  const [row] = await queryRows<{ seq: string | number }>(
    tx,
    sql`INSERT INTO number_series (tenant_id, series, next_value) VALUES (${tenantId}, ${series}, 2)
        ON CONFLICT (tenant_id, series) DO UPDATE SET next_value = number_series.next_value + 1
        RETURNING (next_value - 1)::text AS seq`,
  );
  if (!row) throw new Error('number allocation returned no row');
  return Number(row.seq);
}
