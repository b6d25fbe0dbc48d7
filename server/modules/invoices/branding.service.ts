/**
 * The business's logo and accent colour on its invoice PDFs (issue 5 point 1). The colour is a
 * `#RRGGBB` code; the logo a PNG or JPEG the PDF writer can embed (no CMYK, no interlacing), at most
 * 256 KB and 4 megapixels (a small file must not inflate into a huge raster), stored as an encrypted
 * blob named by its SHA-256. Issuing freezes both on the invoice, so its PDF — stored then, and
 * rendered again from the frozen copy should the blob be lost — never changes with the settings.
 */
import { createHash } from 'node:crypto';
import { AppError, type FieldIssue } from '../../../domain/errors.ts';
import type { InvoiceDocument } from '../../../domain/invoice-document.ts';
import type { BlobStore } from '../../blobs/blob-store.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import { requirePermission } from '../../policy.ts';
import { writeImage } from '../documents/pdf/images.ts';
import { PdfWriter } from '../documents/pdf/pdf-objects.ts';
import { type Branding, findBranding, type LogoRef, saveBranding } from './branding.repo.ts';
import { assertMayWrite } from './invoices.policy.ts';
import { inInvoiceTx } from './invoices.tx.ts';
import { settingsMissing } from './settings.service.ts';

export type { Branding, LogoRef } from './branding.repo.ts';

/** Largest logo file accepted. */
export const MAX_LOGO_BYTES = 256 * 1024;
/** Largest logo raster (width × height) accepted. */
export const MAX_LOGO_PIXELS = 4_000_000;

/** A change to the branding: an absent field stays, null clears it. */
export interface BrandingInput {
  accentColor?: string | null;
  logo?: { mediaType: string; data: Buffer } | null;
}

/** Where a logo's bytes are kept (a hash: blob keys never carry personal data). */
export function logoBlobKey(sha256: string): string {
  return `logos/${sha256}`;
}

function pixelsOf(data: Buffer, mediaType: LogoRef['mediaType']): number {
  if (mediaType === 'image/png') {
    const isPng = data.length >= 24 && data.toString('latin1', 12, 16) === 'IHDR';
    return isPng ? data.readUInt32BE(16) * data.readUInt32BE(20) : 0;
  }
  // JPEG: the first frame header (SOFn) holds height and width.
  for (let at = 2; at + 9 <= data.length; ) {
    const marker = data[at + 1] as number;
    if (data[at] !== 0xff) return 0;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return data.readUInt16BE(at + 5) * data.readUInt16BE(at + 7);
    }
    at += 2 + data.readUInt16BE(at + 2);
  }
  return 0;
}

/** Checks a logo: type, size, raster size, and that the PDF writer can embed it. */
function checkLogo(logo: { mediaType: string; data: Buffer }): LogoRef & { data: Buffer } {
  const { data } = logo;
  if (logo.mediaType !== 'image/png' && logo.mediaType !== 'image/jpeg') {
    const issue = { path: 'logo.contentType', code: 'logo_type', message: 'A PNG or JPEG image' };
    throw new AppError('invalid', 'logo_type', 'The logo is a PNG or JPEG image', [issue]);
  }
  const mediaType = logo.mediaType;
  if (data.length > MAX_LOGO_BYTES || pixelsOf(data, mediaType) > MAX_LOGO_PIXELS) {
    throw new AppError('too_large', 'logo_too_large', 'A logo is at most 256 KB and 4 megapixels');
  }
  try {
    writeImage(new PdfWriter(), data, mediaType);
  } catch {
    // Whatever the writer cannot read (CMYK, interlaced, damaged data) is refused here, not at issue.
    throw new AppError(
      'unprocessable',
      'logo_unsupported',
      'This image cannot go into a PDF/A invoice (CMYK, interlaced or damaged); save it as a plain PNG or RGB JPEG',
    );
  }
  return { sha256: createHash('sha256').update(data).digest('hex'), mediaType, data };
}

function checkColor(color: string | null): string | null {
  if (color === null) return null;
  if (!/^#[0-9A-Fa-f]{6}$/.test(color)) {
    const issue: FieldIssue = {
      path: 'accentColor',
      code: 'accent_color_format',
      message: 'A colour like #1A4D80',
    };
    throw new AppError('invalid', 'accent_color_format', 'The accent colour is a code like #1A4D80', [issue]);
  }
  return color.toUpperCase();
}

/** The accent colour and logo of the business; `invoice_settings_missing` before the seller details exist. */
export async function getBranding(ctx: Ctx): Promise<Branding> {
  requirePermission(ctx, 'invoices:read');
  return inInvoiceTx(ctx, async ({ tx, keys }) => {
    const branding = await findBranding(tx, keys);
    if (!branding) throw settingsMissing();
    return branding;
  });
}

/** Sets or clears the accent colour and the logo; records `invoice_settings.updated`. */
export async function setBranding(ctx: Ctx, input: BrandingInput): Promise<Branding> {
  requirePermission(ctx, 'invoices:write');
  assertMayWrite(ctx.access);
  const color = input.accentColor === undefined ? undefined : checkColor(input.accentColor);
  const logo = input.logo ? checkLogo(input.logo) : input.logo;
  return inInvoiceTx(ctx, async ({ tx, keys, at, record }) => {
    const current = await findBranding(tx, keys);
    if (!current) throw settingsMissing();
    // The blob goes in before the commit: a rollback leaves an unreferenced copy, never a reference
    // to a missing one. Old logos stay, since issued invoices may name them.
    if (logo) await ctx.services.blobs.put(keys, logoBlobKey(logo.sha256), logo.data);
    const next: Branding = {
      accentColor: color === undefined ? current.accentColor : color,
      logo: logo === undefined ? current.logo : logo && { sha256: logo.sha256, mediaType: logo.mediaType },
    };
    await saveBranding(tx, keys, next, at);
    await record('invoice_settings.updated', 'invoice_settings', ctx.tenantId, {
      accentColor: next.accentColor,
      logoSha256: next.logo?.sha256 ?? null,
    });
    return next;
  });
}

/** The business's current logo bytes; 404 `logo_not_found` when it has none. */
export async function getLogo(ctx: Ctx): Promise<{ mediaType: string; data: Buffer }> {
  requirePermission(ctx, 'invoices:read');
  return inInvoiceTx(ctx, async ({ tx, keys }) => {
    const logo = (await findBranding(tx, keys))?.logo;
    if (!logo) throw new AppError('not_found', 'logo_not_found', 'No logo');
    return { mediaType: logo.mediaType, data: await ctx.services.blobs.get(keys, logoBlobKey(logo.sha256)) };
  });
}

/** The `style` of a document drawn with `branding`: the colour, and the logo's bytes from its blob. */
export async function documentStyle(
  blobs: BlobStore,
  keys: TenantKeys,
  branding: Branding,
): Promise<NonNullable<InvoiceDocument['style']>> {
  const logo = branding.logo
    ? { data: await blobs.get(keys, logoBlobKey(branding.logo.sha256)), mediaType: branding.logo.mediaType }
    : null;
  return { accentColor: branding.accentColor, logo };
}
