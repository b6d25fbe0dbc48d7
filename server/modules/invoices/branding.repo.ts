/**
 * SQL for the business's look on its invoices: the accent colour and logo in the invoice settings,
 * and the copy frozen on an invoice when it is issued. The logo bytes are an encrypted blob; these
 * columns hold only its SHA-256 and media type.
 */
import { and, eq } from 'drizzle-orm';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { invoiceSettings, invoices } from './invoices.tables.ts';

/** A logo as stored: the blob is `logos/<sha256>`. */
export interface LogoRef {
  sha256: string;
  mediaType: 'image/png' | 'image/jpeg';
}

/** The accent colour (#RRGGBB) and logo of a business, or of an issued invoice. */
export interface Branding {
  accentColor: string | null;
  logo: LogoRef | null;
}

function toBranding(color: string | null, sha: string | null, type: string | null): Branding {
  return {
    accentColor: color,
    logo: sha && (type === 'image/png' || type === 'image/jpeg') ? { sha256: sha, mediaType: type } : null,
  };
}

/** The branding in the settings; undefined while the business has no invoice settings. */
export async function findBranding(tx: Tx, keys: TenantKeys): Promise<Branding | undefined> {
  const [row] = await tx
    .select({
      color: invoiceSettings.accentColor,
      sha: invoiceSettings.logoSha256,
      type: invoiceSettings.logoMediaType,
    })
    .from(invoiceSettings)
    .where(eq(invoiceSettings.tenantId, keys.tenantId));
  return row ? toBranding(row.color, row.sha, row.type) : undefined;
}

/** Replaces the branding in the settings row (which must exist). */
export async function saveBranding(tx: Tx, keys: TenantKeys, branding: Branding, at: Date): Promise<void> {
  await tx
    .update(invoiceSettings)
    .set({
      accentColor: branding.accentColor,
      logoSha256: branding.logo?.sha256 ?? null,
      logoMediaType: branding.logo?.mediaType ?? null,
      updatedAt: at,
    })
    .where(eq(invoiceSettings.tenantId, keys.tenantId));
}

/** Copies the branding onto a draft about to be issued (the trigger freezes it with the rest). */
export async function freezeBranding(
  tx: Tx,
  keys: TenantKeys,
  invoiceId: string,
  branding: Branding,
): Promise<void> {
  await tx
    .update(invoices)
    .set({
      styleAccentColor: branding.accentColor,
      styleLogoSha256: branding.logo?.sha256 ?? null,
      styleLogoMediaType: branding.logo?.mediaType ?? null,
    })
    .where(
      and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, invoiceId), eq(invoices.status, 'draft')),
    );
}

/** The branding an issued invoice was drawn with. */
export async function findInvoiceBranding(tx: Tx, keys: TenantKeys, invoiceId: string): Promise<Branding> {
  const [row] = await tx
    .select({
      color: invoices.styleAccentColor,
      sha: invoices.styleLogoSha256,
      type: invoices.styleLogoMediaType,
    })
    .from(invoices)
    .where(and(eq(invoices.tenantId, keys.tenantId), eq(invoices.id, invoiceId)));
  return row ? toBranding(row.color, row.sha, row.type) : { accentColor: null, logo: null };
}
